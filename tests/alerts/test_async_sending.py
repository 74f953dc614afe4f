"""The send core's async client: twilio's own (`create_async`) on the job's aiohttp session.

What the pipeline relies on: a stalled answer is "unsure" (never retried blindly), a refused
connection is safe to retry, provider codes come through, and a batch never has more than
SEND_CONCURRENCY requests in flight.
"""

import asyncio
import socket
import threading
import time
from typing import Any

import pytest

from organize.alerts import fanout
from organize.outbound import messaging
from tests.alerts.conftest import add_subscribers, make_alert, number
from tests.faketwilio import FakeTwilio

TO = "+17135550142"


def send_one(concurrency: int = 1, **kwargs: Any) -> messaging.Sent:
    async def run() -> messaging.Sent:
        async with messaging.async_client(concurrency=concurrency) as rest:
            assert rest is not None
            return await messaging.send_sms_async(
                rest, to=TO, body="Huelga", sender=messaging.sender(), **kwargs
            )

    return asyncio.run(run())


def test_a_text_goes_through_twilios_async_client(twilio_app, fake_twilio):
    sent = send_one(status_callback="https://x/sms/status")
    assert sent.sid.startswith("SM")
    [record] = fake_twilio.sent_to(TO)
    assert (record["body"], record["from"]) == ("Huelga", "+15005550006")
    assert record["status_callback"] == "https://x/sms/status"


def test_no_answer_is_unsure_and_a_refused_connection_is_retryable(
    app_factory, fake_twilio, unused_port
):
    fake_twilio.behaviour.timeout_rate = 1.0
    fake_twilio.behaviour.stall_seconds = 1.0
    fake_twilio.behaviour.stall_after_create = True
    with app_factory(**fake_twilio.config(), TWILIO_TIMEOUT=0.2).app_context():
        with pytest.raises(messaging.UnsureSendError):
            send_one(status_callback=None)
    assert len(fake_twilio.sent_to(TO)) == 1  # it did go out: only the reconciler may tell
    closed = {**fake_twilio.config(), "TWILIO_API_URL": f"http://127.0.0.1:{unused_port}"}
    with app_factory(**closed, TWILIO_TIMEOUT=0.2).app_context():
        with pytest.raises(messaging.TransientSendError) as info:
            send_one(status_callback=None)
    assert not isinstance(info.value, messaging.UnsureSendError)


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (429, 20429, messaging.TransientSendError),
        (503, 20500, messaging.TransientSendError),
        (400, 21610, messaging.PermanentSendError),
    ],
)
def test_provider_answers_are_sorted(twilio_app, fake_twilio, status, code, error):
    fake_twilio.behaviour.fail_next.append((status, code))
    with pytest.raises(error) as info:
        send_one(status_callback=None)
    assert info.value.code == code


def test_a_batch_keeps_at_most_send_concurrency_requests_in_flight(sender, fake_twilio):
    sender.config.update(SEND_CONCURRENCY=3)
    seen = InFlight(fake_twilio)
    add_subscribers(30)
    assert fanout.send(alert=make_alert(), actor=None)
    assert len(fake_twilio.counts_by_recipient()) == 30
    assert seen.most == 3


class InFlight:
    """Counts the fake's create-message requests being answered at once (each held for 50 ms,
    long enough for requests to overlap)."""

    def __init__(self, fake: FakeTwilio) -> None:
        self.now = self.most = 0
        self.lock = threading.Lock()
        create = fake.create_message

        def counted(form: dict[str, str]) -> tuple[int, dict[str, Any]]:
            with self.lock:
                self.now += 1
                self.most = max(self.most, self.now)
            try:
                time.sleep(0.05)
                return create(form)
            finally:
                with self.lock:
                    self.now -= 1

        fake.create_message = counted  # type: ignore[method-assign]


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_batch_sends_from_a_thread_that_already_runs_an_event_loop(sender, fake_twilio):
    """A caller inside an event loop (an async caller; a test process whose browser driver holds
    one) still sends: the batch's loop runs on a thread of its own, with the app context."""
    add_subscribers(3)
    alert = make_alert()

    async def press_send() -> bool:
        return fanout.send(alert=alert, actor=None)

    assert asyncio.run(press_send())
    assert sorted(m["to"] for m in fake_twilio.messages) == [number(i) for i in range(3)]
