"""Sending claimed deliveries: bounded concurrency inside a batch, one shared throttle.

A batch runs one event loop (`asyncio.run`) and sends through twilio's async client on an HTTP
session of its own, at most SEND_CONCURRENCY requests in flight: a thread per request cost most
of a worker's CPU in thread switching and `requests` (bench/broadcast.py). Subscribers and the
alert are re-checked in one query whenever a STOP or a cancel may have landed (`_Recheck`,
`organize.alerts.stops`), so one that lands mid-broadcast stops every message not already on its
way; tokens are reserved from the shared bucket per chunk; outcomes are written in bulk
(`organize.alerts.claims`), off the loop on PostgreSQL (`organize.alerts.books`). Under RQ a job
that runs low takes the next batch of its alerts and keeps going (`More`). The outbox backend
(development, no Twilio) sends one at a time.
"""

import asyncio
import functools
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from twilio.rest import Client

from organize import privacy
from organize.alerts import claims, stops, throttle
from organize.alerts.books import Books
from organize.alerts.claims import Outcome, Recorded, Work
from organize.extensions import db
from organize.outbound import messaging

log = logging.getLogger(__name__)
# Set in a work-horse when its worker is asked to stop (SIGTERM: a deploy, a restart;
# `organize.outbound.worker`): the job finishes what it holds and takes no more, so a warm
# shutdown waits for one batch, not for the rest of the broadcast.
WINDING_DOWN = threading.Event()
COMMIT_EVERY = 200  # outcomes written per transaction (a default batch: once, at its end)


def _send_to_outbox(item: Work) -> Outcome:
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


class _Sender:
    """One job's sends on one event loop: the twilio client on the job's HTTP session, at
    most SEND_CONCURRENCY requests in flight, each at the time its tokens allow."""

    def __init__(self, rest: Client, concurrency: int) -> None:
        self.rest = rest
        self.slots = asyncio.Semaphore(concurrency)
        self.sender = messaging.sender()
        self.sms_callback = claims.status_callback("/sms/status")
        self.call_callback = claims.status_callback("/voice/alert-status")

    async def send(self, item: Work, to: str, at: float) -> Outcome:
        delay = at - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)  # the shared bucket's answer for this message
        async with self.slots:
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


class _Recheck:
    """Which of a batch's deliveries must not go after all, re-checked in the database only
    when something may have changed (`organize.alerts.stops`).

    With the stops counter readable, a re-check covers the next RECHECK_EVERY chunks (a
    window), and runs when the counter has moved since the last one, when a chunk reaches past
    the window, or after RECHECK_SECONDS whatever it says (a change written behind the
    session's back). A window, not everything the batch has yet to send: re-reading a whole
    batch every few chunks made the re-checks grow with the batch, about 11 % of a send core's
    time on a 20,000-message batch (bench/broadcast.py). Without the counter, each chunk is
    re-checked just before its sends start."""

    def __init__(self, check: Callable[..., dict[int, Outcome]], books: Books, size: int) -> None:
        self.check, self.books = check, books
        self.window = stops.RECHECK_EVERY * size
        self.seen: int | None = None
        self.at = float("-inf")
        self.covered: set[int] = set()
        self.stopped: dict[int, Outcome] = {}

    async def held(self, chunk: list[Work], rest: list[Work], now: float) -> dict[int, Outcome]:
        """The chunk's deliveries that must not go (`rest`: the chunk and all after it)."""
        counter = stops.generation()
        if counter is None:
            return await self.books.run(self.check, chunk)
        if (
            counter != self.seen
            or now - self.at >= stops.RECHECK_SECONDS
            or any(item.delivery_id not in self.covered for item in chunk)
        ):
            window = rest[: max(self.window, len(chunk))]
            self.seen, self.at = counter, now  # read before the re-check
            self.stopped = await self.books.run(self.check, window)
            self.covered = {item.delivery_id for item in window}
        stopped = self.stopped
        return {
            item.delivery_id: stopped[item.delivery_id]
            for item in chunk
            if item.delivery_id in stopped
        }


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


class Tally:
    """What a job's outcomes came to: counts by kind, and the deliveries to try again. Counts,
    not the outcomes: a job that goes on through a whole broadcast would otherwise hold an
    object for every message."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.retry: list[int] = []

    def add(self, recorded: Recorded) -> None:
        for kind, outcome in recorded:
            if kind == "retry":
                self.retry.append(outcome.delivery_id)
            else:
                self.counts[kind] += 1


@dataclass(frozen=True)
class More:
    """Where a batch job may take more work once its own runs low (`claims.claim_next`): the
    alerts it is sending, how much at a time, and by when (`time.monotonic()`) the job must
    have finished. It takes another batch only while one more, at the pace it has kept so far,
    fits twice over before then: a job stopped by RQ's timeout would leave its claims to the
    reconciler."""

    alert_ids: list[int]
    size: int
    deadline: float

    def fits(self, begun: float, started: int, now: float) -> bool:
        if started == 0 or WINDING_DOWN.is_set():
            return False
        pace = (now - begun) / started  # seconds a message, tokens and round trips included
        return now + 2 * self.size * pace <= self.deadline


async def _send_async(
    work: list[Work],
    done: list[Outcome],
    concurrency: int,
    claimed: dict[int, tuple[int, int]],
    more: More | None = None,
    known: claims.Known | None = None,
) -> "Tally":
    """Send `work`, re-checking STOPs and cancels one query per chunk; returns what the
    outcomes came to, as recorded (`done`, decided before sending, among them).

    A chunk (four messages per request in flight; one at a time without concurrency) is
    checked, and its tokens reserved, just before its sends start, while at most one chunk is
    still on its way: a STOP or cancel stops every message not yet in flight. Outcomes are
    written every COMMIT_EVERY: a worker killed in between leaves at most that many (and those
    in flight) `sending`, which the reconciler settles by asking the provider.

    With `more`, when half a batch is left it claims the next one of the same alerts in the
    background, and goes on sending without a pause: the same loop, HTTP connections and
    database connection for the whole broadcast instead of one job per batch.
    """
    size = 4 * concurrency if concurrency > 1 else 1
    ahead = size if concurrency > 1 else 0
    loop = asyncio.get_running_loop()
    renew_every = int(current_app.config["SEND_LEASE_SECONDS"]) / 3
    renewed = loop.time()
    books = Books()
    record, check = _bound(claimed)
    recheck = _Recheck(check, books, size)
    begun, started = time.monotonic(), 0
    fetching: asyncio.Future[list[Any]] | None = None
    tally = Tally()
    writes: set[asyncio.Future[Recorded]] = set()
    pending = list(done)

    def written(write: asyncio.Future[Recorded]) -> None:
        writes.discard(write)
        if not write.cancelled() and write.exception() is None:
            for _kind, outcome in write.result():
                claimed.pop(outcome.delivery_id, None)  # settled: the job holds it no more
            tally.add(write.result())

    def flush() -> None:
        write = asyncio.ensure_future(books.run(record, pending[:]))
        write.add_done_callback(written)
        writes.add(write)
        pending.clear()

    def note(outcome: Outcome) -> None:
        pending.append(outcome)
        if len(pending) >= COMMIT_EVERY:
            flush()

    try:
        async with messaging.async_client(concurrency=concurrency) as rest:
            if rest is None:
                raise RuntimeError("the async sender needs Twilio credentials")
            sender = _Sender(rest, concurrency)
            inflight: deque[asyncio.Task[Outcome]] = deque()
            start = 0
            while True:
                left = len(work) - start
                if (
                    more is not None
                    and fetching is None
                    and left <= more.size // 2
                    and more.fits(begun, started + min(start, len(work)), time.monotonic())
                ):
                    fetching = asyncio.ensure_future(
                        books.run(claims.claim_next, more.alert_ids, more.size, datetime.now(UTC))
                    )
                if left <= 0:
                    if fetching is None:
                        break
                    try:
                        rows = await fetching
                    except SQLAlchemyError:  # its claim rolled back: nothing of it is ours
                        log.warning("could not take more deliveries; this batch ends here")
                        rows = []
                    fetching = None
                    if not rows:
                        more = None  # nothing left to take: finish what is on its way
                        continue
                    new_work, new_done, new_claims = claims.prepare(
                        [r.id for r in rows], rows, known
                    )
                    claimed.update(new_claims)
                    for outcome in new_done:
                        note(outcome)
                    started += len(work)
                    work, start = new_work, 0
                    continue
                chunk = work[start : start + size]
                if loop.time() - renewed > renew_every:  # still alive: keep the lease
                    await books.run(claims.renew, [item.delivery_id for item in work[start:]])
                    renewed = loop.time()
                held = await recheck.held(chunk, work[start:], loop.time())
                going = [item for item in chunk if item.delivery_id not in held]
                for item in chunk:
                    if item.delivery_id in held:
                        note(held[item.delivery_id])
                # A chunk's numbers in one go: between sends, each decryption ran on cold
                # caches at three times the cost (bench/broadcast.py).
                numbers = privacy.decrypt_many([item.phone_cipher for item in going])
                now = loop.time()
                for item, to, wait in zip(going, numbers, _waits(going), strict=True):
                    inflight.append(asyncio.create_task(sender.send(item, to, now + wait)))
                while len(inflight) > ahead:
                    note(await inflight.popleft())
                start += size
            while inflight:
                note(await inflight.popleft())
        flush()
        await asyncio.gather(*writes)  # raises what a write raised
        return tally
    finally:
        if fetching is not None:  # failed midway: what it claimed is the reconciler's
            await asyncio.gather(fetching, return_exceptions=True)
        books.close()


def _send_outbox(
    work: list[Work],
    done: list[Outcome],
    record: Callable[..., Recorded],
    check: Callable[..., dict[int, Outcome]],
) -> "Tally":
    """Development without Twilio: one at a time, each re-checked just before it goes."""
    tally = Tally()
    pending = list(done)
    for item in work:
        held = check(db.session.connection(), [item]).get(item.delivery_id)
        db.session.commit()
        pending.append(held or _send_to_outbox(item))
        if len(pending) >= COMMIT_EVERY:
            tally.add(record(db.session.connection(), pending))
            db.session.commit()
            pending.clear()
    tally.add(record(db.session.connection(), pending))
    db.session.commit()
    return tally


def _bound(
    claimed: dict[int, tuple[int, int]],
) -> tuple[Callable[..., Recorded], Callable[..., dict[int, Outcome]]]:
    """`claims.record` and `claims.held` for these claims (the dict grows as a job takes more)."""
    max_attempts = int(current_app.config["SEND_MAX_ATTEMPTS"])
    return (
        functools.partial(claims.record, claims=claimed, max_attempts=max_attempts),
        functools.partial(claims.held, claims=claimed),
    )


def send_claimed(
    ids: list[int], rows: list[Any] | None = None, more: More | None = None
) -> "Tally":
    """Send the claimed deliveries (`rows`: what `claims.claim` read of them, if it did), and
    with `more` whatever else of their alerts the job can take in its time."""
    known: claims.Known = {}
    work, done, claimed = claims.prepare(ids, rows, known)
    if messaging.client() is not None:
        concurrency = max(1, int(current_app.config["SEND_CONCURRENCY"]))
        return messaging.run_async(
            functools.partial(_send_async, work, done, concurrency, claimed, more, known)
        )
    return _send_outbox(work, done, *_bound(claimed))
