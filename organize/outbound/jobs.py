"""Background jobs and the enqueue seam.

With `REDIS_URL` unset, jobs run in-process and synchronously (development, quick tests); with
it set they go to RQ through Flask-RQ, whose worker runs them inside an app context.
Jobs take ids and plain values, re-load rows, and must be idempotent.
"""

import logging
from typing import Any, Protocol

from flask import current_app
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class Job(Protocol):
    """What Flask-RQ's `@rq.job` gives: callable now, or `.enqueue()` for later."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...

    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


class QueueUnavailable(RuntimeError):
    """Redis could not take the job; the caller decides how to tell the person."""


def enqueue(job: Job, *args: Any, **kwargs: Any) -> None:
    """Run `job` now without Redis, or queue it with Redis; a Redis failure is raised, not lost."""
    if not current_app.config.get("REDIS_URL"):
        kwargs.pop("retry", None)  # RQ options mean nothing in-process
        job(*args, **kwargs)
        return
    try:
        job.enqueue(*args, **kwargs)
    except RedisError as exc:
        name = getattr(job, "__name__", "job")
        log.warning("queue unavailable for %s: %s", name, type(exc).__name__)
        raise QueueUnavailable(name) from exc


# Jobs live in the modules whose work they do (`organize.alerts.fanout`, `outbound.texts` …);
# RQ finds them by their dotted path. Arguments are ids and ciphertexts, never a raw number: RQ
# keeps job arguments in Redis.
