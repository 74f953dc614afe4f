"""A token bucket shared by every worker: SEND_RATE message segments (or CALL_RATE calls) per
second across the whole deployment, kept in Redis.

Reservation style: each caller takes its tokens at once (the balance may go negative) and is
told how long to wait, so concurrent senders queue fairly and the long-run rate is exact.
Redis's own clock is used, so workers on different machines agree. Without Redis (development)
a process-local bucket does the same.
"""

import threading
import time

from flask import current_app
from redis import Redis

from organize.extensions import rq

# KEYS[1]: bucket; ARGV: rate per second, capacity, tokens wanted. Returns milliseconds to wait.
_RESERVE = """
local rate, capacity, wanted = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - ts) * rate / 1000) - wanted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
if tokens >= 0 then return 0 end
return math.ceil(-tokens * 1000 / rate)
"""


class LocalBucket:
    """The same bucket for one process (no Redis)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: float | None = None
        self.ts = time.monotonic()

    def reserve(self, rate: float, capacity: float, wanted: float) -> float:
        with self.lock:
            now = time.monotonic()
            tokens = capacity if self.tokens is None else self.tokens
            tokens = min(capacity, tokens + (now - self.ts) * rate) - wanted
            self.tokens, self.ts = tokens, now
            return 0.0 if tokens >= 0 else -tokens / rate


_local: dict[str, LocalBucket] = {}
_local_lock = threading.Lock()


def _redis() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    return rq.queue.connection


def reserve(name: str, rate: float, wanted: float = 1.0) -> float:
    """Take `wanted` tokens from bucket `name`; returns seconds the caller must wait first."""
    if rate <= 0:
        return 0.0  # throttling off (benchmarks only)
    capacity = max(1.0, rate)  # one second of burst
    connection = _redis()
    if connection is None:
        with _local_lock:
            bucket = _local.setdefault(name, LocalBucket())
        return bucket.reserve(rate, capacity, wanted)
    waited = connection.eval(_RESERVE, 1, f"organize:bucket:{name}", rate, capacity, wanted)
    return int(waited) / 1000.0


def acquire(name: str, rate: float, wanted: float = 1.0) -> float:
    """Reserve and sleep until allowed. Returns the seconds slept."""
    wait = reserve(name, rate, wanted)
    if wait > 0:
        time.sleep(wait)
    return wait


def reserve_each(name: str, rate: float, amounts: list[float]) -> list[float]:
    """Take the tokens for a run of sends in one reservation (one Redis round trip a chunk);
    returns the seconds each must wait, spaced at `rate` as if each had reserved its own."""
    if rate <= 0 or not amounts:
        return [0.0] * len(amounts)
    total = sum(amounts)
    wait = reserve(name, rate, total)
    # The last send waits `wait`; each earlier one's tokens were earned (total - reached)/rate
    # sooner.
    waits, reached = [], 0.0
    for amount in amounts:
        reached += amount
        waits.append(max(0.0, wait - (total - reached) / rate))
    return waits
