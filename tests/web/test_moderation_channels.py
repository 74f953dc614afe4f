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


STORY = {
    "web": "The manager Pedro Ramirez kept our overtime pay for three months and yelled at us "
    "when we asked for it.",
    "sms": "the manager [name] kept our overtime pay for 3 months\nand yelled at us when we "
    "asked for it!!",
    "voice": "The manager [name] kept our overtime pay for three months, and he yelled at us "
    "when we asked for it",
}


def submit(employer, channel: str, text: str):
    review = reviews.submit(
        employer=employer,
        text=text,
        locale="en",
        channel=channel,
        ratings={"pay": 1},
        flags={},
        submission_key=reviews.new_submission_key(),
    )
    db.session.commit()
    return review


def test_one_story_by_web_sms_and_voice_is_flagged_and_does_not_reach_k_alone(app):
    assert app.config["REVIEW_K_THRESHOLD"] == 3
    employer = make_employer()
    first, by_sms, by_voice = (submit(employer, ch, text) for ch, text in STORY.items())
    other = submit(employer, "web", "Clean break room, but the night shift never gets a break.")
    assert first.duplicate_of_id is None
    assert by_sms.duplicate_of_id == first.id
    assert by_voice.duplicate_of_id in {first.id, by_sms.id}
    assert other.duplicate_of_id is None
    moderator = make_organizer()
    for review in (first, by_sms, by_voice):  # approved without deciding it is another story
        reviews.approve(review=review, actor=moderator)
    db.session.commit()
    assert reviews.summarize(employer=employer, now=_later()).count == 0  # one story: below k
    assert reviews.visible_reviews(employer=employer, now=_later()) == []


def test_the_moderator_decides_a_flagged_review(client, app):
    employer = make_employer()
    first = submit(employer, "web", STORY["web"])
    flagged = submit(employer, "sms", STORY["sms"])
    third = submit(employer, "voice", "They made us work in the freezer without gloves.")
    make_organizer()
    login(client)
    page = " ".join(moderation_page(client).split())
    assert f"Possible duplicate of review #{first.id}" in page
    html = client.get("/organizer/moderation").get_data(as_text=True)
    assert html.count('value="Not a duplicate: approve"') == 1
    for review in (first, third):
        client.post(f"/organizer/moderation/{review.id}", data={"approve": "1"})
    db.session.expire_all()
    assert reviews.summarize(employer=employer, now=_later()).count == 0
    client.post(f"/organizer/moderation/{flagged.id}", data={"approve": "1", "distinct": "1"})
    db.session.expire_all()
    assert db.session.get(Review, flagged.id).duplicate_of_id is None
    assert reviews.summarize(employer=employer, now=_later()).count == 3


def test_a_rejected_duplicate_never_counts(client):
    employer = make_employer()
    submit(employer, "web", STORY["web"])
    flagged = submit(employer, "voice", STORY["voice"])
    make_organizer()
    login(client)
    client.post(f"/organizer/moderation/{flagged.id}", data={"reject": "1", "reason": "duplicate"})
    db.session.expire_all()
    assert db.session.get(Review, flagged.id).status == "rejected"


def test_similarity_ignores_case_accents_punctuation_and_placeholders():
    assert reviews.similarity("Él nos gritó, [nombre]!", "el nos grito [name]") == 1.0
    assert reviews.similarity(STORY["web"], "Great place, fair pay, kind boss.") < 0.3


def _later():
    from datetime import UTC, datetime, timedelta

    return datetime.now(UTC) + timedelta(days=30)
