"""Subscribers in bulk, alerts, and an app wired to the fake Twilio."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from organize import alerts, privacy
from organize.extensions import db
from organize.models import Alert, Subscriber


def number(i: int) -> str:
    return f"+1713555{i:04d}"


def add_subscribers(count: int, *, start: int = 0, **fields: Any) -> list[Subscriber]:
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
                time_zone=fields.get("time_zone", "UTC"),
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
    alert = alerts.create(texts=texts, urgent=kwargs.pop("urgent", True), **kwargs)
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
