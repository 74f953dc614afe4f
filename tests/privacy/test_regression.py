"""The privacy regression suite (issue 9, DESIGN §4 promises 1 and 7).

After a review by text, a spoken review by phone, a notice by text, a broadcast (with an RSVP
and a STOP) and a web review, it scans every value of every table, every Redis key and value,
and the captured logs for:
- any form of the numbers involved (E.164, digits, national, dashed, bracketed, last 7);
- any row, key or log line that holds a number's blind index *and* something the person said
  (story words, an employer's name they typed, a notice's words).
Once every flow has ended nothing may tie a number to what was said: not even a conversation.
"""

import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from organize import privacy
from organize.alerts import compose, fanout
from organize.extensions import db
from organize.models import Base, Review, Subscriber
from tests.factories import appears, make_employer
from tests.htmltools import input_value
from tests.ivr.conftest import Caller
from tests.sms.conftest import Phone

SMS_REVIEWER = "+17135550161"
CALLER = "+13055550162"
NOTICE_SENDER = "+17135550163"
SUBSCRIBERS = ["+17135550171", "+17135550172", "+17135550173"]
NUMBERS = [SMS_REVIEWER, CALLER, NOTICE_SENDER, *SUBSCRIBERS]
# What people said: each must never sit beside a number's blind index.
SAID = {
    "sms employer": "Golden Wok Buffet",
    "sms story": "weekend bonus",
    "voice story": "descanso",
    "notice what": "brazos caidos",
    "notice employer": "Acme Foods",
    "web story": "night manager",
}


def forms(e164: str) -> list[str]:
    """Every way a number could be written down."""
    digits = e164.lstrip("+")
    national = digits[1:] if digits.startswith("1") else digits
    area, exchange, line = national[:3], national[3:6], national[6:]
    dashed, bracketed = f"{area}-{exchange}-{line}", f"({area}) {exchange}-{line}"
    dotted, local = f"{area}.{exchange}.{line}", f"{exchange}-{line}"
    return [e164, digits, national, national[-7:], dashed, bracketed, dotted, local]


@pytest.fixture
def world(app_factory, fake_twilio, redis_client, caplog) -> Iterator[Flask]:
    """Every channel used once, against the fake Twilio (bodies blanked there too)."""
    caplog.set_level(logging.DEBUG)
    app = app_factory(**fake_twilio.config(), TWILIO_TIMEOUT=2.0, SEND_RATE=0, CALL_RATE=0)
    with app.app_context():
        from organize.cli import seed_employers_and_reviews, seed_rights

        seed_rights()
        seed_employers_and_reviews()
        db.session.commit()
        client = app.test_client()

        sms = Phone(client, SMS_REVIEWER)  # a review by text, for a new employer
        sms.send("REVIEW")
        sms.send(f"{SAID['sms employer']}, Pasadena")
        sms.send("NEW")
        for answer in ["2", "1", "SKIP", "2", "1", "YES", "NO", "SKIP"]:
            sms.send(answer)
        sms.send(f"They never paid the {SAID['sms story']}. Text me at {SMS_REVIEWER}.")
        assert "[" in sms.send("DONE")
        assert "Thank you" in sms.send("YES")
        sms.send("UNIRSE")  # and joins the alerts
        sms.send("SI")
        sms.send("SKIP")
        sms.send("SKIP")

        caller = Caller(client, CALLER)  # a spoken review by phone
        caller.call()
        caller.press("2")
        caller.post("/voice/menu?lang=es", Digits="2")
        caller.speak("Sunrise Cleaning")
        caller.press("1")
        for _question in range(8):
            caller.press("#")
        caller.speak(f"Trabajamos sin {SAID['voice story']}. Mi número es {CALLER}.")
        caller.press("2")
        caller.press("1")
        caller.post("/voice/menu?lang=es", Digits="1", CallStatus="completed")

        notice = Phone(client, NOTICE_SENDER)  # a notice by text
        notice.send("HUELGA")
        for answer in [
            f"Paro de {SAID['notice what']}",
            "Pasadena",
            "SKIP",
            SAID["notice employer"],
        ]:
            notice.send(answer)

        for number in SUBSCRIBERS:  # a broadcast with an RSVP, and a STOP after it
            member = Phone(client, number)
            member.send("JOIN")
            member.send("YES")
            member.send("SKIP")
            member.send("SKIP")
        alert = compose.create(texts={"en": ("Rally", "Reply 1 to come.")}, urgent=True, rsvp=True)
        db.session.commit()
        assert fanout.send(alert=alert, actor=None)
        Phone(client, SUBSCRIBERS[0]).send("1")
        Phone(client, SUBSCRIBERS[1]).send("STOP")

        employer = make_employer("Riverside Laundry")  # a web review
        page = client.post(
            "/review?lang=en",
            data={
                "employer": employer.slug,
                "pay": "2",
                "text": f"The {SAID['web story']} kept our tips every week.",
            },
        ).get_data(as_text=True)
        payload = input_value(page, "payload")
        client.post("/review/confirm", data={"payload": payload})
        db.session.commit()
        yield app


def _rows() -> list[tuple[str, str]]:
    """(table, every value of one row as text) for every row of every table."""
    found = []
    db.session.expire_all()
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            found.append((table.name, " | ".join(str(value) for value in row)))
    return found


def _redis(app: Flask, redis_client) -> list[tuple[str, str]]:
    if not app.config.get("REDIS_URL"):
        return []  # this run keeps expiring state in the database: scanned with the tables
    found = []
    for key in redis_client.scan_iter("*"):
        kind = redis_client.type(key).decode()
        value = redis_client.get(key) if kind == "string" else redis_client.dump(key)
        found.append((key.decode(errors="replace"), repr(value)))
    return found


def test_the_world_happened(world, fake_twilio):
    """The scenario really ran (the scans below would pass vacuously otherwise)."""
    channels = sorted(db.session.scalars(sa.select(Review.channel)).all())
    assert {"sms", "voice", "web"} <= set(channels)
    statuses = dict(db.session.execute(sa.select(Subscriber.phone_hash, Subscriber.status)).all())
    assert statuses[privacy.phone(SUBSCRIBERS[1]).hash] == "opted_out"
    assert len(fake_twilio.messages) >= len(SUBSCRIBERS)
    assert fake_twilio.redacted  # the review's and the notice's texts were blanked


def test_no_number_in_any_form_in_the_database_redis_or_logs(world, redis_client, caplog):
    places = {
        "database": "\n".join(text for _table, text in _rows()),
        "redis": "\n".join(f"{k} {v}" for k, v in _redis(world, redis_client)),
        "logs": caplog.text,
    }
    for name, place in places.items():
        for number in NUMBERS:
            for form in forms(number):
                assert not appears(form, place), (name, form)


def test_nothing_ties_a_blind_index_to_what_the_person_said(world, redis_client, caplog):
    hashes = {privacy.phone(number).hash: number for number in NUMBERS}
    places = [(f"table {t}", text) for t, text in _rows()]
    places += [(f"redis {k}", f"{k} {v}") for k, v in _redis(world, redis_client)]
    places += [("log", line) for line in caplog.text.splitlines()]
    for where, text in places:
        tied = [hashes[h] for h in hashes if h in text]
        if not tied:
            continue
        lowered = text.lower()
        for what, words in SAID.items():
            assert words.lower() not in lowered, f"{where} ties {tied} to the {what}"


def test_no_conversation_or_quoting_reply_outlives_its_flow(world, redis_client):
    held = [text for table, text in _rows() if table == "expiring"]
    held += [f"{k} {v}" for k, v in _redis(world, redis_client) if k.startswith("organize:")]
    assert not [entry for entry in held if "conversation" in entry]
    for entry in held:
        for words in SAID.values():
            assert words.lower() not in entry.lower(), entry
