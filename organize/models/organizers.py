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
    # The second factor (TOTP): the secret Fernet-encrypted (`privacy.encrypt`), set at the
    # start of enrolment; the console opens only once `totp_enabled_at` is set. The last time
    # step accepted, so one code never signs in twice (RFC 6238 §5.2).
    totp_cipher: so.Mapped[str | None] = so.mapped_column(sa.Text)
    totp_enabled_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    totp_last_step: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)

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


class RecoveryCode(Base):
    """A one-time code for a lost phone: argon2 hash of the whole code, looked up by its first
    characters (not secret) so one sign-in verifies one hash, not ten."""

    __tablename__ = "recovery_code"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    organizer_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("organizer.id", ondelete="CASCADE"), index=True
    )
    lookup: so.Mapped[str] = so.mapped_column(sa.String(8))
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(200))
    used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


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
