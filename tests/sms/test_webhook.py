"""The /sms/inbound webhook under replay, bad input and failing services: always TwiML."""

from tests.factories import conversation_of, expiring_entries
from tests.sms.conftest import Phone, reply_text, signed_post

BASE = {"From": "+17135550142", "To": "+15005550006", "Body": "REVIEW", "MessageSid": "SMreplay1"}


def test_a_replayed_message_sid_is_answered_the_same_and_processed_once(client):
    first = signed_post(client, BASE)
    conversation = conversation_of()
    step = (conversation.flow, conversation.step, conversation.updated)
    second = signed_post(client, {**BASE, "Body": "something else entirely"})
    assert first.data == second.data
    again = conversation_of()
    assert (again.flow, again.step, again.updated) == step
    assert list(expiring_entries("sms:sid:")) == ["sms:sid:SMreplay1"]


def test_no_body_is_kept_with_the_sid(client):
    signed_post(client, {**BASE, "Body": "my secret story"})
    assert "my secret story" not in repr(expiring_entries())


def test_mms_is_answered_and_media_never_fetched(client):
    params = {
        **BASE,
        "Body": "",
        "NumMedia": "1",
        "MediaUrl0": "https://api.twilio.com/x.jpg",
        "MediaContentType0": "image/jpeg",
    }
    text = reply_text(signed_post(client, params).data)
    assert "pictures" in text
    assert "x.jpg" not in repr(expiring_entries())


def test_mms_with_a_stop_still_opts_out(client):
    text = reply_text(signed_post(client, {**BASE, "Body": "STOP", "NumMedia": "1"}).data)
    assert "START" in text


BAD_INPUTS = [
    {"Body": ""},
    {"Body": "     "},
    {"Body": "😀🔥💸"},
    {"Body": "x" * 1600},
    {"Body": "\u202eمرحبا"},
    {"Body": "<Response><Say>hi</Say></Response>"},
    {"From": "", "Body": "HELP"},
    {"From": "12345", "Body": "JOIN"},  # a short code
    {"From": "ACME Corp", "Body": "JOIN"},  # an alphanumeric sender
    {"NumMedia": "lots"},
]


def test_bad_input_always_gets_valid_twiml(client):
    for i, changes in enumerate(BAD_INPUTS):
        params = {**BASE, "MessageSid": f"SMbad{i}", **changes}
        response = signed_post(client, params)
        assert response.status_code == 200, changes
        text = reply_text(response.data)
        assert text is None or len(text) <= 1600


def test_missing_fields_still_answer(client):
    response = signed_post(client, {})
    assert response.status_code == 200
    assert reply_text(response.data)


def test_database_down_gets_a_bilingual_apology(app_factory):
    # Without Redis too: nowhere to keep the text for later (tests/sms/test_overload.py).
    app = app_factory(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none", REDIS_URL=None
    )
    response = signed_post(app.test_client(), BASE)
    assert response.status_code == 200
    text = reply_text(response.data)
    assert "Sorry" in text
    assert "Lo sentimos" in text


def test_redis_down_texting_works(app_factory):
    app = app_factory(
        REDIS_URL="redis://127.0.0.1:1/0",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
    )
    with app.app_context():
        phone = Phone(app.test_client(), "+17135550142")
        assert "1 " in phone.send("MENU")
