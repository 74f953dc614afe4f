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

from organize import subscribers
from organize.plumbing.expiring import number_key, store

# The remembered language is cached for a day: `Contact.locale` stays the record, and only the
# SMS channel changes it (`remember_locale`), so the cache is never stale.
LOCALE_TTL = 24 * 3600
NO_LOCALE = "-"  # cached "this number never chose a language"


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


@dataclass(frozen=True)
class Ahead:
    """What one text needs from expiring state, read in one round trip before it is routed."""

    claimed: bool  # this MessageSid is new (False: a replay, answer what was kept)
    conversation: Conversation | None = None
    locale: str | None = None
    replies: int | None = None  # the number's reply budget, counted with this text
    waiting: int = 0  # the number's texts kept for later (`sms.overload`): this one goes after


def read_ahead(
    *, replay: tuple[str, int] | None, phone_hash: str, budget: tuple[str, int] | None
) -> Ahead:
    """Claim the sid, read the conversation and the language, count the budget: one pipeline."""
    claim = (replay[0], "", replay[1]) if replay else None
    keys = [_key(phone_hash), number_key("locale", phone_hash), number_key("deferred", phone_hash)]
    found = store().fetch(claim=claim, reads=keys, count=budget)
    if not found.claimed:
        return Ahead(claimed=False)
    raw_conversation, cached, waiting = found.values
    if cached is None:  # not cached: the record, then cached for the next text
        cached = subscribers.locale_for(phone_hash=phone_hash) or NO_LOCALE
        store().put(number_key("locale", phone_hash), cached, LOCALE_TTL)
    return Ahead(
        claimed=True,
        conversation=_parse(phone_hash, raw_conversation),
        locale=None if cached == NO_LOCALE else cached,
        replies=found.counted,
        waiting=int(waiting) if waiting and waiting.isdigit() else 0,
    )


def remember_locale(*, phone_hash: str, locale: str) -> None:
    """The number's language, recorded (`Contact`, the subscriber) and cached."""
    subscribers.remember_locale(phone_hash=phone_hash, locale=locale)
    store().put(number_key("locale", phone_hash), locale, LOCALE_TTL)


def load(*, phone_hash: str) -> Conversation | None:
    """The number's live conversation, or None."""
    return _parse(phone_hash, store().get(_key(phone_hash)))


def _parse(phone_hash: str, raw: str | None) -> Conversation | None:
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
