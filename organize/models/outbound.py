"""What goes out through the provider: the development outbox, and recordings awaiting deletion."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """A text or call that would have gone to Twilio (no credentials: development, simulator)."""

    __tablename__ = "outbox_message"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    phone_hash: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(10), default="sms")
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class PendingRecording(Base):
    """A call recording at the provider that must be deleted (promise 4). Rows go once deleted."""

    __tablename__ = "pending_recording"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    sid: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    attempts: so.Mapped[int] = so.mapped_column(default=0)


class PendingText(Base):
    """A one-off text the queue could not take (Redis down): retried by a scheduled job.
    The number is encrypted, as in subscriber rows."""

    __tablename__ = "pending_text"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    phone_hash: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)  # for forget-me
    phone_cipher: so.Mapped[str] = so.mapped_column(sa.Text)
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    attempts: so.Mapped[int] = so.mapped_column(default=0)


class PendingBlank(Base):
    """A message whose body the provider must still blank (DESIGN §4.7): its sid only — no
    sender, no words. Rows go once the provider confirms."""

    __tablename__ = "pending_blank"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    sid: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    attempts: so.Mapped[int] = so.mapped_column(default=0)
