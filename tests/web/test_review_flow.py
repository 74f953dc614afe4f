"""The web review: form → redacted preview → confirm → pending → moderated → published at k."""

import pytest

from organize.extensions import db
from organize.models import Review
from tests.factories import dump_database, login, make_employer, make_organizer, make_review
from tests.htmltools import input_value, visible_text

STORY = "La encargada Carmen Johnson nos gritaba. Llámenme al 713-555-0142, pagaban tarde."


def _preview(client, employer, text=STORY, lang="es", **extra):
    data = {"employer": employer.slug, "text": text, "pay": "2", "wage_theft": "yes", **extra}
    return client.post(f"/review?lang={lang}", data=data)


def test_preview_shows_redacted_text_and_stores_nothing(client):
    employer = make_employer()
    response = _preview(client, employer)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    text = visible_text(page.split("<details>")[0])
    assert "Carmen" not in text
    assert "Johnson" not in text
    assert "0142" not in text
    assert "[teléfono]" in text
    assert "[nombre]" in text
    assert db.session.query(Review).count() == 0


def test_confirm_stores_exactly_the_redacted_draft_once(client):
    employer = make_employer()
    payload = input_value(_preview(client, employer).get_data(as_text=True), "payload")
    for _ in range(2):  # a double click
        response = client.post("/review/confirm", data={"payload": payload})
        assert response.status_code == 302
    review = db.session.query(Review).one()
    assert review.status == "pending"
    assert review.locale == "es"
    assert review.channel == "web"
    assert review.pay == 2
    assert review.wage_theft is True
    assert review.hours is None
    assert review.documents_withheld is None
    assert "[teléfono]" in review.text
    assert review.redaction_report["phone"] == 1
    dump = dump_database()
    for secret in ("Carmen", "Johnson", "713-555-0142", "7135550142", "5550142"):
        assert secret not in dump


def test_tampered_payload_is_refused(client):
    employer = make_employer()
    payload = input_value(_preview(client, employer).get_data(as_text=True), "payload")
    response = client.post("/review/confirm", data={"payload": payload[:-3] + "abc"})
    assert response.status_code == 302
    assert db.session.query(Review).count() == 0


def test_empty_story_gets_a_spanish_error(client):
    employer = make_employer()
    response = _preview(client, employer, text="   ")
    assert response.status_code == 400
    assert "Por favor" in visible_text(response.get_data(as_text=True))


def test_huge_story_is_refused_with_a_clear_message(client):
    employer = make_employer()
    response = _preview(client, employer, text="x" * 6000, lang="en")
    assert response.status_code == 400
    assert "5,000" in visible_text(response.get_data(as_text=True))
    assert db.session.query(Review).count() == 0


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>They never paid overtime.",
        '<img src=x onerror="alert(1)">Bad boss.',
        "Robert'); DROP TABLE review;-- they stole tips",
        "😡😡 no pagan 💸 ",
        "\u202eلم يدفعوا الأجر\u202c never paid",
        "bin\x00ary\x07 junk but real complaint",
    ],
)
def test_hostile_input_is_stored_sanitized_and_rendered_escaped(client, text):
    employer = make_employer()
    page = _preview(client, employer, text=text, lang="en").get_data(as_text=True)
    preview = page.split("<details>")[0]
    assert "<script>alert" not in preview
    assert "onerror=" not in preview
    payload = input_value(page, "payload")
    client.post("/review/confirm", data={"payload": payload})
    review = db.session.query(Review).one()
    assert "<" not in review.text
    assert "\x00" not in review.text
    assert db.session.query(Review).count() == 1  # the table is still there


def test_unknown_employer_shows_the_picker(client):
    response = client.get("/review?employer=nope")
    assert response.status_code == 200
    assert 'name="q"' in response.get_data(as_text=True)


def test_whole_story_reaches_the_public_only_at_k(client, app):
    employer = make_employer()
    make_organizer()
    # Two different stories (the same one twice would be held back as a near-duplicate).
    for text in ("Paid late every week.", "Paid late every week, and no overtime either."):
        make_review(employer, status="approved", text=text)
    payload = input_value(_preview(client, employer).get_data(as_text=True), "payload")
    client.post("/review/confirm", data={"payload": payload})
    page = client.get(f"/employers/{employer.slug}?lang=es").get_data(as_text=True)
    assert "Paid late" not in page
    assert "Hay trabajadores que escribieron sobre este empleador." in visible_text(page)
    assert "reseñas esperan" not in page
    assert "2 reseñas" not in visible_text(page)  # below k: not even how many
    login(client)
    pending = db.session.query(Review).filter_by(status="pending").one()
    client.post(f"/organizer/moderation/{pending.id}", data={"approve": "1"})
    page = client.get(f"/employers/{employer.slug}").get_data(as_text=True)
    assert "Paid late" in page
    assert "[teléfono]" in page
    assert "Carmen" not in page
