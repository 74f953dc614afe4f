"""Subscribers in bulk, alerts, and an app wired to the fake Twilio."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis
from flask import Flask

from organize import privacy, subscribers
from organize.alerts import compose, fanout
from organize.extensions import db
from organize.models import Alert, Subscriber
from organize.outbound import messaging
from tests.conftest import TEST_REDIS_URL, use_redis


def number(i: int) -> str:
    return f"+1713555{i:04d}"


def zone_where_it_is(hour: int) -> str:
    """A fixed-offset zone whose local hour is `hour` right now (every hour has one)."""
    now = datetime.now(UTC)
    for offset in range(-12, 15):
        name = f"Etc/GMT{-offset:+d}" if offset else "UTC"
        if now.astimezone(ZoneInfo(name)).hour == hour:
            return name
    raise AssertionError("no zone found")


def add_subscribers(count: int, *, start: int = 0, **fields: Any) -> list[Subscriber]:
    """Active subscribers; by default where it is midday, so quiet hours never hold a test up."""
    midday = fields.get("time_zone") or zone_where_it_is(12)
    rows = []
    for i in range(start, start + count):
        e164 = number(i)
        rows.append(
            Subscriber(
                phone_hash=privacy.phone(e164).hash,
                phone_cipher=privacy.encrypt(e164),
                status=fields.get("status", "active"),
                locale=fields.get("locale", "en"),
                region=fields.get("region"),
                tags=fields.get("tags", []),
                time_zone=midday,
                consent_source="test",
            )
        )
    db.session.add_all(rows)
    db.session.commit()
    return rows


def make_alert(**kwargs: Any) -> Alert:
    texts = kwargs.pop(
        "texts",
        {
            "en": ("Strike Friday", "Meet at the gate at 7am."),
            "es": ("Huelga el viernes", "Nos vemos en la puerta a las 7am."),
        },
    )
    alert = compose.create(texts=texts, urgent=kwargs.pop("urgent", True), **kwargs)
    db.session.commit()
    return alert


@pytest.fixture
def sender(app_factory: Callable[..., Flask], fake_twilio: Any) -> Iterator[Flask]:
    """An app sending to the fake Twilio, unthrottled, retrying at once."""
    app = app_factory(
        **fake_twilio.config(),
        SEND_RATE=0,
        CALL_RATE=0,
        SEND_RETRY_SECONDS=0,
        TWILIO_TIMEOUT=2.0,
        PUBLIC_URL="https://organize.example.org",
    )
    with app.app_context():
        yield app


@pytest.fixture
def redis_sender_with(
    app_factory: Callable[..., Flask], fake_twilio: Any, redis_client: redis.Redis
) -> Iterator[Callable[..., Flask]]:
    """`make(**config)`: an app sending to the fake Twilio with Redis (real, else fakeredis
    behind RQ's connection), so batch jobs run as RQ jobs, inline; unthrottled, retrying at
    once."""
    contexts = []

    def make(**overrides: Any) -> Flask:
        config = {
            **fake_twilio.config(),
            "REDIS_URL": TEST_REDIS_URL or "redis://fake",
            "SEND_RATE": 0,
            "CALL_RATE": 0,
            "SEND_RETRY_SECONDS": 0,
            "TWILIO_TIMEOUT": 2.0,
            "PUBLIC_URL": "https://organize.example.org",
            **overrides,
        }
        app = app_factory(**config)
        context = app.app_context()
        context.push()
        contexts.append(context)
        use_redis(redis_client)
        return app

    yield make
    for context in reversed(contexts):
        context.pop()


def send(alert: Alert) -> None:
    assert fanout.send(alert=alert, actor=None)


def after_sending_to(monkeypatch, to: str, action) -> None:
    """Run `action()` and commit right after the text to `to` leaves (something happening
    while a broadcast is under way: a STOP, a cancel)."""
    real_send = messaging.send_sms_async

    async def send_then_act(rest, **kwargs):
        sent = await real_send(rest, **kwargs)
        if kwargs["to"] == to:
            action()
            db.session.commit()
        return sent

    monkeypatch.setattr(messaging, "send_sms_async", send_then_act)


def cancel(alert_id: int) -> Callable[[], Any]:
    """An organizer cancelling the alert (an action for `after_sending_to`)."""
    return lambda: compose.cancel(alert=db.session.get(Alert, alert_id), actor=None)


def stop_after_first_text(monkeypatch, i: int) -> None:
    """Subscriber `i` texts STOP just after the broadcast's first text (to subscriber 0) leaves."""
    after_sending_to(
        monkeypatch,
        number(0),
        lambda: subscribers.opt_out(phone_hash=privacy.phone(number(i)).hash),
    )


def broadcast_with_a_stop(monkeypatch, fake_twilio: Any, count: int, stopper: int) -> None:
    """Broadcast to `count` subscribers while subscriber `stopper` texts STOP just after the
    first text leaves; their STOP must hold back their text and no one else's."""
    add_subscribers(count)
    stop_after_first_text(monkeypatch, stopper)
    alert = make_alert()
    send(alert)
    counts = fake_twilio.counts_by_recipient()
    assert number(stopper) not in counts
    assert counts == {number(i): 1 for i in range(count) if i != stopper}
    assert compose.progress(alert_id=alert.id) == {"sent": count - 1, "skipped": 1}
