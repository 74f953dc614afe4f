"""Provider status callbacks and RSVP replies: deliveries only ever move forward."""

from datetime import UTC, datetime, timedelta
from typing import cast

import sqlalchemy as sa

from organize.extensions import db
from organize.models import Alert, Delivery, Subscriber
from organize.outbound import messaging

# Rank of each status; a callback that would lower it (they can arrive out of order) is ignored.
RANK = {
    "queued": 0,
    "accepted": 1,
    "scheduled": 1,
    "sending": 2,
    "sent": 3,
    "ringing": 3,
    "in-progress": 4,
    "answered": 5,
    "delivered": 5,
    "read": 6,
    "undelivered": 5,
    "failed": 5,
    "no-answer": 5,
    "busy": 5,
    "canceled": 5,
    "completed": 5,
}
# Twilio's call statuses → ours.
CALL_STATUS = {"completed": "answered", "canceled": "failed"}
KEEP = {"queued", "accepted", "scheduled", "sending", "ringing", "in-progress"}


def apply_status(*, sid: str, status: str, error_code: int | None = None) -> bool:
    """Move the delivery with this provider SID forward; True when something changed."""
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.provider_sid == sid))
    status = status.strip().lower()
    if delivery is None or status not in RANK:
        return False
    mapped = CALL_STATUS.get(status, status) if delivery.channel == "voice" else status
    if status in KEEP or RANK.get(status, 0) <= RANK.get(delivery.status, 0):
        return False
    delivery.status, delivery.updated_at = mapped, datetime.now(UTC)
    if error_code:
        delivery.error_code = error_code
        if error_code in messaging.SUPPRESS:
            subscriber = db.session.get(Subscriber, delivery.subscriber_id)
            if subscriber is not None and subscriber.status == "active":
                subscriber.status, subscriber.suppressed_code = "suppressed", error_code
    db.session.flush()
    return True


# Built once: the RSVP "1" runs while Twilio waits, thousands of times a minute (issue 12);
# building this statement cost more CPU than running it.
_DELIVERIES = cast(sa.Table, Delivery.__table__)
_LATEST_RSVP = (
    sa.select(Delivery.id)
    .join(Alert, Alert.id == Delivery.alert_id)
    .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
    .where(
        Subscriber.phone_hash == sa.bindparam("phone_hash"),
        Subscriber.status != "opted_out",
        Alert.rsvp.is_(True),
        Delivery.sent_at >= sa.bindparam("since"),
    )
    .order_by(Delivery.sent_at.desc())
    .limit(1)
    .scalar_subquery()
)
_RECORD_RSVP = (
    sa.update(_DELIVERIES)
    .where(_DELIVERIES.c.id == _LATEST_RSVP)
    .values(rsvp_at=sa.func.coalesce(_DELIVERIES.c.rsvp_at, sa.bindparam("now")))
    .returning(_DELIVERIES.c.alert_id)
)


def record_rsvp(
    *, phone_hash: str, after: datetime | None = None, within: timedelta = timedelta(days=3)
) -> int | None:
    """A "1" after an RSVP alert counts once for the latest such alert sent to this number
    (sent within `within`, and after `after` — the number's last conversation step); returns
    that alert's id. A number that has opted out is not counted: its STOP wins over anything it
    sends after. One statement built once, run on the session's connection (no ORM: no rows
    loaded or synchronized)."""
    now = datetime.now(UTC)
    since = now - within
    if after is not None:
        since = max(since, after)
    found = db.session.connection().execute(
        _RECORD_RSVP, {"phone_hash": phone_hash, "since": since, "now": now}
    )
    alert_id = found.scalar()
    return None if alert_id is None else int(alert_id)


def rsvp_count(*, alert_id: int) -> int:
    """People who answered the alert's RSVP."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Delivery.subscriber_id))).where(
                Delivery.alert_id == alert_id, Delivery.rsvp_at.is_not(None)
            )
        )
        or 0
    )
