"""Promise 1 for texting: no sender number in any format, and none of Twilio's location fields,
in the database (but the encrypted subscriber number), the logs or Redis."""

import logging

import pytest

from organize import privacy
from tests.factories import appears, dump_database
from tests.sms.conftest import Phone

# Not in the seed data (its resources have public phone numbers that would match).
NUMBERS = ["+17135559901", "+13055559902", "+525512349903"]
LOCATION = {
    "FromCity": "PASADENA",
    "FromState": "TX",
    "FromZip": "77506",
    "FromCountry": "US",
    "ToCity": "HOUSTON",
    "CallerName": "GARCIA MARIA",
}


def formats(e164: str) -> list[str]:
    digits = e164.lstrip("+")
    national = digits[1:] if digits.startswith("1") else digits[2:]
    area, exchange, line = national[:3], national[3:6], national[6:]
    return [
        e164,
        digits,
        national,
        national[-7:],
        f"{area}-{exchange}-{line}",
        f"({area}) {exchange}-{line}",
        f"{exchange}-{line}",
    ]


@pytest.fixture
def conversations(seeded, client, redis_client, caplog):
    caplog.set_level(logging.DEBUG)
    for number in NUMBERS:
        phone = Phone(client, number)
        scripts = [
            ["JOIN", "YES", "TX", "SKIP", "ALERTS"],
            ["RESEÑA", "Sunrise", "1", *["SKIP"] * 8, f"call me at {number}", "LISTO", "SI"],
            ["DERECHOS", "1", "CERCA", "1", "LANG", "2", "HELP", "ALTO"],
        ]
        for script in scripts:
            for body in script:
                phone.send(body, **LOCATION)
    return caplog


def test_no_number_or_location_at_rest_in_logs_or_redis(conversations, redis_client):
    dump = dump_database()
    logs = conversations.text
    redis_dump = "\n".join(
        repr(key) + repr(redis_client.dump(key)) for key in redis_client.scan_iter("*")
    )
    for place_name, place in (("database", dump), ("logs", logs), ("redis", redis_dump)):
        for number in NUMBERS:
            for form in formats(number):
                assert not appears(form, place), (place_name, form)
        for field, value in LOCATION.items():
            assert not appears(value, place) or field == "FromState", (place_name, field)


def test_subscribers_numbers_are_encrypted_and_recoverable(conversations):
    from sqlalchemy import select

    from organize.extensions import db
    from organize.models import Subscriber

    rows = db.session.scalars(select(Subscriber)).all()
    assert len(rows) == len(NUMBERS)
    assert sorted(privacy.decrypt(r.phone_cipher) for r in rows) == sorted(NUMBERS)
    assert {r.phone_hash for r in rows} == {privacy.phone(n).hash for n in NUMBERS}
