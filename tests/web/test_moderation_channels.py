"""Moderation sees the same thing for every channel: what redaction removed, the ratings, and
the same story sent by web, SMS and voice flagged and held back from the k count."""

import sqlalchemy as sa

from organize import reviews
from organize.extensions import db
from organize.models import Review
from tests.factories import login, make_employer, make_organizer
from tests.htmltools import visible_text
from tests.sms.conftest import Phone


def moderation_page(client) -> str:
    return visible_text(client.get("/organizer/moderation").get_data(as_text=True))


def test_an_sms_review_shows_what_redaction_removed_and_its_ratings(client):
    make_employer()
    phone = Phone(client, "+17135550142")
    phone.send("RESEÑA")
    phone.send("Sunrise Cleaning, Houston")
    phone.send("1")
    for answer in ["2", "SKIP", "3", "4", "1", "SI", "NO", "SALTAR"]:
        phone.send(answer)
    phone.send("La encargada Carmen Johnson nos gritaba.")
    phone.send("Llámenme al 713-555-0199")
    assert "[nombre]" in phone.send("LISTO")
    phone.send("SI")
    review = db.session.scalar(sa.select(Review).where(Review.channel == "sms"))
    assert review.redaction_report.get("person") == 1
    assert review.redaction_report.get("phone") == 1
    make_organizer()
    login(client)
    page = moderation_page(client)
    assert "Removed by redaction: nothing" not in " ".join(page.split())
    assert "1 name" in page
    assert "1 phone number" in page
    assert "Paid on time and in full 2 of 5" in " ".join(page.split())
    assert "Kept money owed Yes" in " ".join(page.split())


def test_a_voice_story_redacted_as_it_was_heard_keeps_its_report(client):
    employer = make_employer()
    # The call redacts each recorded piece on arrival: only placeholders reach `submit`.
    review = reviews.submit(
        employer=employer,
        text="El supervisor [nombre] dijo que llamáramos al [teléfono] o al [teléfono].",
        locale="es",
        channel="voice",
        ratings={"pay": 1},
        flags={},
        submission_key=reviews.new_submission_key(),
    )
    db.session.commit()
    assert review.redaction_report == {"person": 1, "phone": 2}
    make_organizer()
    login(client)
    page = " ".join(moderation_page(client).split())
    assert "1 name" in page
    assert "2 phone numbers" in page
