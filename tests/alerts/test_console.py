"""The alert composer and its page, through the browser-facing routes."""

import re

import sqlalchemy as sa

from organize.extensions import db
from organize.models import Alert, AuditEvent
from tests.alerts.conftest import add_subscribers
from tests.factories import PASSWORD, login, make_organizer, totp_code
from tests.htmltools import visible_text

FORM = {
    "title_en": "Strike Friday",
    "body_en": "Meet at the gate at 7am.",
    "title_es": "Huelga el viernes",
    "body_es": "Nos vemos en la puerta a las 7am.",
    "channel": "sms",
}


def _organizer(client, role="organizer"):
    make_organizer(email="org@example.org", role=role)
    login(client, "org@example.org")


def test_compose_saves_a_draft_and_shows_the_estimate(sender, fake_twilio):
    client = sender.test_client()
    _organizer(client)
    add_subscribers(4, locale="es")
    add_subscribers(2, start=10, locale="zh")
    response = client.post("/organizer/alerts/new", data=FORM)
    assert response.status_code == 302
    alert = db.session.scalar(sa.select(Alert))
    assert alert.status == "draft"
    page = visible_text(client.get(f"/organizer/alerts/{alert.id}").get_data(as_text=True))
    assert "UCS-2" in page or "GSM-7" in page
    assert "English * 2" in page  # the two Chinese speakers get English
    assert fake_twilio.messages == []
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert actions == {"organizer.login", "alert.create"}


def test_urgent_is_one_labelled_control(sender):
    client = sender.test_client()
    _organizer(client)
    page = client.get("/organizer/alerts/new").get_data(as_text=True)
    assert page.count('name="urgent') == 1  # one checkbox, no second "are you sure" box
    label = re.search(r'<label class="choice"><input[^>]*name="urgent"[^>]*> ([^<]+)</label>', page)
    assert label
    assert "quiet hours" in label.group(1)
    client.post("/organizer/alerts/new", data={**FORM, "urgent": "y"})
    assert db.session.scalar(sa.select(Alert.urgent)) is True


def test_english_is_required_and_long_texts_refused(sender):
    client = sender.test_client()
    _organizer(client)
    no_english = {**FORM, "title_en": "", "body_en": ""}
    assert client.post("/organizer/alerts/new", data=no_english).status_code == 200
    too_long = {**FORM, "body_en": "a" * 1700}
    assert client.post("/organizer/alerts/new", data=too_long).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 0


def test_send_progress_and_double_click(sender, fake_twilio):
    client = sender.test_client()
    _organizer(client)
    add_subscribers(3)
    client.post("/organizer/alerts/new", data=FORM)
    alert = db.session.scalar(sa.select(Alert))
    for _ in range(2):
        client.post(f"/organizer/alerts/{alert.id}/send", data={})
    assert sum(fake_twilio.counts_by_recipient().values()) == 3
    progress = client.get(f"/organizer/alerts/{alert.id}/progress.json").get_json()
    assert progress["counts"] == {"sent": 3}
    assert progress["done"] == progress["total"] == 3
    page = client.get(f"/organizer/alerts/{alert.id}").get_data(as_text=True)
    assert "<svg" in page
    assert "<rect" in page


def test_large_audiences_need_the_password_again(sender, fake_twilio):
    sender.config.update(CONFIRM_ABOVE=2)
    client = sender.test_client()
    _organizer(client)
    add_subscribers(3)
    client.post("/organizer/alerts/new", data=FORM)
    alert = db.session.scalar(sa.select(Alert))
    client.post(f"/organizer/alerts/{alert.id}/send", data={"password": "wrong"})
    assert fake_twilio.messages == []
    password_only = {"password": PASSWORD}  # a password alone does not send …
    client.post(f"/organizer/alerts/{alert.id}/send", data=password_only)
    assert fake_twilio.messages == []
    wrong_password = {"password": "wrong", "code": totp_code(client, "org@example.org")}
    client.post(f"/organizer/alerts/{alert.id}/send", data=wrong_password)
    assert fake_twilio.messages == []
    both = {"password": PASSWORD, "code": totp_code(client, "org@example.org")}
    client.post(f"/organizer/alerts/{alert.id}/send", data=both)  # … the password and a code do
    assert sum(fake_twilio.counts_by_recipient().values()) == 3


def test_the_send_recheck_locks_after_five_wrong_tries(sender, fake_twilio):
    sender.config.update(CONFIRM_ABOVE=2)
    client = sender.test_client()
    _organizer(client)
    add_subscribers(3)
    client.post("/organizer/alerts/new", data=FORM)
    alert = db.session.scalar(sa.select(Alert))
    for _ in range(5):
        client.post(f"/organizer/alerts/{alert.id}/send", data={"password": "guess", "code": "1"})
    both = {"password": PASSWORD, "code": totp_code(client, "org@example.org")}
    answer = client.post(f"/organizer/alerts/{alert.id}/send", data=both, follow_redirects=True)
    assert "Too many wrong attempts" in answer.get_data(as_text=True)  # even the right ones
    assert fake_twilio.messages == []


def test_segments_endpoint(sender):
    client = sender.test_client()
    _organizer(client)
    plain = client.get("/organizer/alerts/segments", query_string={"text": "a" * 161}).get_json()
    assert (plain["encoding"], plain["segments"]) == ("GSM-7", 2)
    curly = {"text": "“Strike” – now", "smart": "1"}
    assert (
        client.get("/organizer/alerts/segments", query_string=curly).get_json()["encoding"]
        == "GSM-7"
    )


def test_moderators_cannot_send_alerts(sender):
    client = sender.test_client()
    _organizer(client, role="moderator")
    assert client.get("/organizer/alerts/new").status_code == 403


def test_the_console_in_spanish_names_statuses_channels_and_languages(sender, fake_twilio):
    client = sender.test_client()
    _organizer(client)
    add_subscribers(2, locale="es")
    client.get("/organizer/alerts?lang=es")
    client.post("/organizer/alerts/new", data=FORM)
    alert = db.session.scalar(sa.select(Alert))
    page = visible_text(client.get(f"/organizer/alerts/{alert.id}").get_data(as_text=True))
    assert "Canal: SMS" in page
    assert "borrador" in page
    assert "Español 2" in " ".join(page.split())
    sent = client.post(f"/organizer/alerts/{alert.id}/send", data={}, follow_redirects=True)
    page = " ".join(visible_text(sent.get_data(as_text=True)).split())
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).status == "sent"
    # The flash says what the page says: no "Sending." above a page that says "sent".
    assert "Estado: enviado." in page
    assert "Sending" not in page
    assert "Enviando" not in page
    assert "Enviados 2" in page  # the delivery breakdown, in Spanish
    for code in ("sent", "sms", " es "):
        assert code not in f" {page} "
