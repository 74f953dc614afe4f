"""Issue 13: a notice can be corrected before it is verified (the employer recorded as "SI"),
and a date picked for "when" is published with it — on /actions, by text, and in the draft."""

from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale

from organize import notices
from organize.extensions import db
from organize.models import ActionNotice, Alert, AuditEvent
from tests.factories import dump_database, login, make_organizer
from tests.htmltools import visible_text

REPORT = {"what": "Huelga mañana 6am en la entrada", "employer": "SI", "when": "mañana 6am"}


def _reported(client, lang: str = "es") -> ActionNotice:
    client.post(f"/actions/report?lang={lang}", data=REPORT)
    make_organizer(email="org@example.org", role="organizer")
    login(client, "org@example.org")
    return db.session.scalar(sa.select(ActionNotice))


def test_the_employer_recorded_as_si_can_be_fixed_before_verifying(client):
    notice = _reported(client)
    assert notice.employer_name == "SI"
    form = client.get(f"/organizer/notices/{notice.id}/edit").get_data(as_text=True)
    assert 'value="SI"' in form
    assert 'type="date"' in form
    assert 'type="time"' in form
    response = client.post(
        f"/organizer/notices/{notice.id}/edit",
        data={**_fields(notice), "employer_name": "Golden Wok"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ActionNotice, notice.id).employer_name == "Golden Wok"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "notice.edit"))
    assert event.detail == {"fields": ["employer_name"]}  # which fields, never their text


def test_what_an_organizer_types_is_redacted_too(client):
    notice = _reported(client)
    data = {**_fields(notice), "what": "Huelga, llamen a Rosa Martinez al 713-555-0144"}
    client.post(f"/organizer/notices/{notice.id}/edit", data=data)
    assert "0144" not in dump_database()
    assert "Martinez" not in dump_database()


def test_a_date_picked_is_published_with_the_notice(client):
    notice = _reported(client)
    data = {**_fields(notice), "when_date": "2026-12-04", "when_time": "06:00"}
    client.post(f"/organizer/notices/{notice.id}/edit", data=data)
    db.session.expire_all()
    assert db.session.get(ActionNotice, notice.id).when_date == date(2026, 12, 4)
    client.post(f"/organizer/notices/{notice.id}", data={"action": "verify"})
    page = " ".join(visible_text(client.get("/actions?lang=en").get_data(as_text=True)).split())
    assert "Friday, December 4, 2026" in page
    assert "6:00" in page
    spanish = visible_text(client.get("/actions?lang=es").get_data(as_text=True))
    assert "viernes, 4 de diciembre de 2026" in spanish
    # The one-click draft carries the date in English too (the worker's words stay Spanish).
    client.post(f"/organizer/notices/{notice.id}", data={"action": "draft"})
    alert = db.session.scalar(sa.select(Alert))
    assert "December 4, 2026" in alert.text_for("en").body
    assert "mañana" not in alert.text_for("en").body
    assert "diciembre" in alert.text_for("es").body


def test_a_verified_notice_is_no_longer_edited(client):
    notice = _reported(client)
    client.post(f"/organizer/notices/{notice.id}", data={"action": "verify"})
    client.post(
        f"/organizer/notices/{notice.id}/edit", data={**_fields(notice), "employer_name": "X"}
    )
    db.session.expire_all()
    assert db.session.get(ActionNotice, notice.id).employer_name == "SI"


def test_when_reads_in_the_current_language(app):
    notice = ActionNotice(when_date=date(2026, 12, 4), when_text="mañana")
    with force_locale("es"):
        assert notices.when(notice, words=False) == "viernes, 4 de diciembre de 2026"


def _fields(notice: ActionNotice) -> dict[str, str]:
    return {
        "employer_name": notice.employer_name,
        "what": notice.what,
        "place": notice.place,
        "when_text": notice.when_text,
    }
