"""State that expires: replay ids, conversations, per-call state and budgets (DESIGN §4.7).

One interface, two backends. With `REDIS_URL` every entry is a Redis key with a TTL — the TTL
*is* the expiry, so nothing outlives it. Without Redis (development, the SQLite test run) the
same calls go to the `expiring` table through the request's session (the caller commits, as
with any service); expired rows are never read, and `purge_expired` (scheduled) deletes them.

Values are short strings (JSON where structured). Keys may hold a blind index, so a value must
never hold what the person said unless it is a conversation in progress, which ends with its
flow or its TTL.
"""

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from flask import current_app, g
from redis import Redis
from redis.exceptions import RedisError

from organize.extensions import db, rq
from organize.models import ExpiringEntry

log = logging.getLogger(__name__)
PREFIX = "organize:"
PURGE_INTERVAL_SECONDS = 60


# What may be kept per number, by the number's blind index: a conversation in progress and
# content-free counters. Forget-me deletes the conversation (`forget_number`); the counters hold
# only a count, expire with their window, and stay so that forget-me cannot reset a budget.
NUMBER_KINDS = ("conversation", "budget:replies", "budget:employers")


def number_key(kind: str, phone_hash: str) -> str:
    """The key of one kind of per-number entry."""
    if kind not in NUMBER_KINDS:
        raise ValueError(f"unknown per-number entry {kind!r}")
    return f"sms:{kind}:{phone_hash}"


def forget_number(*, phone_hash: str) -> None:
    """Delete the number's conversation in progress (promise 5); the caller commits. With Redis
    down it cannot be deleted now: it goes with its TTL, and the rows are deleted regardless."""
    try:
        store().delete(number_key("conversation", phone_hash))
    except RedisError as exc:
        log.warning("forget-me: conversation left to its TTL (%s)", type(exc).__name__)


class Store(Protocol):
    """What the channels need from expiring state."""

    def claim(self, key: str, value: str, ttl: int) -> bool:
        """Set `key` only if it is not there (live): True when this caller got it."""

    def get(self, key: str) -> str | None:
        """The live value, or None."""

    def put(self, key: str, value: str, ttl: int) -> None:
        """Set `key` for `ttl` seconds (replacing any value and TTL)."""

    def delete(self, *keys: str) -> None:
        """Forget keys (missing ones are fine)."""

    def count(self, key: str, ttl: int) -> int:
        """Add one to a counter whose window starts at its first count and lasts `ttl` s."""


class RedisStore:
    """Keys with TTLs in Redis; one round trip per call."""

    def __init__(self, connection: Redis) -> None:
        self.redis = connection

    def claim(self, key: str, value: str, ttl: int) -> bool:
        return bool(self.redis.set(PREFIX + key, value, nx=True, ex=ttl))

    def get(self, key: str) -> str | None:
        raw = self.redis.get(PREFIX + key)
        return raw.decode() if isinstance(raw, bytes) else raw

    def put(self, key: str, value: str, ttl: int) -> None:
        self.redis.set(PREFIX + key, value, ex=ttl)

    def delete(self, *keys: str) -> None:
        if keys:
            self.redis.delete(*(PREFIX + k for k in keys))

    def count(self, key: str, ttl: int) -> int:
        pipe = self.redis.pipeline()
        pipe.set(PREFIX + key, 0, nx=True, ex=ttl)  # the window starts with the first count
        pipe.incr(PREFIX + key)
        return int(pipe.execute()[1])


def _now() -> datetime:
    return datetime.now(UTC)


class DatabaseStore:
    """The `expiring` table, in the caller's transaction; expired rows read as absent."""

    def _row(self, key: str) -> ExpiringEntry | None:
        row = db.session.get(ExpiringEntry, key)
        if row is not None and row.expires_at <= _now():
            db.session.delete(row)
            db.session.flush()
            return None
        return row

    def claim(self, key: str, value: str, ttl: int) -> bool:
        """A concurrent claim of the same key raises IntegrityError at this flush or at the
        caller's commit (the transaction decides, as a unique row always did)."""
        if self._row(key) is not None:
            return False
        db.session.add(ExpiringEntry(key=key, value=value, expires_at=_expiry(ttl)))
        db.session.flush()
        return True

    def get(self, key: str) -> str | None:
        row = self._row(key)
        return row.value if row is not None else None

    def put(self, key: str, value: str, ttl: int) -> None:
        row = self._row(key)
        if row is None:
            db.session.add(ExpiringEntry(key=key, value=value, expires_at=_expiry(ttl)))
        else:
            row.value, row.expires_at = value, _expiry(ttl)
        db.session.flush()

    def delete(self, *keys: str) -> None:
        if keys:
            db.session.execute(sa.delete(ExpiringEntry).where(ExpiringEntry.key.in_(keys)))
            db.session.flush()

    def count(self, key: str, ttl: int) -> int:
        row = self._row(key)
        if row is None:
            row = ExpiringEntry(key=key, value="0", expires_at=_expiry(ttl))
            db.session.add(row)
        row.value = str(int(row.value or 0) + 1)
        db.session.flush()
        return int(row.value)


def _expiry(ttl: int) -> datetime:
    return _now() + timedelta(seconds=ttl)


_last_sweep = 0.0


def store() -> Store:
    """Redis when `REDIS_URL` is set, else the database (swept of expired rows at most once a
    minute per process: without Redis there is no job scheduler to run `purge_expired`)."""
    global _last_sweep
    if current_app.config.get("REDIS_URL") and not g.get("expiring_without_redis"):
        return RedisStore(rq.queue.connection)
    if time.monotonic() - _last_sweep >= PURGE_INTERVAL_SECONDS:
        _last_sweep = time.monotonic()
        sweep()
    return DatabaseStore()


def without_redis() -> None:
    """For the rest of this request, use the database: Redis failed mid-request, and a text or
    a call must still be answered (its conversation restarts; opt-outs are in the database)."""
    g.expiring_without_redis = True


def sweep() -> int:
    """Delete every expired row now (the caller commits)."""
    result = db.session.execute(sa.delete(ExpiringEntry).where(ExpiringEntry.expires_at <= _now()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@rq.job
def purge_expired() -> int:
    """Delete expired rows of the database backend (Redis expires its own keys). Returns how
    many went; scheduled, so an entry nobody reads again still goes at its TTL."""
    gone = sweep()
    db.session.commit()
    if gone:
        log.info("purged %d expired entries", gone)
    return gone


purge_expired.cron_register(PURGE_INTERVAL_SECONDS)
