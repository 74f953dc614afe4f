"""People reached by phone: known only by a keyed hash of their number (the blind index).

Only subscribers, who must be texted, also keep the number itself, encrypted (Fernet).
"""

from datetime import datetime

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


class SavedAudience(Base):
    """A named filter over subscribers (the keys of an alert's audience), chosen when composing;
    the alert keeps a copy of the filter, so editing this one later changes no sent alert."""

    __tablename__ = "saved_audience"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    filter: so.Mapped[dict[str, list[str]]] = so.mapped_column(sa.JSON, default=dict)
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("organizer.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class ExpiringEntry(Base):
    """Expiring state when Redis is absent (`organize.plumbing.expiring`): replay ids, a
    conversation in progress, a call's review, budgets. Never read past `expires_at`, and
    deleted by a scheduled sweep; nothing here outlives its TTL by more than a minute."""

    __tablename__ = "expiring"

    key: so.Mapped[str] = so.mapped_column(sa.String(160), primary_key=True)
    value: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
