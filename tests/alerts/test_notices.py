"""Action notices: reported by workers (web, SMS), redacted, verified, turned into drafts."""

import sqlalchemy as sa

from organize.extensions import db
from organize.models import ActionNotice, Alert
from tests.factories import dump_database, login, make_organizer
from tests.htmltools import visible_text

REPORT = {
    "what": "Walk-out at 6am, call Rosa Martinez at 713-555-0144 to join",
    "employer": "Golden Wok",
    "place": "Main St and 5th",
    "when": "Friday 6am",
}


def test_web_report_is_redacted_pending_and_not_public(client):
    page = client.post("/actions/report", data=REPORT).get_data(as_text=True)
    assert "[phone]" in page
    assert "0144" not in page
    notice = db.session.scalar(sa.select(ActionNotice))
    assert notice.status == "pending"
    assert "Martinez" not in dump_database()
    assert "713-555-0144" not in dump_database()
    assert "Walk-out" not in client.get("/actions").get_data(as_text=True)


def test_empty_report_is_refused_in_spanish(client):
    response = client.post("/actions/report?lang=es", data={"what": " "})
    assert response.status_code == 400
    assert "Cuéntenos" in visible_text(
        response.get_data(as_text=True)
    ) or "Por favor" in visible_text(response.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionNotice)) == 0


def test_verify_then_public_then_one_click_draft(client):
    client.post("/actions/report", data=REPORT)
    notice = db.session.scalar(sa.select(ActionNotice))
    make_organizer(email="org@example.org", role="organizer")
    login(client, "org@example.org")
    client.post(f"/organizer/notices/{notice.id}", data={"action": "verify"})
    assert "Walk-out" in client.get("/actions").get_data(as_text=True)
    response = client.post(f"/organizer/notices/{notice.id}", data={"action": "draft"})
    alert = db.session.scalar(sa.select(Alert))
    assert response.headers["Location"].endswith(f"/organizer/alerts/{alert.id}")
    assert alert.status == "draft"
    assert "Walk-out" in alert.text_for("en").body


def test_rejected_notices_keep_no_text(client):
    client.post("/actions/report", data=REPORT)
    notice = db.session.scalar(sa.select(ActionNotice))
    make_organizer(email="org@example.org", role="organizer")
    login(client, "org@example.org")
    client.post(f"/organizer/notices/{notice.id}", data={"action": "reject"})
    db.session.expire_all()
    assert db.session.get(ActionNotice, notice.id).what == ""


def test_report_by_text(client):
    from tests.sms.conftest import Phone

    phone = Phone(client, "+17135550142")
    assert "?" in phone.send("HUELGA")
    phone.send("Paro en la planta, hablen con el encargado Luis Perez")
    phone.send("Houston")
    phone.send("SALTAR")
    assert "Gracias" in phone.send("Taqueria El Sol")
    notice = db.session.scalar(sa.select(ActionNotice))
    assert notice.channel == "sms"
    assert notice.locale == "es"
    assert "Perez" not in notice.what
    assert notice.employer_name == "Taqueria El Sol"
    assert notice.when_text == ""


def test_a_spanish_notice_drafts_english_in_english_and_spanish_in_spanish(client):
    client.post(
        "/actions/report?lang=es",
        data={
            "what": "Paro mañana en la cocina, todos afuera",
            "employer": "Taqueria El Sol",
            "place": "Main St",
            "when": "mañana 6am",
        },
    )
    notice = db.session.scalar(sa.select(ActionNotice))
    assert notice.locale == "es"
    make_organizer(email="org@example.org", role="organizer")
    login(client, "org@example.org")
    client.post(f"/organizer/notices/{notice.id}", data={"action": "verify"})
    client.post(f"/organizer/notices/{notice.id}", data={"action": "draft"})
    alert = db.session.scalar(sa.select(Alert))
    english, spanish = alert.text_for("en"), alert.text_for("es")
    assert (english.locale, spanish.locale) == ("en", "es")
    for spanish_word in ("Paro", "cocina", "mañana", "Dónde", "Acción"):
        assert spanish_word not in english.title + english.body
    assert "Workers report" in english.body
    assert "Main St" in english.body
    assert "Taqueria El Sol" in english.title
    assert "Paro mañana en la cocina" in spanish.body
    assert "mañana 6am" in spanish.body
    assert "Workers" not in spanish.title + spanish.body
    assert "Dónde: Main St" in spanish.body
    assert "Cuándo: mañana 6am" in spanish.body
