"""The outbound seam against the local fake Twilio, with the real twilio client."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from organize import privacy
from organize.extensions import db
from organize.models import OutboxMessage
from organize.outbound import messaging

TO = "+17135550142"


def test_send_sms_goes_through_the_real_client(twilio_app, fake_twilio):
    sent = messaging.send_sms(to=TO, body="Huelga mañana", status_callback="https://x/sms/status")
    assert sent.sid.startswith("SM")
    [record] = fake_twilio.sent_to(TO)
    assert record["body"] == "Huelga mañana"
    assert record["from"] == "+15005550006"
    assert record["status_callback"] == "https://x/sms/status"


def test_messaging_service_sid_is_used_as_sender(app_factory, fake_twilio):
    with app_factory(**{**fake_twilio.config(), "TWILIO_FROM": "MG" + "1" * 32}).app_context():
        messaging.send_sms(to=TO, body="x")
    assert fake_twilio.sent_to(TO)[0]["messaging_service_sid"] == "MG" + "1" * 32


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (503, 20500), (500, 20500)])
def test_throttling_and_provider_errors_are_transient(twilio_app, fake_twilio, status, code):
    fake_twilio.behaviour.fail_next.append((status, code))
    with pytest.raises(messaging.TransientSendError):
        messaging.send_sms(to=TO, body="x")
    assert messaging.send_sms(to=TO, body="x").sid  # the next try goes through


@pytest.mark.parametrize(("kind", "code"), [("opted_out", 21610), ("invalid", 21211)])
def test_refusals_are_permanent_with_their_code(twilio_app, fake_twilio, kind, code):
    getattr(fake_twilio.behaviour, kind).add(TO)
    with pytest.raises(messaging.PermanentSendError) as info:
        messaging.send_sms(to=TO, body="x")
    assert info.value.code == code
    assert code in messaging.SUPPRESS


def test_a_stalled_provider_times_out_as_transient(app_factory, fake_twilio):
    fake_twilio.behaviour.timeout_rate = 1.0
    fake_twilio.behaviour.stall_seconds = 2.0
    with (
        app_factory(**fake_twilio.config(), TWILIO_TIMEOUT=0.3).app_context(),
        pytest.raises(messaging.TransientSendError),
    ):
        messaging.send_sms(to=TO, body="x")


def test_sent_since_lists_what_reached_the_provider(twilio_app, fake_twilio):
    before = datetime.now(UTC) - timedelta(seconds=5)
    sent = messaging.send_sms(to=TO, body="x")
    messaging.send_sms(to="+13055550177", body="y")
    assert [s.sid for s in messaging.sent_since(to=TO, since=before)] == [sent.sid]
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert messaging.sent_since(to=TO, since=later) == []


def test_delete_recording_and_its_retry(twilio_app, fake_twilio):
    fake_twilio.behaviour.recording_failures = 1
    with pytest.raises(messaging.TransientSendError):
        messaging.delete_recording(sid="RE123")
    assert messaging.delete_recording(sid="RE123")
    assert fake_twilio.deleted_recordings == ["RE123"]


def test_place_call(twilio_app, fake_twilio):
    sent = messaging.place_call(to=TO, url="https://x/voice/alert/1")
    assert sent.sid.startswith("CA")
    assert fake_twilio.calls[0]["url"] == "https://x/voice/alert/1"


def test_without_credentials_messages_go_to_the_outbox_by_blind_index(app):
    sent = messaging.send_sms(to=TO, body="hola")
    db.session.commit()
    row = db.session.scalar(sa.select(OutboxMessage))
    assert sent.sid.startswith("OB")
    assert row.phone_hash == privacy.phone(TO).hash
    assert row.body == "hola"
    assert "7135550142" not in repr((row.phone_hash, row.body))
