"""By text: the code in the confirmation, STATUS <code>, APPEAL <code> <reason>, wrong codes."""

import re

import pytest
import sqlalchemy as sa

from organize import reviews
from organize.extensions import db
from organize.governance import codes
from organize.models import PanelCase, Review
from tests.factories import make_employer, make_organizer, make_review
from tests.sms.conftest import Phone


@pytest.fixture
def phone_factory(client):
    return lambda number="+17135550142": Phone(client, number)


@pytest.fixture
def phone(phone_factory):
    return phone_factory()


ANSWERS = ["2", "1", "SKIP", "2", "1", "YES", "NO", "SKIP"]


def _review_by_text(phone) -> str:
    phone.send("REVIEW")
    phone.send("Golden Wok Buffet, Pasadena")
    phone.send("NEW")
    for answer in ANSWERS:
        phone.send(answer)
    phone.send("They never paid the weekend bonus.")
    phone.send("DONE")
    thanks = phone.send("YES")
    match = re.search(r"(\d{5} \d{5})", thanks or "")
    assert match, thanks
    return match.group(1)


def test_a_review_by_text_gets_a_code_then_status_and_appeal(app, phone):
    code = _review_by_text(phone)
    review = db.session.scalars(sa.select(Review)).one()
    assert review.status_code_hash == codes.digest(code.replace(" ", ""))
    assert "Waiting" in phone.send(f"STATUS {code}")
    reviews.reject(review=review, actor=make_organizer(), reason="spam")
    db.session.commit()
    answer = phone.send(f"status {code.replace(' ', '-')}")
    assert "Spam or advertising" in answer
    assert "APPEAL" in answer
    sent = phone.send(f"APPEAL {code} It is about pay, not an ad. Call 713-555-0199")
    assert "workers' panel" in sent
    case = db.session.scalars(sa.select(PanelCase)).one()
    assert case.review_id == review.id
    assert "555" not in case.reason
    assert "pay" in case.reason
    assert "waiting for the workers' panel" in phone.send(f"STATUS {code}")


def test_status_answers_in_the_persons_language(app, phone):
    review = make_review(make_employer())
    review.status_code_hash = codes.digest("1234512345")
    db.session.commit()
    assert "Esperando" in phone.send("ESTADO 12345 12345")


def test_wrong_codes_by_text_look_alike_and_run_out(app, phone_factory):
    phone = phone_factory("+17135550177")
    review = make_review(make_employer())
    review.status_code_hash = codes.digest("2222233333")
    db.session.commit()
    answers = {
        phone.send(f"STATUS {wrong}") for wrong in ["0000000000", "9999999999", "1234567890"]
    }
    answers |= {phone.send(f"STATUS {wrong}") for wrong in ["5555555555", "8888888888"]}
    assert len(answers) == 1
    assert "Too many" in phone.send("STATUS 2222233333")  # even the right code, now
    other = phone_factory("+17135550178")  # another number is not blocked
    assert "Waiting" in other.send("STATUS 2222233333")


def test_a_story_that_starts_with_status_is_not_a_lookup(app, phone):
    from sms.keywords import leading

    assert leading("status of workers here is bad") is None
    assert leading("STATUS 12345 67890").intent == "status"
    assert leading("Estado 12345-67890.").intent == "status"
    assert leading("apelar 1234567890 sí es del trabajo").intent == "appeal"
    assert "STATUS" in phone.send("STATUS")  # alone: how to use it
