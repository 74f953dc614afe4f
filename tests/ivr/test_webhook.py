"""The /voice/* webhooks under bad signatures, bad input, replays and failing services:
403 when unsigned, otherwise always valid TwiML — never a 500."""

from xml.etree import ElementTree

import pytest
import sqlalchemy as sa

from organize.extensions import db
from organize.models import Contact, Review
from tests.factories import expiring_entries
from tests.ivr.conftest import Caller, parse, signed_post

CALL = {
    "CallSid": "CA" + "1" * 32,
    "From": "+17135550142",
    "To": "+15005550006",
    "CallStatus": "in-progress",
}
PATHS = [
    "/voice/inbound",
    "/voice/language",
    "/voice/menu?lang=es",
    "/voice/main?lang=es",
    "/voice/rights?lang=en&page=1",
    "/voice/topic?lang=en&t=overtime",
    "/voice/alerts?lang=zh",
    "/voice/subscribe?lang=tl",
    "/voice/near?lang=ht",
    "/voice/places?lang=en&region=TX",
    "/voice/organizer?lang=es",
    "/voice/dialed?lang=es",
    "/voice/review/employer?lang=es",
    "/voice/review/which?lang=es&c=0",
    "/voice/review/answer?lang=es&i=3",
    "/voice/review/story?lang=es",
    "/voice/review/more?lang=es",
    "/voice/review/confirm?lang=es",
    "/voice/review/recorded?lang=en",
    "/voice/review/wait?lang=en&n=2",
]
CALLBACKS = ["/voice/status", "/voice/review/transcript?lang=en"]


@pytest.mark.parametrize("path", PATHS + CALLBACKS)
def test_unsigned_or_mis_signed_requests_get_403_and_store_nothing(client, path):
    assert signed_post(client, path, CALL, signature="").status_code == 403
    assert signed_post(client, path, CALL, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


@pytest.mark.parametrize("path", PATHS)
def test_signed_requests_always_get_twiml(seeded, client, path):
    for extra in ({}, {"Digits": "1"}, {"Digits": "#"}, {"SpeechResult": ""}):
        response = signed_post(client, path, {**CALL, **extra})
        assert response.status_code == 200, (path, extra)
        assert len(parse(response.data)) > 0


def test_a_signature_for_another_url_is_refused(client):
    from twilio.request_validator import RequestValidator

    from organize.plumbing.webhooks import DEV_AUTH_TOKEN

    other = RequestValidator(DEV_AUTH_TOKEN).compute_signature("http://localhost/voice/main", CALL)
    assert signed_post(client, "/voice/inbound", CALL, signature=other).status_code == 403


BAD = [
    {"Digits": "99999999999999999999999"},
    {"Digits": "abc<>&"},
    {"SpeechResult": ""},
    {"SpeechResult": "   "},
    {"SpeechResult": "x" * 50_000},
    {"SpeechResult": "\u202e\x00\ud7ff<Say>hi</Say>"},
    {"From": ""},
    {"From": "anonymous"},
    {"From": "+266696687"},
    {"CallSid": ""},
    {"CallStatus": "completed", "Digits": "1"},
]


@pytest.mark.parametrize("changes", BAD)
def test_bad_input_is_answered_with_valid_twiml(seeded, client, changes):
    for path in PATHS:
        response = signed_post(client, path, {**CALL, **changes})
        assert response.status_code == 200, (path, changes)
        root = parse(response.data)
        assert (
            root.find(".//Hangup") is not None
            or root.find("./Gather") is not None
            or (root.find("./Redirect") is not None or root.find("./Dial") is not None)
        ), (path, changes)


def test_a_hang_up_mid_flow_ends_the_call_state(seeded, client):
    caller = Caller(client)
    caller.post("/voice/menu?lang=es", Digits="2")
    caller.speak("Sunrise Cleaning")
    assert len(expiring_entries("voice:call:")) == 1
    root = caller.post("/voice/review/which?lang=es&c=0", Digits="1", CallStatus="completed")
    assert [v.tag for v in root] == ["Hangup"]
    assert len(expiring_entries("voice:call:")) == 0


def test_replays_do_not_submit_or_text_twice(seeded, client):
    caller = Caller(client)
    caller.post("/voice/menu?lang=en", Digits="2")
    caller.speak("Sunrise Cleaning")
    caller.press("1")
    for _question in range(8):
        caller.press("#")
    caller.speak("They paid us late every single week.")
    preview = caller.press("2")
    action = preview.find("./Gather").attrib["action"]
    first = caller.post(action, Digits="1")
    again = caller.post(action, Digits="1")
    assert ElementTree.tostring(first) == ElementTree.tostring(again)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Review).where(Review.channel == "voice")
        )
        == 1
    )


def test_anonymous_callers_are_not_remembered_and_cannot_subscribe(seeded, client):
    caller = Caller(client, "anonymous")
    caller.call()
    caller.press("2")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0
    root = caller.follow(caller.post("/voice/menu?lang=es", Digits="4"))
    assert root.find("./Gather").attrib["action"] == "/voice/menu?lang=es"  # told, then menu


def test_database_down_gets_a_bilingual_apology_and_hangs_up(app_factory):
    app = app_factory(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    inbound = parse(signed_post(app.test_client(), "/voice/inbound", CALL).data)
    assert inbound.find("./Gather") is not None  # the greeting needs no database
    # Screens that read the database (the rights menu may come from a cache, and a call's
    # state from Redis): help near you, and its places.
    for path in ("/voice/menu?lang=es", "/voice/places?lang=es&region=TX"):
        response = signed_post(app.test_client(), path, {**CALL, "Digits": "5"})
        assert response.status_code == 200
        root = parse(response.data)
        assert [s.attrib["language"] for s in root.iter("Say")] == ["en-US", "es-MX"]
        assert root[-1].tag == "Hangup"


def test_redis_down_menus_still_work_and_texts_fail_politely(app_factory):
    app = app_factory(
        REDIS_URL="redis://127.0.0.1:1/0",
        RQ_ASYNC=True,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
    )
    with app.app_context():
        from organize.cli import seed_rights

        seed_rights()
        db.session.commit()
        caller = Caller(app.test_client())
        caller.call()
        caller.press("2")
        caller.press("1")
        topic = caller.press("1")
        assert topic.find("./Gather") is not None
        after = caller.press("2")  # "send me this by text": the queue is down
        assert after.find("./Gather") is not None
        assert after[0].tag == "Say"  # told it failed, then asked what next
        subscribe = caller.follow(caller.post("/voice/menu?lang=es", Digits="4"))
        assert subscribe.find("./Gather") is not None
        assert caller.follow(caller.press("1")).find("./Gather") is not None
