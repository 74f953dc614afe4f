"""Conversation state per number: one row keyed by the blind index, expiring, redacted only."""

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from organize.extensions import db
from organize.models import Conversation


def load(*, phone_hash: str) -> Conversation | None:
    """The number's live conversation; an expired one is deleted and treated as none."""
    return load_or_expire(phone_hash=phone_hash)[0]


def load_or_expire(*, phone_hash: str) -> tuple[Conversation | None, bool]:
    """(live conversation or None, whether one had just expired and was deleted)."""
    conversation = db.session.scalar(
        sa.select(Conversation).where(Conversation.phone_hash == phone_hash)
    )
    if conversation is None:
        return None, False
    if conversation.expires_at <= datetime.now(UTC):
        db.session.delete(conversation)
        db.session.flush()
        return None, True
    return conversation, False


def _expiry() -> datetime:
    seconds = int(current_app.config["SMS_CONVERSATION_TTL"])
    return datetime.now(UTC) + timedelta(seconds=seconds)


def start(
    *, phone_hash: str, flow: str, step: str, data: dict[str, Any] | None = None
) -> Conversation:
    """Begin (or replace) the number's conversation."""
    conversation = db.session.scalar(
        sa.select(Conversation).where(Conversation.phone_hash == phone_hash)
    )
    if conversation is None:
        conversation = Conversation(phone_hash=phone_hash)
        db.session.add(conversation)
    conversation.flow, conversation.step = flow, step
    conversation.data = dict(data or {})
    conversation.expires_at = _expiry()
    db.session.flush()
    return conversation


def advance(conversation: Conversation, step: str, **updates: Any) -> None:
    """Move to the next step, merging data (a new dict, so SQLAlchemy sees the change)."""
    conversation.step = step
    conversation.data = {**conversation.data, **updates}
    conversation.expires_at = _expiry()
    db.session.flush()


def end(*, phone_hash: str) -> None:
    """Forget the conversation."""
    db.session.execute(sa.delete(Conversation).where(Conversation.phone_hash == phone_hash))
    db.session.flush()
