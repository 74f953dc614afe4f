"""The alert fan-out: broadcast → batches → provider, exactly once, throttled, honouring STOP.

- `broadcast(alert_id)` pages through the audience by id (keyset: never the whole list in
  memory), inserts Delivery rows idempotently and enqueues batch jobs.
- `send_batch(ids)` claims its deliveries in one UPDATE (queued → sending), takes tokens from the
  shared bucket, sends with bounded concurrency (`organize.alerts.sending`: opt-outs and cancels
  re-checked when one may have landed), and records the provider SIDs.
- `organize.alerts.reconcile` settles what dead workers and lost jobs leave behind.
All jobs take ids, re-load rows and are safe to run twice.
"""

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from redis.exceptions import RedisError
from rq import Queue, get_current_job
from sqlalchemy.dialects import sqlite

from organize.alerts import claims, quiet, sending
from organize.alerts.bodies import Bodies
from organize.alerts.claims import Outcome, ids_match
from organize.alerts.compose import audience_query, claim_for_sending, release
from organize.alerts.sending import send_claimed
from organize.alerts.watch import ensure_reconciler
from organize.extensions import db, rq
from organize.models import Alert, Delivery, Organizer, Subscriber
from organize.outbound.jobs import QueueUnavailable, enqueue

MAX_SEGMENTS = 10  # Twilio's 1,600 characters, at 160 per segment

log = logging.getLogger(__name__)
PAGE = 1000
TIMEOUT_MARGIN = 30  # seconds a batch job keeps for its last writes after its last send


# PostgreSQL: a page of deliveries in one statement, its columns as arrays (one round trip and
# one parse, where an executemany sent a thousand INSERTs: the fan-out ran before any send on a
# single worker, bench/broadcast.py). A subscriber's row per channel is made here, not sent:
# a text array is dumped string by string.
_INSERT_PAGE = sa.text(
    """
    INSERT INTO delivery
        (alert_id, subscriber_id, channel, status, segments, not_before, updated_at, attempts)
    SELECT :alert_id, t.subscriber_id, c.channel, 'queued',
        CASE WHEN c.channel = 'sms' THEN t.segments ELSE 1 END, t.not_before, :now, 0
    FROM unnest(
        CAST(:subscriber_ids AS integer[]), CAST(:segments AS integer[]),
        CAST(:not_befores AS timestamptz[])
    ) AS t(subscriber_id, segments, not_before)
    CROSS JOIN unnest(CAST(:channels AS varchar[])) AS c(channel)
    ON CONFLICT (alert_id, subscriber_id, channel) DO NOTHING
    RETURNING id, not_before
    """
)

Pending = list[tuple[int, datetime | None]]  # new deliveries to enqueue: id, not before


@dataclass
class _Page:
    """A page of an alert's audience, as columns: PostgreSQL takes them as arrays, and a dict
    per delivery cost the fan-out, which runs before any send on a single worker, about a
    third of its Python (bench/broadcast.py). Each subscriber gets a delivery per channel;
    `segments` is its text's, a call's is 1."""

    alert_id: int
    channels: list[str]
    now: datetime
    subscriber_ids: list[int] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)
    not_befores: list[datetime | None] = field(default_factory=list)

    def __len__(self) -> int:
        """Deliveries, not subscribers."""
        return len(self.subscriber_ids) * len(self.channels)


def _insert_ignoring_duplicates(page: _Page) -> Pending:
    """Insert a page of new deliveries (queued, stamped now); returns the ones inserted (a
    second run of the fan-out finds some or all there already)."""
    if not page:
        return []
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        inserted = db.session.connection().execute(
            _INSERT_PAGE,
            {
                "alert_id": page.alert_id,
                "now": page.now,
                "subscriber_ids": page.subscriber_ids,
                "channels": page.channels,
                "segments": page.segments,
                "not_befores": page.not_befores,
            },
        )
        return [(row[0], row[1]) for row in inserted.all()]
    rows = [
        {
            "alert_id": page.alert_id,
            "subscriber_id": subscriber_id,
            "channel": channel,
            "status": "queued",
            "segments": segments if channel == "sms" else 1,
            "not_before": not_before,
            "updated_at": page.now,
            "attempts": 0,
        }
        for subscriber_id, segments, not_before in zip(
            page.subscriber_ids, page.segments, page.not_befores, strict=True
        )
        for channel in page.channels
    ]
    stmt = (
        sqlite.insert(Delivery)
        .on_conflict_do_nothing(index_elements=["alert_id", "subscriber_id", "channel"])
        .returning(Delivery.id, Delivery.not_before)
    )
    return [(row.id, row.not_before) for row in db.session.connection().execute(stmt, rows)]


def _not_before(zone: str | None, alert: Alert, now: datetime) -> datetime | None:
    if alert.urgent:
        return None
    config = current_app.config
    zone = zone or config["DEFAULT_TIME_ZONE"]
    return quiet.next_allowed(now, zone, config["QUIET_HOURS_END"], config["QUIET_HOURS_START"])


@rq.job
def broadcast(alert_id: int) -> int:
    """Create the deliveries for an alert and enqueue their batches. Returns rows inserted."""
    alert = db.session.get(Alert, alert_id)
    if alert is not None and alert.status == "scheduled":
        _begin_scheduled(alert)
    if alert is None or alert.status != "sending":
        return 0
    channels = ["sms", "voice"] if alert.channel == "both" else [alert.channel]
    now, last_id, inserted = datetime.now(UTC), 0, 0
    # Batches are enqueued once SEND_BATCH_SIZE deliveries are waiting, not per page: a job per
    # page made every batch 1,000 long whatever the setting, and each job costs a fork, a claim
    # and a connection (bench/broadcast.py).
    size, first_id = batch_size(), None
    pending: Pending = []
    again = False  # a page met deliveries already there: this is a second run
    bodies = Bodies(alert)
    waits: dict[str | None, datetime | None] = {}  # quiet-hours end by time zone
    while True:
        page = db.session.execute(
            audience_query(alert.audience)
            .with_only_columns(Subscriber.id, Subscriber.locale, Subscriber.time_zone)
            .where(Subscriber.id > last_id)
            .limit(PAGE)
        ).all()
        if not page:
            break
        columns = _Page(alert.id, channels, now)
        for subscriber_id, locale, time_zone in page:
            if time_zone not in waits:
                waits[time_zone] = _not_before(time_zone, alert, now)
            columns.subscriber_ids.append(subscriber_id)
            columns.segments.append(bodies(locale)[1])
            columns.not_befores.append(waits[time_zone])
        new = _insert_ignoring_duplicates(columns)
        inserted += len(new)
        pending += new
        again = again or len(new) < len(columns)
        first_id = page[0].id if first_id is None else first_id
        last_id = page[-1].id
        db.session.commit()
        if len(pending) >= size or (again and first_id is not None):
            _enqueue_pending(alert.id, pending, again, (first_id, last_id))
            pending, first_id = [], None
    if first_id is not None:
        _enqueue_pending(alert.id, pending, again, (first_id, last_id))
    alert.fanned_out_at = alert.fanned_out_at or datetime.now(UTC)
    db.session.commit()
    finish_if_done(alert_id=alert.id)
    ensure_reconciler()
    return inserted


def _begin_scheduled(alert: Alert) -> None:
    """A scheduled alert whose time has come starts sending (once, even if two jobs race)."""
    now = datetime.now(UTC)
    if alert.send_at is not None and alert.send_at > now:
        return
    db.session.execute(
        sa.update(Alert)
        .where(Alert.id == alert.id, Alert.status == "scheduled")
        .values(status="sending", sent_at=now)
    )
    db.session.commit()
    db.session.refresh(alert)


def _enqueue_pending(
    alert_id: int, pending: Pending, again: bool, subscriber_ids: tuple[int, int]
) -> None:
    """Enqueue what the fan-out just inserted, from the ids the INSERT returned; a second run
    reads what is still queued in its range instead, to enqueue what a run that died between
    inserting and enqueueing left behind. Reading every time scanned the alert's queued
    deliveries once per batch: quadratic in the audience (bench/broadcast.py)."""
    if again:
        enqueue_queued(alert_id=alert_id, subscriber_ids=subscriber_ids)
    else:
        _enqueue_ids(pending, datetime.now(UTC))


def enqueue_queued(
    *, alert_id: int, subscriber_ids: tuple[int, int] | None = None, due_only: bool = False
) -> int:
    """Enqueue batch jobs for an alert's queued deliveries (now, or at their quiet-hours end)."""
    now = datetime.now(UTC)
    stmt = sa.select(Delivery.id, Delivery.not_before).where(
        Delivery.alert_id == alert_id, Delivery.status == "queued"
    )
    if due_only:
        stmt = stmt.where(sa.or_(Delivery.not_before.is_(None), Delivery.not_before <= now))
    if subscriber_ids is not None:
        stmt = stmt.where(Delivery.subscriber_id.between(*subscriber_ids))
    rows = db.session.execute(stmt.order_by(Delivery.id))
    return _enqueue_ids([(row.id, row.not_before) for row in rows], now)


def _enqueue_ids(deliveries: Pending, now: datetime) -> int:
    """Batch jobs for these queued deliveries: now, or at their quiet-hours end, a job per
    SEND_BATCH_SIZE of each. Returns how many jobs."""
    groups: dict[datetime | None, list[int]] = {}
    for delivery_id, not_before in deliveries:
        key = (
            None
            if not_before is None or not_before <= now
            else not_before.replace(second=0, microsecond=0)
        )
        groups.setdefault(key, []).append(delivery_id)
    size = batch_size()
    jobs = 0
    for when, ids in groups.items():
        batches = [ids[start : start + size] for start in range(0, len(ids), size)]
        _enqueue_batches(batches, when)
        jobs += len(batches)
    return jobs


def batch_size() -> int:
    """Deliveries per batch job: SEND_BATCH_SIZE, but no more than about a minute of the send
    rate, so a batch at a long code's 1 segment/s is not a job of many minutes."""
    config = current_app.config
    size, rate = int(config["SEND_BATCH_SIZE"]), float(config["SEND_RATE"])
    return min(size, max(10, int(rate * 60))) if rate > 0 else size


def batch_timeout(size: int) -> int:
    """RQ's limit for one batch job (its default, 180 s, would stop a slow batch midway): the
    time its tokens take if every message were the longest (10 segments), plus a margin."""
    rate = float(current_app.config["SEND_RATE"])
    return 180 + (math.ceil(size * MAX_SEGMENTS / rate) if rate > 0 else 0)


def _enqueue_batches(batches: list[list[int]], when: datetime | None) -> None:
    if not current_app.config.get("REDIS_URL"):
        if when is None:
            for ids in batches:
                send_batch(ids)  # development without Redis: in-process, now
        return  # deferred without a scheduler: picked up by `flask alerts reconcile`
    queue = rq.get_queue(send_batch.queue)
    timeout = batch_timeout(max(len(ids) for ids in batches)) if batches else 180
    if when is not None:
        for ids in batches:
            queue.enqueue_at(when, send_batch.func, ids, job_timeout=timeout)
    elif queue.is_async:
        # One round trip to Redis for the page's batches (RQ's enqueue_many, in a pipeline).
        queue.enqueue_many(
            [Queue.prepare_data(send_batch.func, args=(ids,), timeout=timeout) for ids in batches]
        )
    else:
        for ids in batches:  # tests: RQ runs each job inline
            queue.enqueue(send_batch.func, ids, job_timeout=timeout)


@rq.job
def send_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Claim, re-check, throttle, send, record; under RQ, then go on with the rest of the same
    alerts while there is time (`sending.More`), which leaves the batch jobs queued after it
    nothing to claim. Returns counts by outcome."""
    began = time.monotonic()
    claimed, rows = claims.claim(delivery_ids, datetime.now(UTC))
    db.session.commit()
    if not claimed:
        return {}
    if rows is not None:
        alert_ids = {row.alert_id for row in rows}
    else:
        alert_ids = set(
            db.session.scalars(
                sa.select(Delivery.alert_id).where(ids_match(Delivery.id, claimed)).distinct()
            )
        )
        db.session.commit()
    tally = send_claimed(claimed, rows, more=_more(sorted(alert_ids), began))
    if tally.retry:
        _retry_later(tally.retry)
    for alert_id in alert_ids:
        finish_if_done(alert_id=alert_id)
    return dict(tally.counts, **({"retry": len(tally.retry)} if tally.retry else {}))


def _more(alert_ids: list[int], began: float) -> sending.More | None:
    """Where this job may take more work, if it runs under RQ: by RQ's timeout for it, less a
    margin for recording the last outcomes."""
    job = get_current_job()
    if job is None:
        return None
    timeout = float(job.timeout or Queue.DEFAULT_TIMEOUT)
    return sending.More(alert_ids, batch_size(), began + timeout - TIMEOUT_MARGIN)


def _retry_later(ids: list[int]) -> None:
    delay = int(current_app.config["SEND_RETRY_SECONDS"])
    if not current_app.config.get("REDIS_URL"):
        if delay <= 0:
            send_batch(ids)  # in-process: try again now (attempts are capped)
        return  # else the reconciler picks them up
    queue, timeout = rq.get_queue(send_batch.queue), batch_timeout(len(ids))
    if delay <= 0:
        queue.enqueue(send_batch.func, ids, job_timeout=timeout)
    else:
        queue.enqueue_in(timedelta(seconds=delay), send_batch.func, ids, job_timeout=timeout)


def finish_if_done(*, alert_id: int) -> bool:
    """Mark an alert sent once it is fanned out and nothing is queued or sending."""
    alert = db.session.get(Alert, alert_id)
    if alert is None or alert.status != "sending" or alert.fanned_out_at is None:
        return False
    open_count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Delivery)
        .where(Delivery.alert_id == alert_id, Delivery.status.in_(("queued", "sending")))
    )
    if open_count:
        return False
    alert.status, alert.completed_at = "sent", datetime.now(UTC)
    db.session.commit()
    return True


__all__ = ["Outcome", "broadcast", "send_batch"]


def send(*, alert: Alert, actor: Organizer | None) -> bool:
    """Press send: claim once, queue the fan-out; if Redis refuses, the alert stays a draft.

    Returns False when it was already sending (a double click). Raises QueueUnavailable.
    """
    if not claim_for_sending(alert=alert, actor=actor):
        db.session.rollback()
        return False
    db.session.commit()
    try:
        start(alert_id=alert.id)
    except QueueUnavailable:
        db.session.rollback()
        release(alert_id=alert.id, actor=actor)
        db.session.commit()
        raise
    return True


def start(*, alert_id: int) -> None:
    """Queue the fan-out of an alert already claimed for sending (at its time, if scheduled).

    Raises QueueUnavailable when Redis cannot take it; the caller puts the alert back.
    """
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        return
    if current_app.config.get("REDIS_URL"):
        try:
            if alert.send_at and alert.send_at > datetime.now(UTC):
                broadcast.enqueue_at(alert.send_at, alert_id)
            else:
                broadcast.enqueue(alert_id)
            ensure_reconciler()
        except RedisError as exc:
            raise QueueUnavailable("broadcast") from exc
        return
    enqueue(broadcast, alert_id)
