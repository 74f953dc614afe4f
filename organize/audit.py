"""The audit log: one row per organizer decision, never with personal data."""

from typing import Any

from organize.extensions import db
from organize.models import AuditEvent, Organizer


def record(
    *,
    actor: Organizer | None,
    action: str,
    target_type: str = "",
    target_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits with the change it records)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail or {},
    )
    db.session.add(event)
    return event
