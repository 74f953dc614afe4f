"""Action alerts (composed by organizers; broadcasting lands with the alerts work)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base, UTCDateTime, utcnow

ALERT_STATUSES = ("draft", "scheduled", "sending", "sent", "cancelled")


class Alert(Base):
    """One alert; its words live in one `AlertTranslation` per locale."""

    __tablename__ = "alert"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default="draft", index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    translations: so.Mapped[list["AlertTranslation"]] = so.relationship(
        back_populates="alert", cascade="all, delete-orphan"
    )


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
