"""Sentry, when SENTRY_DSN is set: an exception quoting a phone number reaches the tracker
without it (the events are captured by a local transport: no network)."""

import json
from typing import Any, ClassVar

import pytest
import sentry_sdk
from flask import Flask
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from organize.ops import tracking

NUMBER = "+1 713 555 0142"


class Captured(Transport):
    """Keeps every event it is given instead of sending it."""

    events: ClassVar[list[dict[str, Any]]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        for item in envelope.items:
            if item.type in {"event", "error"}:
                Captured.events.append(json.loads(item.payload.get_bytes()))


@pytest.fixture
def tracked(app_factory):
    Captured.events = []
    app: Flask = app_factory(SENTRY_DSN="https://public@sentry.invalid/1")
    stop = tracking.install(app, transport=Captured)
    assert stop is not None

    @app.get("/boom")
    def boom() -> str:
        raise ValueError(f"could not text {NUMBER} from 198.51.100.7")

    yield app
    stop()


def test_a_number_in_an_exception_does_not_reach_the_event(tracked):
    client = tracked.test_client()
    with pytest.raises(ValueError, match="could not text"):  # TESTING propagates it
        client.get("/boom?From=%2B17135550142", headers={"X-Forwarded-For": "203.0.113.9"})
    sentry_sdk.flush()
    assert len(Captured.events) == 1
    event = json.dumps(Captured.events[0])
    assert "ValueError" in event
    assert "could not text" in event  # the message is kept, masked
    for personal in ("713 555 0142", "7135550142", "198.51.100.7", "203.0.113.9"):
        assert personal not in event
    assert "[phone]" in event


def test_no_dsn_no_client(app):
    assert tracking.install(app) is None


def test_the_scrubber_drops_who_called():
    event = {
        "request": {
            "method": "POST",
            "url": "https://organize.example.org/sms/inbound",
            "data": {"From": "+17135550142", "Body": "my boss Maria"},
            "cookies": {"session": "x"},
            "headers": {"X-Forwarded-For": "203.0.113.9"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {"ip_address": "203.0.113.9"},
        "breadcrumbs": {"values": [{"message": "texted 713-555-0142"}]},
    }
    cleaned = tracking.scrub_event(event)
    assert cleaned["request"] == {
        "method": "POST",
        "url": "https://organize.example.org/sms/inbound",
    }
    assert "user" not in cleaned
    dumped = json.dumps(cleaned)
    assert "555" not in dumped
    assert "203.0.113.9" not in dumped
