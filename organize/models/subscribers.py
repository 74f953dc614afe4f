"""People reached by phone: known only by a keyed hash of their number (the blind index).

Only subscribers, who must be texted, also keep the number itself, encrypted (Fernet).
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base, UTCDateTime, utcnow

# suppressed: the provider says the number cannot get texts (landline, unknown, invalid).
SUBSCRIBER_STATUSES = ("pending", "active", "opted_out", "suppressed")


class Contact(Base):
    """A number that has texted or called: its chosen language, nothing else."""

    __tablename__ = "contact"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    phone_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    locale: so.Mapped[str] = so.mapped_column(sa.String(10), default="en")


class Subscriber(Base):
    """Someone who asked for action alerts (double opt-in), or who opted out of them."""

    __tablename__ = "subscriber"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    phone_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    phone_cipher: so.Mapped[str] = so.mapped_column(sa.Text)
    locale: so.Mapped[str] = so.mapped_column(sa.String(10), default="en")
    region: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    industry: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    tags: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    time_zone: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default="pending", index=True)
    suppressed_code: so.Mapped[int | None] = so.mapped_column()
    consent_source: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    consent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    opted_out_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class Conversation(Base):
    """Where a number is in a multi-step flow (review, sign-up …). Holds only redacted data."""

    __tablename__ = "conversation"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    phone_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    flow: so.Mapped[str] = so.mapped_column(sa.String(30))
    step: so.Mapped[str] = so.mapped_column(sa.String(30))
    data: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)


class InboundMessage(Base):
    """Replay protection: a MessageSid handled once, with the reply to give again. No body."""

    __tablename__ = "inbound_message"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    sid: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    phone_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), index=True)
    reply: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    received_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
