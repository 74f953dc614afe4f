"""State that expires: replay ids, conversations, per-call state and budgets (DESIGN §4.7).

One interface, two backends. With `REDIS_URL` every entry is a Redis key with a TTL — the TTL
*is* the expiry, so nothing outlives it. Without Redis (development, the SQLite test run) the
same calls go to the `expiring` table through the request's session (the caller commits, as
with any service); expired rows are never read, and `purge_expired` (scheduled) deletes them.

Values are short strings (JSON where structured). Keys may hold a blind index, so a value must
never hold what the person said unless it is a conversation in progress, which ends with its
flow or its TTL.
"""

import hashlib
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, cast

import sqlalchemy as sa
from flask import current_app, g
from redis import Redis
from redis.exceptions import NoScriptError, RedisError

from organize.extensions import db, rq
from organize.models import ExpiringEntry
from organize.plumbing.held import held_client

log = logging.getLogger(__name__)
PREFIX = "organize:"
PURGE_INTERVAL_SECONDS = 60


# What may be kept per number, by the number's blind index: a conversation in progress and
# content-free counters. Forget-me deletes the conversation (`forget_number`); the counters hold
# only a count, expire with their window, and stay so that forget-me cannot reset a budget.
# The remembered language is a cache of `Contact.locale` (written through by the SMS channel),
# so that a text costs no database read to know how to answer. "deferred" counts the number's
# texts kept for later (sms/overload.py), so that its next ones wait behind them, in order.
NUMBER_KINDS = ("conversation", "locale", "deferred", "budget:replies", "budget:employers")


def number_key(kind: str, phone_hash: str) -> str:
    """The key of one kind of per-number entry."""
    if kind not in NUMBER_KINDS:
        raise ValueError(f"unknown per-number entry {kind!r}")
    return f"sms:{kind}:{phone_hash}"


def forget_number(*, phone_hash: str) -> None:
    """Delete the number's conversation in progress (promise 5); the caller commits. With Redis
    down it cannot be deleted now: it goes with its TTL, and the rows are deleted regardless."""
    try:
        store().delete(number_key("conversation", phone_hash), number_key("locale", phone_hash))
    except RedisError as exc:
        log.warning("forget-me: conversation left to its TTL (%s)", type(exc).__name__)


@dataclass(frozen=True)
class Fetched:
    """What `Store.fetch` found: whether the claim was won, the values read, the count."""

    claimed: bool
    values: tuple[str | None, ...] = ()
    counted: int | None = None


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

    def fetch(
        self,
        *,
        claim: tuple[str, str, int] | None,
        reads: Sequence[str],
        count: tuple[str, int] | None,
    ) -> Fetched:
        """`claim`, `get` each of `reads` and `count`, at once (one round trip in Redis). When
        the claim fails, the rest means nothing (the database backend skips it)."""

    def write(self, writes: dict[str, tuple[str, int] | None]) -> None:
        """Puts (value, ttl) and deletes (None), at once."""


@dataclass(frozen=True)
class Script:
    """A Lua script Redis runs at once: one command to send and one reply to read where a
    pipeline has one of each per step — what a text costs the web worker's CPU, not Redis's."""

    source: str
    sha: str

    @classmethod
    def of(cls, source: str) -> "Script":
        """The script and its SHA1 (Redis's name for it)."""
        return cls(source, hashlib.sha1(source.encode()).hexdigest())  # noqa: S324 - a name

    def __call__(self, connection: Redis, keys: Sequence[str], args: Sequence[object]) -> object:
        """Run it (loaded on first use in each Redis, and again after a SCRIPT FLUSH)."""
        try:
            return connection.evalsha(self.sha, len(keys), *keys, *args)  # type: ignore[arg-type]
        except NoScriptError:
            return connection.eval(self.source, len(keys), *keys, *args)  # type: ignore[arg-type]


# fetch: claim (SET NX EX) when ARGV[1] is "1", the reads (GET), the count (SET NX EX + INCR)
# when ARGV[4] is "1" — in that order in KEYS. Returns {claimed, count or -1, values...}.
FETCH = Script.of("""
local n, claimed, counted, values = 1, 1, -1, {}
if ARGV[1] == "1" then
  claimed = redis.call("SET", KEYS[1], ARGV[2], "NX", "EX", ARGV[3]) and 1 or 0
  n = 2
end
local last = #KEYS
if ARGV[4] == "1" then last = last - 1 end
for i = n, last do
  values[#values + 1] = redis.call("GET", KEYS[i])
end
if ARGV[4] == "1" then
  redis.call("SET", KEYS[#KEYS], 0, "NX", "EX", ARGV[5])
  counted = redis.call("INCR", KEYS[#KEYS])
end
local answer = {claimed, counted}
for i = 1, #values do answer[#answer + 1] = values[i] end
return answer
""")
# write: for each key, ARGV holds a TTL and a value; a TTL of "-" deletes the key.
WRITE = Script.of("""
for i = 1, #KEYS do
  local ttl, value = ARGV[2 * i - 1], ARGV[2 * i]
  if ttl == "-" then
    redis.call("DEL", KEYS[i])
  else
    redis.call("SET", KEYS[i], value, "EX", ttl)
  end
end
return #KEYS
""")


class RedisStore:
    """Keys with TTLs in Redis; one round trip per call."""

    def __init__(self, connection: Redis) -> None:
        self.redis = connection

    def claim(self, key: str, value: str, ttl: int) -> bool:
        return bool(self.redis.set(PREFIX + key, value, nx=True, ex=ttl))

    def get(self, key: str) -> str | None:
        return _text(self.redis.get(PREFIX + key))

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

    def fetch(
        self,
        *,
        claim: tuple[str, str, int] | None,
        reads: Sequence[str],
        count: tuple[str, int] | None,
    ) -> Fetched:
        """One script (`FETCH`). The reads and the count run even when the claim fails (a
        replay then counts once more against its budget: cheaper than a second round trip for
        every text)."""
        keys = [PREFIX + key for key in reads]
        args: list[object] = ["0", "", 0, "0", 0]
        if claim is not None:
            keys.insert(0, PREFIX + claim[0])
            args[:3] = ["1", claim[1], claim[2]]
        if count is not None:
            keys.append(PREFIX + count[0])
            args[3:] = ["1", count[1]]
        answer = cast("list[Any]", FETCH(self.redis, keys, args))
        counted = int(answer[1]) if count is not None else None
        return Fetched(bool(answer[0]), tuple(_text(raw) for raw in answer[2:]), counted)

    def write(self, writes: dict[str, tuple[str, int] | None]) -> None:
        if not writes:
            return
        args: list[object] = []
        for entry in writes.values():
            args += ["-", ""] if entry is None else [entry[1], entry[0]]
        WRITE(self.redis, [PREFIX + key for key in writes], args)


def _text(raw: object) -> str | None:
    return raw.decode() if isinstance(raw, bytes) else (None if raw is None else str(raw))


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

    def fetch(
        self,
        *,
        claim: tuple[str, str, int] | None,
        reads: Sequence[str],
        count: tuple[str, int] | None,
    ) -> Fetched:
        if claim is not None and not self.claim(*claim):
            return Fetched(False)
        values = tuple(self.get(key) for key in reads)
        return Fetched(True, values, self.count(*count) if count is not None else None)

    def write(self, writes: dict[str, tuple[str, int] | None]) -> None:
        gone = [key for key, entry in writes.items() if entry is None]
        self.delete(*gone)
        for key, entry in writes.items():
            if entry is not None:
                self.put(key, *entry)


class Buffered:
    """A request's writes held back and sent at once at its end (`buffered`): reads see them
    (read-your-writes); claims and counts go straight through, since others race for them."""

    def __init__(self, backend: Store) -> None:
        self.backend = backend
        self.writes: dict[str, tuple[str, int] | None] = {}

    def claim(self, key: str, value: str, ttl: int) -> bool:
        return self.backend.claim(key, value, ttl)

    def get(self, key: str) -> str | None:
        if key in self.writes:
            entry = self.writes[key]
            return None if entry is None else entry[0]
        return self.backend.get(key)

    def put(self, key: str, value: str, ttl: int) -> None:
        self.writes[key] = (value, ttl)

    def delete(self, *keys: str) -> None:
        for key in keys:
            self.writes[key] = None

    def count(self, key: str, ttl: int) -> int:
        return self.backend.count(key, ttl)

    def fetch(
        self,
        *,
        claim: tuple[str, str, int] | None,
        reads: Sequence[str],
        count: tuple[str, int] | None,
    ) -> Fetched:
        return self.backend.fetch(claim=claim, reads=reads, count=count)

    def write(self, writes: dict[str, tuple[str, int] | None]) -> None:
        self.writes.update(writes)

    def flush(self) -> None:
        """Send what was held (one round trip in Redis)."""
        writes, self.writes = self.writes, {}
        self.backend.write(writes)


def _expiry(ttl: int) -> datetime:
    return _now() + timedelta(seconds=ttl)


_last_sweep = 0.0


def store() -> Store:
    """This request's buffer (`buffered`) when one is open, else the backend."""
    held = g.get("expiring_buffer")
    return held if held is not None else backend()


@contextmanager
def buffered() -> Iterator[Buffered]:
    """Hold this request's puts and deletes, and send them at once when the block ends without
    an exception (an exception drops them: the request failed, its state must not be half-kept)."""
    held = Buffered(backend())
    g.expiring_buffer = held
    try:
        yield held
        g.expiring_buffer = None
        held.flush()
    finally:
        g.expiring_buffer = None


def backend() -> Store:
    """Redis when `REDIS_URL` is set, else the database (swept of expired rows at most once a
    minute per process: without Redis there is no job scheduler to run `purge_expired`)."""
    global _last_sweep
    if current_app.config.get("REDIS_URL") and not g.get("expiring_without_redis"):
        return RedisStore(held_client(rq.queue.connection))
    if time.monotonic() - _last_sweep >= PURGE_INTERVAL_SECONDS:
        _last_sweep = time.monotonic()
        sweep()
    return DatabaseStore()


def without_redis() -> None:
    """For the rest of this request, use the database: Redis failed mid-request, and a text or
    a call must still be answered (its conversation restarts; opt-outs are in the database)."""
    g.expiring_without_redis = True


def redis_failed() -> bool:
    """Whether Redis failed during this request (`without_redis`)."""
    return bool(g.get("expiring_without_redis"))


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
