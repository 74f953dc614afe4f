"""Issue 13: drafts are editable, become templates, go to the organizer's own phone as a test,
are scheduled in the organization's time zone, and show each language's text; the progress
page breaks deliveries down, estimates the time left and draws its chart with axes."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from organize import privacy
from organize.campaign import progress
from organize.extensions import db
from organize.models import Alert, AlertTemplate, Delivery, OrganizerPhone
from tests.alerts.conftest import add_subscribers, number
from tests.alerts.test_console import FORM, _organizer
from tests.factories import appears, dump_database
from tests.htmltools import visible_text

MINE = "+17135550177"


def _draft(client) -> Alert:
    client.post("/organizer/alerts/new", data=FORM)
    return db.session.scalar(sa.select(Alert))


def test_a_draft_is_edited_then_sent_as_edited(sender, fake_twilio):
    client = sender.test_client()
    _organizer(client)
    add_subscribers(1, locale="es")
    alert = _draft(client)
    form = client.get(f"/organizer/alerts/{alert.id}/edit").get_data(as_text=True)
    assert "Nos vemos en la puerta a las 7am." in form  # filled from the draft
    edited = {**FORM, "body_es": "Nos vemos a las 6am, en la puerta norte."}
    assert client.post(f"/organizer/alerts/{alert.id}/edit", data=edited).status_code == 302
    client.post(f"/organizer/alerts/{alert.id}/send", data={})
    (sent,) = fake_twilio.sent_to(number(0))
    assert "puerta norte" in sent["body"]


def test_a_sent_alert_is_not_edited(sender, fake_twilio):
    client = sender.test_client()
    _organizer(client)
    add_subscribers(1)
    alert = _draft(client)
    client.post(f"/organizer/alerts/{alert.id}/send", data={})
    client.post(f"/organizer/alerts/{alert.id}/edit", data={**FORM, "body_en": "Changed."})
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).text_for("en").body == FORM["body_en"]


def test_save_a_template_and_start_from_it(sender):
    client = sender.test_client()
    _organizer(client)
    alert = _draft(client)
    client.post(f"/organizer/alerts/{alert.id}/template", data={"name": "Strike call"})
    template = db.session.scalar(sa.select(AlertTemplate))
    assert template.name == "Strike call"
    page = client.get(f"/organizer/alerts/new?template={template.id}").get_data(as_text=True)
    assert "Huelga el viernes" in page
    assert "Strike call" in page


def test_a_test_send_goes_to_my_phone_only_and_is_not_counted(sender, fake_twilio):
    client = sender.test_client()
    _organizer(client)
    add_subscribers(2)
    alert = _draft(client)
    client.post("/organizer/phone", data={"phone": "(713) 555-0177"})
    assert not appears(MINE, dump_database())  # encrypted at rest
    row = db.session.scalar(sa.select(OrganizerPhone))
    assert privacy.decrypt(row.phone_cipher) == MINE
    page = client.post(
        f"/organizer/alerts/{alert.id}/test", data={"locale": "es"}, follow_redirects=True
    ).get_data(as_text=True)
    assert privacy.mask(MINE) in page
    assert MINE not in page
    assert [m["to"] for m in fake_twilio.messages] == [MINE]
    assert fake_twilio.messages[0]["body"].startswith("Huelga el viernes")
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).status == "draft"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0


def test_send_at_is_entered_in_the_organizations_zone_and_stored_in_utc(sender):
    client = sender.test_client()
    _organizer(client)
    client.post("/organizer/alerts/new", data={**FORM, "send_at": "2026-12-04T06:00"})
    alert = db.session.scalar(sa.select(Alert))
    assert alert.send_at == datetime(2026, 12, 4, 12, 0, tzinfo=UTC)  # Chicago is UTC-6
    page = " ".join(
        visible_text(client.get(f"/organizer/alerts/{alert.id}").get_data(as_text=True)).split()
    )
    assert "2026-12-04 06:00 (America/Chicago), 2026-12-04 12:00 UTC" in page
    form = client.get(f"/organizer/alerts/{alert.id}/edit").get_data(as_text=True)
    assert 'value="2026-12-04T06:00"' in form  # edited on the same clock


def test_each_language_preview_is_what_its_speakers_get(sender):
    client = sender.test_client()
    _organizer(client)
    client.post("/organizer/alerts/new", data={**FORM, "rsvp": "y"})
    alert = db.session.scalar(sa.select(Alert))
    page = visible_text(client.get(f"/organizer/alerts/{alert.id}").get_data(as_text=True))
    assert "Reply 1 if you can come." in page
    assert "Responda 1 si puede venir." in page or "Responda 1" in page


def test_breakdown_estimate_and_chart(sender):
    people = add_subscribers(6)
    alert = Alert(status="sending", translations=[])
    db.session.add(alert)
    db.session.flush()
    now = datetime.now(UTC)
    rows = [
        ("sent", None, None, now),
        ("delivered", None, None, now),
        ("failed", 30007, None, now),
        ("skipped", None, None, None),
        ("queued", None, now + timedelta(hours=9), None),
        ("queued", None, None, None),
    ]
    for person, (status, code, not_before, sent_at) in zip(people, rows, strict=True):
        db.session.add(
            Delivery(
                alert_id=alert.id,
                subscriber_id=person.id,
                status=status,
                error_code=code,
                not_before=not_before,
                sent_at=sent_at,
                segments=2,
            )
        )
    db.session.commit()
    found = progress.breakdown(alert_id=alert.id, rate=1.0)
    assert (found.sent, found.delivered, found.opted_out, found.held, found.waiting) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert found.failed == {"filtered by the carrier": 1}
    assert found.seconds_left == 2  # two segments at one a second
    chart = progress.chart([(0, 3), (1, 0), (2, 7)])
    assert [t["label"] for t in chart["y_ticks"]][-1] >= 7
    assert [t["label"] for t in chart["x_ticks"]] == [0, 1, 2]
    assert max(bar["height"] for bar in chart["bars"]) <= chart["base"] - chart["top"]


def test_the_progress_page_draws_axes_and_says_the_breakdown(sender, fake_twilio):
    client = sender.test_client()
    _organizer(client)
    add_subscribers(2)
    alert = _draft(client)
    client.post(f"/organizer/alerts/{alert.id}/send", data={})
    html = client.get(f"/organizer/alerts/{alert.id}").get_data(as_text=True)
    assert "<desc" in html
    assert "minutes since the first message" in html
    assert html.count("<line") >= 3  # two axes and ticks
    page = " ".join(visible_text(html).split())
    assert "Opted out 0" in page
    assert "Held for quiet hours 0" in page
