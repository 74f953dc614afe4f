"""The organizer's campaign loop: the reply inbox, alert templates, an organizer's own phone.

The inbox holds no number and no hash of one: a thread points at the subscriber (who already
holds the encrypted number alerts need) only while it lives, and shows a masked number.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base, UTCDateTime, utcnow


class InboxThread(Base):
    """A conversation with one subscriber, opened by a text answering an alert.

    `subscriber_id` is what lets an organizer's answer reach the person (their encrypted
    number is on the subscriber row); it cascades, so forget-me and an opt-out purge take the
    thread with it, and the retention sweep deletes the thread `INBOX_RETENTION_DAYS` after
    its last text. `masked` is what the console shows (+1•••••••42)."""

    __tablename__ = "inbox_thread"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    subscriber_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("subscriber.id", ondelete="CASCADE"), index=True
    )
    alert_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("alert.id", ondelete="SET NULL")
    )
    masked: so.Mapped[str] = so.mapped_column(sa.String(20))
    locale: so.Mapped[str] = so.mapped_column(sa.String(10), default="en")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when an organizer answers; cleared by the person's next text.
    answered_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    messages: so.Mapped[list["InboxMessage"]] = so.relationship(
        back_populates="thread", cascade="all, delete-orphan", order_by="InboxMessage.id"
    )


class InboxMessage(Base):
    """One text in a thread: the person's (redacted) or an organizer's answer."""

    __tablename__ = "inbox_message"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    thread_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("inbox_thread.id", ondelete="CASCADE"), index=True
    )
    incoming: so.Mapped[bool] = so.mapped_column(default=True)
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    organizer_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("organizer.id", ondelete="SET NULL")
    )
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    thread: so.Mapped[InboxThread] = so.relationship(back_populates="messages")


class AlertTemplate(Base):
    """A reusable alert: texts per language ({locale: [title, body]}), channel, RSVP."""

    __tablename__ = "alert_template"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    channel: so.Mapped[str] = so.mapped_column(sa.String(6), default="sms")
    rsvp: so.Mapped[bool] = so.mapped_column(default=False)
    texts: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("organizer.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class OrganizerPhone(Base):
    """An organizer's own number for test sends, encrypted like a subscriber's."""

    __tablename__ = "organizer_phone"

    organizer_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("organizer.id", ondelete="CASCADE"), primary_key=True
    )
    phone_cipher: so.Mapped[str] = so.mapped_column(sa.Text)
    masked: so.Mapped[str] = so.mapped_column(sa.String(20))
