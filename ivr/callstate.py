"""What a call must remember beyond its URLs: the review being built (redacted only) and which
texts it already sent (so a replayed request does not text twice).

One `Conversation` row per call, keyed by the blind index of the CallSid — not the caller's
number — so an SMS conversation of the same person is left alone, callers with hidden numbers
do not share a row, and nothing in it points back at a phone number. Rows expire quickly and
are deleted when the call ends.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from organize import privacy
from organize.extensions import db
from organize.models import Conversation

FLOW = "voice-call"
VOICE_STATE_TTL = 3600  # seconds; a call lasts minutes, a transcript may take a few more


def key(call_sid: str) -> str | None:
    """The row's key for a call, or None when Twilio sent no CallSid."""
    return privacy.blind_index(f"voice-call:{call_sid}") if call_sid else None


def _row(call_sid: str) -> Conversation | None:
    row_key = key(call_sid)
    if row_key is None:
        return None
    row = db.session.scalar(sa.select(Conversation).where(Conversation.phone_hash == row_key))
    if row is not None and (row.flow != FLOW or row.expires_at <= datetime.now(UTC)):
        db.session.delete(row)
        db.session.flush()
        return None
    return row


def load(call_sid: str) -> dict[str, Any]:
    """The call's data (empty when none, expired, or without a CallSid)."""
    row = _row(call_sid)
    return dict(row.data) if row is not None else {}


def save(call_sid: str, **updates: Any) -> bool:
    """Merge `updates` into the call's data. False when the call cannot keep state."""
    row_key = key(call_sid)
    if row_key is None:
        return False
    row = _row(call_sid)
    if row is None:
        row = Conversation(phone_hash=row_key, flow=FLOW, step="call", data={})
        db.session.add(row)
    row.data = {**(row.data or {}), **updates}
    ttl = int(current_app.config.get("VOICE_STATE_TTL", VOICE_STATE_TTL))
    row.expires_at = datetime.now(UTC) + timedelta(seconds=ttl)
    db.session.flush()
    return True


def end(call_sid: str) -> None:
    """Forget the call (it hung up, or finished)."""
    row_key = key(call_sid)
    if row_key is not None:
        db.session.execute(sa.delete(Conversation).where(Conversation.phone_hash == row_key))
        db.session.flush()


def review(call_sid: str) -> dict[str, Any]:
    """The spoken review in progress on this call (empty when none)."""
    return dict(load(call_sid).get("review", {}))


def save_review(call_sid: str, data: dict[str, Any]) -> bool:
    """Keep the review with the call: ids, answers and redacted text only."""
    return save(call_sid, review=data)
