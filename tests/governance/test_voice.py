"""By phone: the code read digit by digit after a spoken review; 6, the code on the keypad,
the status, 1 to appeal with a spoken reason; wrong codes run out."""

import re

import sqlalchemy as sa

from organize import reviews
from organize.extensions import db
from organize.governance import codes
from organize.models import PanelCase, Review
from tests.factories import make_employer, make_organizer, make_review
from tests.ivr.conftest import Caller


def _spoken_review(caller) -> str:
    caller.post("/voice/menu?lang=en", Digits="2")
    caller.speak("Sunrise Cleaning")
    caller.press("1")
    for _question in range(8):
        caller.press("#")
    caller.speak("They paid us late every single week.")
    preview = caller.press("2")
    thanks = caller.post(preview.find("./Gather").attrib["action"], Digits="1")
    said = " ".join(s.text or "" for s in thanks.iter("Say"))
    digits = re.findall(r"(\d, \d, \d, \d, \d\. \d, \d, \d, \d, \d)", said)
    assert len(digits) == 2, said  # read twice, digit by digit
    assert digits[0] == digits[1]
    return re.sub(r"\D", "", digits[0])


def test_a_spoken_review_gets_its_code_read_out_then_status_and_appeal_by_keypad(client):
    make_employer()
    code = _spoken_review(Caller(client))
    review = db.session.scalars(sa.select(Review)).one()
    assert review.status_code_hash == codes.digest(code)
    reviews.reject(review=review, actor=make_organizer(), reason="not-about-work")
    db.session.commit()
    caller = Caller(client, number="+13055550123")
    caller.post("/voice/menu?lang=es", Digits="6")
    offer = caller.press(code + "#")
    said = caller.text()
    assert "Rechazada" in said
    assert "No habla de trabajar ahí" in said
    assert offer.find("./Gather") is not None
    caller.press("1")
    done = caller.speak("Sí es del trabajo, me llamo Maria Gonzalez")
    assert done is not None
    case = db.session.scalars(sa.select(PanelCase)).one()
    assert (case.kind, case.review_id, case.locale) == ("appeal", review.id, "es")
    assert "Gonzalez" not in case.reason


def test_the_main_menu_offers_the_status_line(client):
    caller = Caller(client)
    caller.post("/voice/language", Digits="1")
    assert "press 6" in caller.text()


def test_wrong_codes_by_phone_run_out(client):
    review = make_review(make_employer())
    review.status_code_hash = codes.digest("4444455555")
    db.session.commit()
    caller = Caller(client, number="+13055550124")
    for wrong in ["0000000000", "1111111111", "2222222222", "3333333333", "9999999999"]:
        caller.post("/voice/status/code?lang=en", Digits=wrong + "#")
        assert "no review with this code" in caller.text()
    caller.post("/voice/status/code?lang=en", Digits="4444455555#")
    assert "Too many codes" in caller.text()
    other = Caller(client, number="+13055550125")
    other.post("/voice/status/code?lang=en", Digits="4444455555")
    assert "Waiting" in other.text()
