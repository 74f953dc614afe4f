"""Keep data only as long as it is needed (issue 16), on a schedule.

- Deliveries older than `DELIVERY_RETENTION_DAYS` (30) are rolled up into per-alert counts
  (`DeliveryTally`: alert, channel, status, count) and deleted, so a seized server does not list
  who received which strike alert. Only settled deliveries go (never `queued` or `sending`).
- Reply-inbox threads (`organize.campaign.inbox`) go `INBOX_RETENTION_DAYS` (30) after their
  last text.
- Expired conversation state, replay entries and budgets are purged by the hooks in `PURGES`.
  The default sweeps the expiring store's table (`organize.plumbing.expiring`: with Redis the
  keys expire by their TTL, without it the rows wait for a sweep); `register_purge` adds more.

`sweep()` runs them all; `flask retention sweep` runs it by hand, and the RQ cron (the
Procfile's `cron` process) runs it every RETENTION_INTERVAL_SECONDS.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from organize.campaign import inbox
from organize.extensions import db, rq
from organize.models import Delivery, DeliveryTally
from organize.plumbing import expiring

log = logging.getLogger(__name__)
RETENTION_INTERVAL_SECONDS = 3600
UNSETTLED = ("queued", "sending")
ROLLUP_BATCH = 5000  # deliveries per transaction

Purge = Callable[[datetime], int]
PURGES: dict[str, Purge] = {}


def register_purge(name: str, purge: Purge) -> None:
    """Add (or replace) a purge: it gets "now" and returns how many entries it removed."""
    PURGES[name] = purge


def purge_expiring(now: datetime) -> int:
    """Expired conversations, replay ids and budget counters of the database backend (they tie
    a number's hash to a draft for a while; Redis drops its own keys at their TTL)."""
    return expiring.sweep()


register_purge("expiring", purge_expiring)


def purge_inbox(now: datetime) -> int:
    """Reply threads past `INBOX_RETENTION_DAYS` since their last text: the link between a
    subscriber and what they wrote lives no longer than that."""
    days = int(current_app.config["INBOX_RETENTION_DAYS"])
    return inbox.purge(older_than=timedelta(days=days), now=now)


register_purge("inbox", purge_inbox)


def _settled_before(cutoff: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        Delivery.status.not_in(UNSETTLED),
        sa.func.coalesce(Delivery.sent_at, Delivery.updated_at) < cutoff,
    )


def roll_up_deliveries(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Count settled deliveries older than `older_than` into DeliveryTally, then delete them.
    Works in batches; each batch is counted and deleted in one transaction (commits)."""
    cutoff = (now or datetime.now(UTC)) - older_than
    removed = 0
    while True:
        ids = db.session.scalars(
            sa.select(Delivery.id)
            .where(_settled_before(cutoff))
            .order_by(Delivery.id)
            .limit(ROLLUP_BATCH)
        ).all()
        if not ids:
            return removed
        counts = db.session.execute(
            sa.select(Delivery.alert_id, Delivery.channel, Delivery.status, sa.func.count())
            .where(Delivery.id.in_(ids))
            .group_by(Delivery.alert_id, Delivery.channel, Delivery.status)
        ).all()
        for alert_id, channel, status, count in counts:
            _add_to_tally(alert_id, channel, status, int(count))
        db.session.execute(sa.delete(Delivery).where(Delivery.id.in_(ids)))
        db.session.commit()
        removed += len(ids)


def _add_to_tally(alert_id: int, channel: str, status: str, count: int) -> None:
    tally = db.session.scalar(
        sa.select(DeliveryTally).where(
            DeliveryTally.alert_id == alert_id,
            DeliveryTally.channel == channel,
            DeliveryTally.status == status,
        )
    )
    if tally is None:
        tally = DeliveryTally(alert_id=alert_id, channel=channel, status=status, count=0)
        db.session.add(tally)
    tally.count += count
    tally.updated_at = datetime.now(UTC)
    db.session.flush()


def tallies(*, alert_id: int) -> dict[str, int]:
    """Rolled-up counts of an alert by status (to add to what `compose.progress` counts)."""
    rows = db.session.execute(
        sa.select(DeliveryTally.status, sa.func.sum(DeliveryTally.count))
        .where(DeliveryTally.alert_id == alert_id)
        .group_by(DeliveryTally.status)
    ).all()
    return {status: int(total) for status, total in rows}


@rq.job
def sweep() -> dict[str, int]:
    """Every retention rule, once. Idempotent: a second run finds nothing left to do."""
    now = datetime.now(UTC)
    days = int(current_app.config["DELIVERY_RETENTION_DAYS"])
    done = {"deliveries": roll_up_deliveries(older_than=timedelta(days=days), now=now)}
    for name, purge in PURGES.items():
        done[name] = purge(now)
        db.session.commit()
    log.info("retention sweep: %s", done)
    return done


sweep.cron_register(RETENTION_INTERVAL_SECONDS)
