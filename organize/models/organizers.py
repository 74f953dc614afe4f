"""Organizer accounts and the audit log of what they did."""

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy import orm as so

from organize.models.base import Base, UTCDateTime, utcnow

# "panel": a worker member of the workers' panel (organize/governance). Admins hold every role
# but that one: organizers cannot decide appeals (`governance.panel.is_member`).
ROLES = ("admin", "moderator", "organizer", "panel")


class Organizer(UserMixin, Base):
    """A staff account. Passwords are argon2 hashes; roles gate the console."""

    __tablename__ = "organizer"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(200))
    role: so.Mapped[str] = so.mapped_column(sa.String(20), default="organizer")
    active: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # Part of every session's id: a new one on sign-out ends every session signed in before.
    session_nonce: so.Mapped[str] = so.mapped_column(
        sa.String(32), default=lambda: secrets.token_hex(16), server_default=""
    )

    def get_id(self) -> str:
        """What Flask-Login keeps in the session (and remember cookie): id and generation."""
        return f"{self.id}.{self.session_nonce}"

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses inactive accounts."""
        return self.active

    def can(self, *roles: str) -> bool:
        """Admins can do everything; others only what their role names."""
        return self.role == "admin" or self.role in roles


class AuditEvent(Base):
    """Who did what to which row, and when. Never holds personal data or review text."""

    __tablename__ = "audit_event"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("organizer.id", ondelete="SET NULL"), index=True
    )
    action: so.Mapped[str] = so.mapped_column(sa.String(60), index=True)
    target_type: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    target_id: so.Mapped[int | None] = so.mapped_column()
    detail: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: so.Mapped[Organizer | None] = so.relationship()
