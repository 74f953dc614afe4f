"""Action alerts, their per-language texts, deliveries (one per alert × subscriber × channel),
and action notices reported by workers."""

from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base, UTCDateTime, utcnow

ALERT_STATUSES = ("draft", "scheduled", "sending", "sent", "cancelled")
ALERT_CHANNELS = ("sms", "voice", "both")
# Delivery statuses, in the order they may advance (callbacks only move a delivery forward).
DELIVERY_STATUSES = (
    "queued",
    "sending",
    "sent",
    "delivered",
    "undelivered",
    "failed",
    "skipped",
    "cancelled",
    "answered",
    "no-answer",
    "busy",
)


class Alert(Base):
    """One alert: who it is for, how it goes out, and where it stands."""

    __tablename__ = "alert"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default="draft", index=True)
    channel: so.Mapped[str] = so.mapped_column(sa.String(6), default="sms")
    audience: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    urgent: so.Mapped[bool] = so.mapped_column(default=False)
    rsvp: so.Mapped[bool] = so.mapped_column(default=False)
    send_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("organizer.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    fanned_out_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    completed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    cancelled_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    translations: so.Mapped[list["AlertTranslation"]] = so.relationship(
        back_populates="alert", cascade="all, delete-orphan", order_by="AlertTranslation.locale"
    )

    def text_for(self, locale: str) -> "AlertTranslation | None":
        """The text in the locale, falling back to English, then to any."""
        by_locale = {t.locale: t for t in self.translations}
        return by_locale.get(locale) or by_locale.get("en") or next(iter(by_locale.values()), None)


class AlertTranslation(Base):
    """Title and body of an alert in one locale."""

    __tablename__ = "alert_translation"
    __table_args__ = (sa.UniqueConstraint("alert_id", "locale"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    alert_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("alert.id", ondelete="CASCADE"), index=True
    )
    locale: so.Mapped[str] = so.mapped_column(sa.String(10))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str] = so.mapped_column(sa.Text)

    alert: so.Mapped[Alert] = so.relationship(back_populates="translations")


class Delivery(Base):
    """One alert to one subscriber on one channel. Unique, so a re-run adds nothing."""

    __tablename__ = "delivery"
    __table_args__ = (
        sa.UniqueConstraint("alert_id", "subscriber_id", "channel"),
        sa.Index("ix_delivery_alert_status", "alert_id", "status"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    alert_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("alert.id", ondelete="CASCADE"))
    subscriber_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("subscriber.id", ondelete="CASCADE"), index=True
    )
    channel: so.Mapped[str] = so.mapped_column(sa.String(6), default="sms")
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default="queued")
    provider_sid: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    error_code: so.Mapped[int | None] = so.mapped_column()
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    segments: so.Mapped[int] = so.mapped_column(default=1)
    not_before: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    claimed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    rsvp_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


class ActionNotice(Base):
    """A strike or action reported by a worker: redacted, verified by organizers before use."""

    __tablename__ = "action_notice"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    what: so.Mapped[str] = so.mapped_column(sa.Text)
    place: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    when_text: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    # Set by an organizer from a date picker: "mañana 6am" alone is no date once published.
    when_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    when_time: so.Mapped[time | None] = so.mapped_column(sa.Time)
    employer_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    channel: so.Mapped[str] = so.mapped_column(sa.String(10), default="web")
    locale: so.Mapped[str] = so.mapped_column(sa.String(10), default="en")
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default="pending", index=True)
    redaction_report: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    submitted_month: so.Mapped[date] = so.mapped_column(sa.Date)
    verified_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    alert_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("alert.id", ondelete="SET NULL")
    )
