"""What a call must remember beyond its URLs: the review being built (redacted only) and which
texts it already sent (so a replayed request does not text twice).

One expiring entry per call (`organize.plumbing.expiring`: Redis with a TTL, else a row the
sweep deletes), keyed by the blind index of the CallSid — not the caller's number — so an SMS
conversation of the same person is left alone, callers with hidden numbers do not share one,
and nothing in it points back at a phone number. It expires after `VOICE_STATE_TTL` and is
deleted when the call ends.
"""

import json
from typing import Any

from flask import current_app

from organize import privacy
from organize.plumbing.expiring import store

VOICE_STATE_TTL = 3600  # seconds; a call lasts minutes, a transcript may take a few more


def key(call_sid: str) -> str | None:
    """The entry's key for a call, or None when Twilio sent no CallSid."""
    return "voice:call:" + privacy.blind_index(f"voice-call:{call_sid}") if call_sid else None


def load(call_sid: str) -> dict[str, Any]:
    """The call's data (empty when none, expired, or without a CallSid)."""
    entry = key(call_sid)
    raw = store().get(entry) if entry is not None else None
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def save(call_sid: str, **updates: Any) -> bool:
    """Merge `updates` into the call's data. False when the call cannot keep state."""
    entry = key(call_sid)
    if entry is None:
        return False
    data = {**load(call_sid), **updates}
    ttl = int(current_app.config.get("VOICE_STATE_TTL", VOICE_STATE_TTL))
    store().put(entry, json.dumps(data, ensure_ascii=False), ttl)
    return True


def end(call_sid: str) -> None:
    """Forget the call (it hung up, or finished)."""
    entry = key(call_sid)
    if entry is not None:
        store().delete(entry)


def review(call_sid: str) -> dict[str, Any]:
    """The spoken review in progress on this call (empty when none)."""
    return dict(load(call_sid).get("review", {}))


def save_review(call_sid: str, data: dict[str, Any]) -> bool:
    """Keep the review with the call: ids, answers and redacted text only."""
    return save(call_sid, review=data)
