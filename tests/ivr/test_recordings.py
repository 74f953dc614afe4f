"""Promise 4 against the local fake Twilio: a recording is deleted once its transcript arrives
(one DELETE), a failed DELETE is retried by the cleanup job, and a recording whose transcript
never arrives is deleted by it too."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from organize.extensions import db
from organize.models import PendingRecording, Review
from organize.outbound import recordings
from tests.ivr.conftest import Caller, signed_post

STORY = "My boss Jorge Medina yells at us. Call him at 713-555-0187."


@pytest.fixture
def recording_app(app_factory, fake_twilio):
    app = app_factory(**fake_twilio.config(), TWILIO_TIMEOUT=2.0, VOICE_RECORD_LOCALES=["en"])
    with app.app_context():
        from organize.cli import seed_employers_and_reviews

        seed_employers_and_reviews()
        db.session.commit()
        yield app


def _to_the_story(caller: Caller):
    caller.post("/voice/menu?lang=en", Digits="2")
    caller.speak("Sunrise Cleaning")
    caller.press("1")
    for _question in range(8):
        caller.press("#")
    record = caller.root.find("./Record")
    assert record is not None
    assert record.attrib["transcribe"] == "true"
    return record


def _transcript(client, caller: Caller, sid: str, text: str = STORY, status: str = "completed"):
    params = {"RecordingSid": sid, "CallSid": caller.sid, "TranscriptionText": text,
              "TranscriptionStatus": status, "AccountSid": "AC" + "0" * 32}  # fmt: skip
    return signed_post(client, "/voice/review/transcript?lang=en", params)


def pending() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(PendingRecording.sid)))


def test_a_recording_is_deleted_as_soon_as_its_transcript_arrives(recording_app, fake_twilio):
    client = recording_app.test_client()
    caller = Caller(client)
    record = _to_the_story(caller)
    waiting = caller.post(record.attrib["action"], RecordingSid="RE" + "a" * 32)
    assert waiting.find("./Pause") is not None
    assert pending() == ["RE" + "a" * 32]  # tracked before anything else

    assert _transcript(client, caller, "RE" + "a" * 32).status_code == 204
    assert fake_twilio.deleted_recordings == ["RE" + "a" * 32]
    assert pending() == []

    caller.follow(caller.post(waiting.find("./Redirect").text))
    preview = caller.press("2")
    heard = " ".join(s.text for s in preview.iter("Say"))
    assert "Jorge" not in heard
    assert "555-0187" not in heard
    assert "[name]" in heard
    caller.press("1")
    assert db.session.scalar(sa.select(Review).where(Review.channel == "voice")) is not None
    recordings.cleanup_recordings()
    assert fake_twilio.deleted_recordings == ["RE" + "a" * 32]  # one DELETE, never two


def test_a_failed_delete_is_retried_by_the_cleanup_job(recording_app, fake_twilio):
    client = recording_app.test_client()
    caller = Caller(client)
    record = _to_the_story(caller)
    caller.post(record.attrib["action"], RecordingSid="RE" + "b" * 32)
    fake_twilio.behaviour.recording_failures = 1
    assert _transcript(client, caller, "RE" + "b" * 32).status_code == 204
    assert fake_twilio.deleted_recordings == []
    row = db.session.scalar(sa.select(PendingRecording))
    assert row.attempts == 1

    assert recordings.cleanup_recordings() == 1
    assert fake_twilio.deleted_recordings == ["RE" + "b" * 32]
    assert pending() == []


def test_a_recording_whose_transcript_never_arrives_is_deleted(recording_app, fake_twilio):
    recordings.track(sid="RE" + "c" * 32)
    recordings.track(sid="RE" + "c" * 32)  # told twice: one row
    recordings.track(sid="RE" + "d" * 32)
    old = db.session.scalar(sa.select(PendingRecording).where(PendingRecording.sid.endswith("c")))
    old.created_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    assert recordings.cleanup_recordings() == 1
    assert fake_twilio.deleted_recordings == ["RE" + "c" * 32]
    assert pending() == ["RE" + "d" * 32]  # still within its grace period


def test_a_caller_who_waits_too_long_is_asked_by_speech(recording_app, fake_twilio):
    caller = Caller(recording_app.test_client())
    record = _to_the_story(caller)
    root = caller.post(record.attrib["action"], RecordingSid="RE" + "e" * 32)
    for _round in range(10):
        if root.find("./Gather") is not None:
            break
        root = caller.post(root.find("./Redirect").text)
    gather = root.find("./Gather")
    assert gather.attrib["input"] == "dtmf speech"
    assert fake_twilio.deleted_recordings == ["RE" + "e" * 32]


def test_redis_down_keeps_the_row_for_later(app_factory, fake_twilio):
    app = app_factory(**fake_twilio.config(), REDIS_URL="redis://127.0.0.1:1/0", RQ_ASYNC=True)
    with app.app_context():
        caller = Caller(app.test_client())
        response = _transcript(app.test_client(), caller, "RE" + "f" * 32)
        assert response.status_code == 204
        assert pending() == ["RE" + "f" * 32]
        assert fake_twilio.deleted_recordings == []
