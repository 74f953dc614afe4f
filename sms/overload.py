"""When the text line cannot answer in time, a text is kept and answered later — never lost.

Twilio waits 15 s for the webhook; past that nobody answers the text (error 11200). So the
webhook takes the short way (`defer`) when a synchronous answer would come late:

- `SMS_DEFER` is "always" (drills, tests) — or "auto" (the default) and one of:
- the listening socket's accept queue (Linux TCP_INFO, read in microseconds) holds more than
  `SMS_DEFER_BACKLOG` connections: with sync workers that queue is every text not yet started;
- this process already runs `SMS_DEFER_IN_FLIGHT` texts (gthread: every thread is busy);
- the database failed less than `SMS_DEFER_DB_BACKOFF` seconds ago (a text then costs no
  connect timeout: it goes straight to the queue until the database answers again).

The short way keeps the text in a Redis list — encrypted whole, sender and body, with the key
subscribers' numbers are encrypted with — answers an empty `<Response/>` at once, and makes sure
one `drain` job is queued. The job handles each text exactly as the webhook would (the same
code, in a request built from the kept fields) and sends the reply through the REST API. A text
leaves the list only once its answer is committed, so a job that dies leaves it for the next.

STOP and START never take the short way: they are recorded synchronously. When the database
is down they go to the same list marked `answered` (the webhook confirms them at once), and the
job applies them when the database is back. Without Redis there is no list: the webhook answers
synchronously or apologizes, as before.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from organize import privacy
from organize.extensions import db, rq
from organize.outbound import messaging, texts
from organize.outbound.segments import plain_spelling
from organize.plumbing import expiring
from organize.plumbing.expiring import number_key
from organize.plumbing.logscrub import stack
from organize.plumbing.text import clean
from sms.answer import Outcome, answer_kept, blank_callback, release
from sms.keywords import match
from sms.state import NO_LOCALE

log = logging.getLogger(__name__)

QUEUE_KEY = "organize:sms:deferred"
DRAIN_FLAG = "organize:sms:drain-queued"
DRAIN_LOCK = "organize:sms:drain-running"
PRESSURE_KEY = "organize:sms:deferring"  # set while the webhook defers; drains slow down
PRESSURE_PAUSE = 0.5
PAUSE_LIMIT = 30.0
DRAIN_JOB_TIMEOUT = 3600  # RQ's default of 180 s would stop a long drain midway
# Kept fields of a text: what the webhook reads, nothing more.
FIELDS = ("MessageSid", "SmsSid", "From", "Body", "NumMedia", "OptOutType")
KEEP_SECONDS = 7 * 24 * 3600  # a list nobody drains (no worker) still goes, a week on
DRAIN_BATCH = 50
DRAIN_FLAG_SECONDS = 300

# defer's one command: the text at the end of the list, the number's count of kept texts, the
# sign that the webhook defers (2 s), and the drain flag — 1 when this set it (queue a drain).
KEEP = expiring.Script.of("""
redis.call("RPUSH", KEYS[1], ARGV[1])
redis.call("EXPIRE", KEYS[1], ARGV[2])
redis.call("INCR", KEYS[2])
redis.call("EXPIRE", KEYS[2], ARGV[2])
redis.call("SET", KEYS[3], "1", "EX", 2)
return redis.call("SET", KEYS[4], "1", "NX", "EX", ARGV[3]) and 1 or 0
""")

_lock = threading.Lock()
_in_flight = 0
_listeners: list[socket.socket] = []
_worker: list[object] = []


def watch_worker(worker: object) -> None:
    """Called in each gunicorn worker (gunicorn.conf.py `post_fork`): its listening sockets, and
    the worker itself (a gthread worker queues accepted connections for its threads)."""
    sockets = getattr(worker, "sockets", [])
    _listeners[:] = [socket.socket(fileno=socket.dup(s.fileno())) for s in sockets]
    _worker[:] = [worker]


def backlog() -> int:
    """Texts waiting to be started: in the listening sockets' accept queues (shared by every
    worker), plus those a gthread worker accepted and queued for a thread. 0 when unknown."""
    waiting = 0
    for sock in _listeners:
        try:  # struct tcp_info: 8 bytes of u8 fields, then u32 rto, ato, snd_mss, rcv_mss, unacked
            info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 32)
            waiting += struct.unpack_from("I", info, 24)[0]  # a listener's unacked: its queue
        except (OSError, struct.error):
            continue
    for worker in _worker:
        queued = len(getattr(worker, "futures", ())) - int(getattr(worker.cfg, "threads", 1))  # type: ignore[attr-defined]
        waiting += max(0, queued)
    return waiting


def running() -> int:
    """Texts this process is answering right now."""
    return _in_flight


@contextmanager
def in_flight() -> Iterator[int]:
    """Count this text among those this process is answering; yields how many were before."""
    global _in_flight
    with _lock:
        before = _in_flight
        _in_flight += 1
    try:
        yield before
    finally:
        with _lock:
            _in_flight -= 1


def database_failed() -> None:
    """The database just failed: texts take the short way for `SMS_DEFER_DB_BACKOFF` s."""
    current_app.extensions["sms.database_failed_at"] = time.monotonic()


def reason(*, running: int, app: Flask | None = None) -> str | None:
    """Why this text should take the short way now, or None (`running`: texts before it here;
    `app` when called outside a context, as `sms.shortcut` does)."""
    app = app or current_app
    config = app.config
    mode = str(config["SMS_DEFER"])
    if mode == "never" or not config.get("REDIS_URL"):
        return None
    if mode == "always":
        return "forced"
    if running >= int(config["SMS_DEFER_IN_FLIGHT"]):
        return "in-flight"
    failed_at = app.extensions.get("sms.database_failed_at", -math.inf)
    if time.monotonic() - failed_at < float(config["SMS_DEFER_DB_BACKOFF"]):
        return "database"
    if (_listeners or _worker) and backlog() > int(config["SMS_DEFER_BACKLOG"]):
        return "backlog"
    return None


def _connection() -> Redis:
    return rq.queue.connection


def defer(form: Mapping[str, str], *, answered: bool = False) -> bool:
    """Keep the text for the drain job (one round trip, `KEEP`; a second to queue the job when
    none is queued). False when Redis cannot take it: the caller answers another way."""
    if not current_app.config.get("REDIS_URL"):
        return False
    kept = {name: form.get(name, "") for name in FIELDS}
    record = {**kept, "at": time.time(), "answered": answered}
    token = privacy.encrypt(json.dumps(record, ensure_ascii=False))
    try:
        keys = (QUEUE_KEY, _waiting_key(form.get("From", "")), PRESSURE_KEY, DRAIN_FLAG)
        first = KEEP(_connection(), keys, (token, KEEP_SECONDS, DRAIN_FLAG_SECONDS))
        if first:
            drain.enqueue(job_timeout=DRAIN_JOB_TIMEOUT)  # type: ignore[call-arg]
    except RedisError as exc:
        log.warning("sms inbound: could not keep a text for later (%s)", type(exc).__name__)
        return False
    return True


def _waiting_key(sender: str) -> str:
    """The count of this number's kept texts (its later texts wait behind them)."""
    return expiring.PREFIX + number_key("deferred", privacy.phone(sender).hash)


def _done_waiting(sender: str) -> None:
    key = _waiting_key(sender)
    if _connection().decr(key) <= 0:
        _connection().delete(key)


def waiting() -> int:
    """Texts kept and not answered yet."""
    return int(_connection().llen(QUEUE_KEY))


def confirmation(form: Mapping[str, str]) -> str | None:
    """What the webhook answers at once for a text it cannot record now: a STOP's confirmation
    (in the keyword's language), "" for an opt-out Twilio already answered, else None."""
    if form.get("OptOutType"):
        return ""
    found = match(clean(form.get("Body", ""))[:1600])
    if found.intent != "opt_out":
        return None
    with force_locale(found.locale or _cached_locale(form.get("From", "")) or "en"):
        return plain_spelling(
            _(
                "You will get no more messages from %(program)s. Reply START to get them again.",
                program=current_app.config["SMS_PROGRAM_NAME"],
            )
        )


def _cached_locale(sender: str) -> str | None:
    """The number's language as Redis remembers it (the database is down), if it does."""
    try:
        cached = expiring.backend().get(number_key("locale", privacy.phone(sender).hash))
    except RedisError:
        return None
    return cached if cached and cached != NO_LOCALE else None


Handler = Callable[[Mapping[str, str]], Outcome]


@rq.job
def drain() -> int:
    """Answer kept texts, oldest first, until none is left. Returns how many were answered.

    One drainer at a time (`DRAIN_LOCK`; a second one, queued by the schedule, returns at
    once). `DRAIN_FLAG` says a drain is queued or running, so the webhook queues no other; the
    drainer clears it when the list is empty and takes it back if a text arrived meanwhile.
    While the webhook is deferring (`PRESSURE_KEY`), the drainer waits (a batch every
    `PAUSE_LIMIT` s at least): the cores answer Twilio first. A database failure stops it with
    the text still first in line (the scheduled run below starts it again)."""
    connection, done = _connection(), 0
    if not connection.set(DRAIN_LOCK, "1", nx=True, ex=DRAIN_FLAG_SECONDS):
        return 0
    try:
        while True:
            batch = connection.lrange(QUEUE_KEY, 0, DRAIN_BATCH - 1)
            if not batch:
                connection.delete(DRAIN_FLAG)
                if connection.llen(QUEUE_KEY) and connection.set(
                    DRAIN_FLAG, "1", nx=True, ex=DRAIN_FLAG_SECONDS
                ):
                    continue
                return done
            for key in (DRAIN_FLAG, DRAIN_LOCK):
                connection.expire(key, DRAIN_FLAG_SECONDS)
            handled, replies = 0, []
            try:
                for token in batch:
                    if reply := _answer(token, answer_kept):
                        replies.append(reply)
                    handled += 1
            except SQLAlchemyError as exc:
                db.session.rollback()
                log.warning("sms drain: database unavailable (%s)", type(exc).__name__)
                _send(replies)  # those before it are recorded: their answers go
                connection.ltrim(QUEUE_KEY, handled, -1)
                connection.delete(DRAIN_FLAG)
                return done + handled
            _send(replies)
            connection.ltrim(QUEUE_KEY, handled, -1)
            done += handled
            paused = 0.0  # while the webhook defers, wait (a batch at least every PAUSE_LIMIT s)
            while connection.exists(PRESSURE_KEY) and paused < PAUSE_LIMIT:
                time.sleep(PRESSURE_PAUSE)
                paused += PRESSURE_PAUSE
    finally:
        connection.delete(DRAIN_LOCK)


drain.cron_register(60)


@dataclass(frozen=True)
class Reply:
    """A kept text's answer, to send by the REST API."""

    to: str  # E.164
    text: str
    callback: str | None  # the blanking status callback, when the answer quotes someone


def _answer(token: bytes | str, handle: Handler) -> Reply | None:
    """One kept text: handled as the webhook would; its reply, to send (`_send`). A database
    failure propagates (the text stays kept); any other failure is logged and the text
    dropped, so that one bad text cannot hold up every text behind it."""
    try:
        record = json.loads(privacy.decrypt(token.decode() if isinstance(token, bytes) else token))
    except Exception as exc:  # unreadable (a rotated-away key): nothing can be done with it
        log.error("sms drain: a kept text could not be read (%s)", type(exc).__name__)
        return None
    form = {name: str(record.get(name) or "") for name in FIELDS}
    try:
        outcome = handle(form)
        _done_waiting(form["From"])
    except IntegrityError:
        db.session.rollback()  # the same sid was answered meanwhile
        _done_waiting(form["From"])
        return None
    except SQLAlchemyError:
        db.session.rollback()
        release(form["MessageSid"] or form["SmsSid"])  # so that the next try handles it
        raise
    except Exception as exc:
        db.session.rollback()
        release(form["MessageSid"] or form["SmsSid"])
        log.error("sms drain: unexpected %s\n%s", type(exc).__name__, stack(exc))
        _done_waiting(form["From"])
        return None
    e164 = privacy.normalize(form["From"])
    if record.get("answered") or outcome.replayed or not outcome.text or e164 is None:
        return None
    return Reply(e164, outcome.text, _blank_callback() if outcome.quotes else None)


def _send(replies: list[Reply]) -> None:
    """A batch's replies, through twilio's async client: a number's replies one after another,
    in the order its texts came, several numbers at once (`SEND_CONCURRENCY`). The synchronous
    client spent ~2 ms of CPU a reply, 41 % of a drain (README, SMS webhook). A reply the
    provider cannot take now is queued to retry (`texts.queue_text`); one it refuses is logged.
    Their texts are recorded already: a drain that dies before this loses these replies, not
    the texts (a replayed text is not answered twice)."""
    if not replies:
        return
    concurrency = int(current_app.config["SEND_CONCURRENCY"])
    retry = messaging.run_async(lambda: _send_all(replies, concurrency))
    for reply in retry:
        texts.queue_text(e164=reply.to, body=reply.text)  # retried by the outbound seam
    db.session.commit()  # the retries, or the outbox's rows (development, without Twilio)


async def _send_all(replies: list[Reply], concurrency: int) -> list[Reply]:
    """Send; return the replies to retry."""
    by_number: dict[str, list[Reply]] = {}
    for reply in replies:
        by_number.setdefault(reply.to, []).append(reply)
    retry: list[Reply] = []
    async with messaging.async_client(concurrency=concurrency) as rest:
        sender = messaging.sender()
        slots = asyncio.Semaphore(max(1, concurrency))

        async def one(reply: Reply) -> None:
            try:
                if rest is None:  # no credentials: the outbox (development)
                    messaging.send_sms(to=reply.to, body=reply.text, status_callback=reply.callback)
                    return
                async with slots:
                    await messaging.send_sms_async(
                        rest, to=reply.to, body=reply.text, sender=sender,
                        status_callback=reply.callback,
                    )  # fmt: skip
            except messaging.PermanentSendError as exc:
                log.warning("sms drain: reply refused by provider (code %s)", exc.code)
            except messaging.TransientSendError:
                retry.append(reply)

        async def in_order(queue: list[Reply]) -> None:
            for reply in queue:
                await one(reply)

        await asyncio.gather(*(in_order(queue) for queue in by_number.values()))
    return retry


def _blank_callback() -> str:
    """The blanking status callback, built in a request like the text's (the job has none)."""
    base = str(current_app.config.get("PUBLIC_URL") or "http://localhost").rstrip("/")
    with current_app.test_request_context("/sms/inbound", base_url=base):
        return blank_callback()
