"""What is left of old deliveries: counts per alert, channel and status (no subscriber)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base, UTCDateTime, utcnow


class DeliveryTally(Base):
    """Deliveries rolled up after `DELIVERY_RETENTION_DAYS`: a seized server keeps how many
    received an alert, not who (organize/ops/retention.py)."""

    __tablename__ = "delivery_tally"
    __table_args__ = (sa.UniqueConstraint("alert_id", "channel", "status"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    alert_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("alert.id", ondelete="CASCADE"), index=True
    )
    channel: so.Mapped[str] = so.mapped_column(sa.String(6))
    status: so.Mapped[str] = so.mapped_column(sa.String(12))
    count: so.Mapped[int] = so.mapped_column(default=0)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
