"""Conversation state per number, in expiring state (`organize.plumbing.expiring`).

Keyed by the number's blind index and holding only redacted text, a conversation is the one
place a number sits beside what the person said (DESIGN §4.7): it is deleted the moment its flow
ends, and its TTL (`SMS_CONVERSATION_TTL`, renewed on each step) is its expiry — a Redis TTL, or
a row the sweep deletes. A timed-out conversation is simply gone.
"""

import json
import time
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from organize.plumbing.expiring import number_key, store


@dataclass
class Conversation:
    """Where a number is in a multi-step flow (review, sign-up …)."""

    phone_hash: str
    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    updated: float = 0.0  # epoch seconds of the last step (an RSVP "1" must come after it)


def _key(phone_hash: str) -> str:
    return number_key("conversation", phone_hash)


def _ttl() -> int:
    return int(current_app.config["SMS_CONVERSATION_TTL"])


def load(*, phone_hash: str) -> Conversation | None:
    """The number's live conversation, or None."""
    raw = store().get(_key(phone_hash))
    if not raw:
        return None
    try:
        saved = json.loads(raw)
        return Conversation(
            phone_hash=phone_hash,
            flow=str(saved["flow"]),
            step=str(saved["step"]),
            data=dict(saved.get("data") or {}),
            updated=float(saved.get("updated") or 0.0),
        )
    except (ValueError, KeyError, TypeError):
        return None  # unreadable (an older format): start afresh


def save(conversation: Conversation) -> None:
    """Write the conversation back, renewing its TTL."""
    conversation.updated = time.time()
    value = {
        "flow": conversation.flow,
        "step": conversation.step,
        "data": conversation.data,
        "updated": conversation.updated,
    }
    store().put(_key(conversation.phone_hash), json.dumps(value, ensure_ascii=False), _ttl())


def start(
    *, phone_hash: str, flow: str, step: str, data: dict[str, Any] | None = None
) -> Conversation:
    """Begin (or replace) the number's conversation."""
    conversation = Conversation(phone_hash=phone_hash, flow=flow, step=step, data=dict(data or {}))
    save(conversation)
    return conversation


def advance(conversation: Conversation, step: str, **updates: Any) -> None:
    """Move to the next step, merging data."""
    conversation.step = step
    conversation.data = {**conversation.data, **updates}
    save(conversation)


def end(*, phone_hash: str) -> None:
    """Forget the conversation."""
    store().delete(_key(phone_hash))
