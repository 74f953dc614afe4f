"""Promise 1 for voice: no caller number in any format, none of Twilio's caller fields, and no
raw speech in the database (but the encrypted subscriber number), the logs or Redis."""

import logging
from xml.etree import ElementTree

import pytest

from tests.factories import appears, dump_database
from tests.ivr.conftest import Caller

NUMBERS = ["+17135559901", "+13055559902", "+525512349903"]
CALLER = {"Caller": "", "CallerName": "GARCIA MARIA", "CallerCity": "PASADENA",
          "CallerZip": "77506", "FromCity": "PASADENA", "FromZip": "77506", "FromState": "TX",
          "FromCountry": "US", "ToCity": "HOUSTON"}  # fmt: skip
SECRET_WORDS = ["Jorge", "Medina", "Rosales"]


def formats(e164: str) -> list[str]:
    digits = e164.lstrip("+")
    national = digits[1:] if digits.startswith("1") else digits[2:]
    area, exchange, line = national[:3], national[3:6], national[6:]
    return [e164, digits, national, national[-7:], f"{area}-{exchange}-{line}",
            f"({area}) {exchange}-{line}", f"{exchange}-{line}"]  # fmt: skip


@pytest.fixture
def calls(seeded, client, caplog):
    caplog.set_level(logging.DEBUG)
    for number in NUMBERS:
        caller = Caller(client, number, **{**CALLER, "Caller": number})
        caller.call()
        caller.press("2")  # Español, for this call
        caller.press("1")
        caller.press("1")
        caller.press("2")  # the topic by text
        caller.post("/voice/menu?lang=es", Digits="2")
        caller.speak(f"Jorge Medina de {number}")  # an employer that does not exist
        caller.speak("Sunrise Cleaning")
        caller.press("1")
        for _question in range(8):
            caller.press("#")
        caller.speak(f"Mi supervisor Jorge Medina Rosales. Llámenme al {number}.")
        caller.press("2")
        caller.press("1")
        caller.post("/voice/menu?lang=es", Digits="4")
        caller.press("1")
        Caller(client, number, **CALLER).call()  # a second call
    return caplog


def test_no_number_caller_field_or_raw_speech_at_rest(calls, redis_client):
    places = {
        "database": dump_database(),
        "logs": calls.text,
        "redis": "\n".join(
            repr(k) + repr(redis_client.dump(k)) for k in redis_client.scan_iter("*")
        ),
    }
    for name, place in places.items():
        for number in NUMBERS:
            for form in formats(number):
                assert not appears(form, place), (name, form)
        for field, value in CALLER.items():
            # "TX", "US": too short to look for
            assert len(value) < 3 or not appears(value, place), (name, field)
        for word in SECRET_WORDS:
            assert word not in place, (name, word)


def test_returning_callers_hear_the_same_greeting_as_anyone(calls, client):
    """Promise 8 (tests/ivr/test_caller_id.py walks the whole line)."""
    returning = Caller(client, NUMBERS[0]).call()
    new = Caller(client, "+17135550123").call()
    assert returning.find("./Gather").attrib["action"] == "/voice/language"
    assert ElementTree.tostring(returning) == ElementTree.tostring(new)
