"""Sending claimed deliveries: bounded concurrency inside a batch, one shared throttle.

A batch runs one event loop (`asyncio.run`) and sends through twilio's async client on an HTTP
session of its own, at most SEND_CONCURRENCY requests in flight: a thread per request cost most
of a worker's CPU in thread switching and `requests` (bench/broadcast.py). Every query and write
happens on the loop's thread between awaits. Subscribers and the alert are re-checked in one
query per chunk just before the chunk's sends start, so a STOP or a cancel that lands
mid-broadcast stops every message not already on its way; tokens are reserved from the shared
bucket per chunk; outcomes are written in bulk. The outbox backend (development, no Twilio)
sends one at a time, synchronously.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql
from twilio.rest import Client

from organize import privacy
from organize.alerts import throttle
from organize.alerts.bodies import Bodies
from organize.extensions import db
from organize.models import Alert, Delivery, Subscriber
from organize.outbound import messaging

log = logging.getLogger(__name__)
COMMIT_EVERY = 200  # outcomes written per transaction (a default batch: once, at its end)


@dataclass(frozen=True)
class Work:
    """What one send needs: plain values only."""

    delivery_id: int
    subscriber_id: int
    channel: str
    phone_cipher: str
    body: str
    segments: int
    call_url: str | None


@dataclass(frozen=True)
class Outcome:
    """How one delivery went."""

    delivery_id: int
    kind: str  # sent | failed | retry | unsure | skipped | cancelled
    sid: str | None = None
    code: int | None = None


def ids_match(column: Any, ids: list[int]) -> Any:
    """`column IN ids`; on PostgreSQL `column = ANY(array)`: one parameter instead of a
    batch's five hundred, which SQLAlchemy and psycopg would otherwise render and parse."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, ids, type_=postgresql.ARRAY(sa.Integer)))
    return column.in_(ids)


def _status_callback(path: str) -> str | None:
    base = current_app.config.get("PUBLIC_URL")
    return f"{str(base).rstrip('/')}{path}" if base else None


def _prepare(ids: list[int]) -> tuple[list[Work], list[Outcome], dict[int, tuple[int, int]]]:
    """Plain rows for the claimed deliveries (columns, not ORM objects: a batch is hot code)."""
    rows = db.session.execute(
        sa.select(
            Delivery.id,
            Delivery.alert_id,
            Delivery.attempts,
            Delivery.subscriber_id,
            Delivery.channel,
            Delivery.segments,
            Subscriber.status,
            Subscriber.locale,
            Subscriber.phone_cipher,
        )
        .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
        .where(ids_match(Delivery.id, ids))
        .order_by(Delivery.id)
    ).all()
    alerts = {
        alert.id: (alert, Bodies(alert))
        for alert in db.session.scalars(
            sa.select(Alert).where(Alert.id.in_({row.alert_id for row in rows}))
        )
    }
    work, done = [], []
    claims = {row.id: (row.attempts, row.subscriber_id) for row in rows}
    for row in rows:
        alert, bodies = alerts[row.alert_id]
        body = bodies(row.locale)[0]
        if alert.status == "cancelled":
            done.append(Outcome(row.id, "cancelled"))
        elif row.status != "active" or not body:
            done.append(Outcome(row.id, "skipped"))
        else:
            # Without PUBLIC_URL (development) the outbox keeps the path for the simulator.
            path = f"/voice/alert/{row.id}"
            call_url = _status_callback(path) or path
            work.append(
                Work(
                    row.id,
                    row.subscriber_id,
                    row.channel,
                    row.phone_cipher,
                    body,
                    row.segments,
                    call_url,
                )
            )
    db.session.commit()  # nothing held open while the threads send
    return work, done, claims


# Core, not ORM: it runs every few messages on the job's thread, where every µs counts.
_d, _s, _a = (cast(sa.Table, m.__table__) for m in (Delivery, Subscriber, Alert))
_HELD_FROM = (
    sa.select(_d.c.id, _s.c.status, _a.c.status)
    .join(_s, _s.c.id == _d.c.subscriber_id)
    .join(_a, _a.c.id == _d.c.alert_id)
)
_HELD = {
    "postgresql": _HELD_FROM.where(
        _d.c.id == sa.any_(sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer)))
    ),
    "other": _HELD_FROM.where(_d.c.id.in_(sa.bindparam("ids", expanding=True))),
}


def _held(items: list[Work]) -> dict[int, Outcome]:
    """The deliveries among `items` that must not go after all, with why: a STOP or a cancel
    may have come in since the batch was claimed. One query for the lot."""
    connection = db.session.connection()
    held_query = _HELD.get(connection.dialect.name, _HELD["other"])
    rows = connection.execute(held_query, {"ids": [item.delivery_id for item in items]}).all()
    held = {item.delivery_id: Outcome(item.delivery_id, "skipped") for item in items}
    for delivery_id, subscriber_status, alert_status in rows:
        if alert_status == "cancelled":
            held[delivery_id] = Outcome(delivery_id, "cancelled")
        elif subscriber_status == "active":
            del held[delivery_id]
    return held


def _send_outbox(item: Work) -> Outcome:
    """Development without Twilio: the outbox backend writes a row, in the job's session."""
    config = current_app.config
    to = privacy.decrypt(item.phone_cipher)
    if item.channel == "voice":
        throttle.acquire("calls", float(config["CALL_RATE"]))
        sent = messaging.place_call(to=to, url=item.call_url or "")
    else:
        throttle.acquire("sms", float(config["SEND_RATE"]), item.segments)
        sent = messaging.send_sms(to=to, body=item.body)
    db.session.commit()
    return Outcome(item.delivery_id, "sent", sid=sent.sid)


def _kind(outcome: Outcome, attempts: int, max_attempts: int) -> str:
    """What the outcome makes of the delivery: a retry past the last attempt is a failure."""
    if outcome.kind == "retry" and attempts >= max_attempts:
        return "failed"
    return outcome.kind


# One statement per kind, run as an executemany: a batch's outcomes cost a round trip or two,
# not an ORM load and flush each. `status = 'sending'` keeps a row the reconciler settled.
_WHERE = sa.and_(_d.c.id == sa.bindparam("b_id"), _d.c.status == "sending")
_CHANGES: dict[str, dict[str, Any]] = {
    "sent": {
        "status": "sent",
        "provider_sid": sa.bindparam("b_sid"),
        "sent_at": sa.bindparam("b_now"),
    },
    "unsure": {},  # stays `sending`: the reconciler asks the provider once the lease is over
    "retry": {"status": "queued", "error_code": sa.bindparam("b_code")},
    "failed": {"status": "failed", "error_code": sa.bindparam("b_code")},
    "skipped": {"status": "skipped"},
    "cancelled": {"status": "cancelled"},
}
_UPDATES = {
    kind: sa.update(_d).where(_WHERE).values(updated_at=sa.bindparam("b_now"), **changes)
    for kind, changes in _CHANGES.items()
}


def _record(
    outcomes: list[Outcome], claims: dict[int, tuple[int, int]], max_attempts: int
) -> list[tuple[str, Outcome]]:
    """Write a run of outcomes (in the caller's transaction); returns each with its final kind.

    `claims` maps a delivery to (attempts so far, subscriber id).
    """
    now = datetime.now(UTC)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    recorded = []
    for outcome in outcomes:
        attempts, subscriber_id = claims.get(outcome.delivery_id, (max_attempts, 0))
        kind = _kind(outcome, attempts, max_attempts)
        recorded.append((kind, outcome))
        by_kind.setdefault(kind, []).append(
            {
                "b_id": outcome.delivery_id,
                "b_sid": outcome.sid,
                "b_code": outcome.code,
                "b_now": now,
            }
        )
        if kind == "failed":
            _suppress(subscriber_id, outcome.code)
    connection = db.session.connection()
    for kind, params in by_kind.items():
        connection.execute(_UPDATES[kind], params)
    return recorded


def _suppress(subscriber_id: int, code: int | None) -> None:
    if code not in messaging.SUPPRESS:
        return
    subscriber = db.session.get(Subscriber, subscriber_id)
    if subscriber is None or subscriber.status != "active":
        return
    subscriber.suppressed_code = code
    if code == messaging.OPTED_OUT:  # they texted STOP to the carrier: honour it everywhere
        subscriber.status, subscriber.opted_out_at = "opted_out", datetime.now(UTC)
    else:
        subscriber.status = "suppressed"


class _Sender:
    """One job's sends on one event loop: the twilio client on the job's HTTP session, at
    most SEND_CONCURRENCY requests in flight, each at the time its tokens allow."""

    def __init__(self, rest: Client, concurrency: int) -> None:
        self.rest = rest
        self.slots = asyncio.Semaphore(concurrency)
        self.sender = messaging.sender()
        self.sms_callback = _status_callback("/sms/status")
        self.call_callback = _status_callback("/voice/alert-status")

    async def send(self, item: Work, at: float) -> Outcome:
        delay = at - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)  # the shared bucket's answer for this message
        async with self.slots:
            to = privacy.decrypt(item.phone_cipher)
            try:
                if item.channel == "voice":
                    sent = await messaging.place_call_async(
                        self.rest,
                        to=to,
                        url=item.call_url or "",
                        status_callback=self.call_callback,
                    )
                else:
                    sent = await messaging.send_sms_async(
                        self.rest,
                        to=to,
                        body=item.body,
                        sender=self.sender,
                        status_callback=self.sms_callback,
                    )
            except messaging.UnsureSendError:
                return Outcome(item.delivery_id, "unsure")
            except messaging.TransientSendError as exc:
                return Outcome(item.delivery_id, "retry", code=exc.code)
            except messaging.PermanentSendError as exc:
                return Outcome(item.delivery_id, "failed", code=exc.code)
        return Outcome(item.delivery_id, "sent", sid=sent.sid)


def _waits(items: list[Work]) -> list[float]:
    """Seconds each of a chunk's sends waits for its tokens: one reservation per bucket."""
    config = current_app.config
    waits = [0.0] * len(items)
    for name, channel, rate in (
        ("sms", "sms", float(config["SEND_RATE"])),
        ("calls", "voice", float(config["CALL_RATE"])),
    ):
        at = [
            i for i, item in enumerate(items) if (item.channel == "voice") == (channel == "voice")
        ]
        amounts = [float(items[i].segments if channel == "sms" else 1) for i in at]
        for i, wait in zip(at, throttle.reserve_each(name, rate, amounts), strict=True):
            waits[i] = wait
    return waits


async def _send_async(work: list[Work], concurrency: int, note: Callable[[Outcome], None]) -> None:
    """Send `work`, re-checking STOPs and cancels one query per chunk.

    A chunk (four messages per request in flight; one at a time without concurrency) is
    checked, and its tokens reserved, just before its sends are started, while at most one
    chunk is still on its way: a STOP or cancel stops every message not yet in flight. The
    database work runs on the loop's thread between awaits (a round trip a chunk), which the
    requests in flight do not wait for: their answers queue in the socket meanwhile.
    """
    size = 4 * concurrency if concurrency > 1 else 1
    ahead = size if concurrency > 1 else 0
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    loop = asyncio.get_running_loop()
    async with messaging.async_client(concurrency=concurrency) as rest:
        if rest is None:
            raise RuntimeError("the async sender needs Twilio credentials")
        sender = _Sender(rest, concurrency)
        inflight: deque[asyncio.Task[Outcome]] = deque()
        for start in range(0, len(work), size):
            chunk = work[start : start + size]
            held = _held(chunk)
            if sqlite:  # its readers block writers: let the STOP webhook commit meanwhile
                db.session.commit()
            going = [item for item in chunk if item.delivery_id not in held]
            for item in chunk:
                if item.delivery_id in held:
                    note(held[item.delivery_id])
            now = loop.time()
            for item, wait in zip(going, _waits(going), strict=True):
                inflight.append(asyncio.create_task(sender.send(item, now + wait)))
            while len(inflight) > ahead:
                note(await inflight.popleft())
        while inflight:
            note(await inflight.popleft())


def send_claimed(ids: list[int]) -> dict[str, list[Outcome]]:
    """Send the claimed deliveries; returns outcomes by kind ("_retry" lists the ones to retry).

    Outcomes are written every COMMIT_EVERY messages: a worker killed in between leaves at most
    that many deliveries `sending`, which the reconciler settles by asking the provider.
    """
    work, done, claims = _prepare(ids)
    config = current_app.config
    max_attempts = int(config["SEND_MAX_ATTEMPTS"])
    results: dict[str, list[Outcome]] = {}
    pending: list[Outcome] = []

    def flush() -> None:
        for kind, outcome in _record(pending, claims, max_attempts):
            results.setdefault("_retry" if kind == "retry" else kind, []).append(outcome)
        pending.clear()
        db.session.commit()

    def note(outcome: Outcome) -> None:
        pending.append(outcome)
        if len(pending) >= COMMIT_EVERY:
            flush()

    for outcome in done:
        note(outcome)
    if messaging.client() is not None:
        asyncio.run(_send_async(work, max(1, int(config["SEND_CONCURRENCY"])), note))
    else:  # the outbox backend (development): one at a time, each re-checked just before
        for item in work:
            held = _held([item]).get(item.delivery_id)
            db.session.commit()
            note(held or _send_outbox(item))
    flush()
    return results
