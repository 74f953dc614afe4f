"""Prometheus metrics at `/metrics`: for the people running the service, never about a person.

Labels come from small fixed sets (channel, keyword intent, delivery status, bucket, queue):
never a number, a name, an employer or text. Counters and histograms are kept per process;
under gunicorn and RQ (several processes, work-horses forked per job) set
`PROMETHEUS_MULTIPROC_DIR` (the Procfile's runner does) and they are summed across processes.
Gauges about shared state (queue depth, deliveries by status, send rate, throttle backlog) are
read from Redis and the database when scraped, so every process agrees.

The endpoint answers requests from the loopback without a forwarding header, or with
`Authorization: Bearer <METRICS_TOKEN>`; anything else gets a 404.
"""

import functools
import hmac
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

from organize.extensions import db, rq
from organize.models import Delivery
from organize.models.alerts import DELIVERY_STATUSES

bp = Blueprint("ops_metrics", __name__)


def _process_key() -> str:
    """Whose files a process writes its counters to. An RQ work-horse (one per job, one at a
    time per worker) writes to its worker's, so a job does not leave files of its own behind
    in PROMETHEUS_MULTIPROC_DIR; other processes write to their own (by pid)."""
    return os.environ.get("RQ_WORKER_ID") or str(os.getpid())


if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # before any metric below is made
    values.ValueClass = values.MultiProcessValue(process_identifier=_process_key)

CHANNELS = {"sms": "sms", "voice": "voice"}  # blueprint → channel label
BUCKETS = ("sms", "calls")
WEBHOOK_SECONDS = Histogram(
    "organize_webhook_seconds",
    "Time to answer a Twilio webhook, by channel.",
    ["channel"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
)
TEXTS = Counter(
    "organize_sms_texts",
    "Texts answered, by the keyword intent they carry ('conversation' for anything else).",
    ["intent"],
)
THROTTLE_WAIT = Histogram(
    "organize_throttle_wait_seconds",
    "Time a sender waited for the shared send rate, by bucket.",
    ["bucket"],
    buckets=(0, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30),
)
REDACTION_SECONDS = Histogram(
    "organize_redaction_seconds",
    "Time to redact one text (reviews and notices).",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5),
)


class StateCollector(Collector):
    """Gauges read at scrape time from Redis and the database (shared by every process)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        with self.app.app_context():
            yield from self._queues()
            yield from self._deliveries()
            yield from self._throttle()

    def _queues(self) -> Iterator[Metric]:
        if not self.app.config.get("REDIS_URL"):
            return
        depth = GaugeMetricFamily(
            "organize_queue_depth", "Jobs waiting, by queue.", labels=["queue"]
        )
        try:
            for name, queue in rq.queues.items():
                depth.add_metric([name], queue.count)
        except Exception:
            return
        yield depth

    def _deliveries(self) -> Iterator[Metric]:
        by_status = GaugeMetricFamily(
            "organize_deliveries", "Alert deliveries kept, by status.", labels=["status"]
        )
        rate = GaugeMetricFamily(
            "organize_send_rate",
            "Messages and calls handed to the provider per second (last 60 s).",
        )
        since = datetime.now(UTC) - timedelta(seconds=60)
        try:
            rows = db.session.execute(
                sa.select(Delivery.status, sa.func.count()).group_by(Delivery.status)
            ).all()
            recent = db.session.scalar(
                sa.select(sa.func.count()).select_from(Delivery).where(Delivery.sent_at >= since)
            )
        except Exception:
            db.session.rollback()
            return
        finally:
            db.session.remove()
        counts = dict(rows)
        for status in DELIVERY_STATUSES:  # fixed label set, whatever the table holds
            by_status.add_metric([status], counts.get(status, 0))
        rate.add_metric([], (recent or 0) / 60.0)
        yield by_status
        yield rate

    def _throttle(self) -> Iterator[Metric]:
        if not self.app.config.get("REDIS_URL"):
            return
        backlog = GaugeMetricFamily(
            "organize_throttle_backlog_seconds",
            "How long a sender asking now would wait for the shared rate, by bucket.",
            labels=["bucket"],
        )
        rates = {"sms": self.app.config["SEND_RATE"], "calls": self.app.config["CALL_RATE"]}
        try:
            connection = rq.queue.connection
            now = time.time() * 1000
            for bucket in BUCKETS:
                tokens, stamp = connection.hmget(f"organize:bucket:{bucket}", "tokens", "ts")
                rate = float(rates[bucket])
                wait = 0.0
                if tokens is not None and stamp is not None and rate > 0:
                    level = float(tokens) + (now - float(stamp)) * rate / 1000
                    wait = max(0.0, -level / rate)
                backlog.add_metric([bucket], wait)
        except Exception:
            return
        yield backlog


def _allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    # No token: only a direct request from this machine (a proxy in front adds a header).
    forwarded = any(h in request.headers for h in ("X-Forwarded-For", "Forwarded", "X-Real-Ip"))
    return request.remote_addr in {"127.0.0.1", "::1"} and not forwarded


@bp.get("/metrics")
def metrics() -> Response:
    """The Prometheus text format; 404 unless from the loopback or with the token."""
    if not _allowed():
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    state = CollectorRegistry()
    state.register(StateCollector(current_app._get_current_object()))  # type: ignore[attr-defined]
    body = generate_latest(registry) + generate_latest(state)
    return Response(
        body, mimetype=CONTENT_TYPE_LATEST.split(";")[0], headers={"Cache-Control": "no-store"}
    )


def _start_timer() -> None:
    if request.blueprint in CHANNELS:
        g.ops_started = time.perf_counter()


def _make_observer(
    classify: Callable[[str], Any] | None, intents: Iterable[str]
) -> Callable[[Response], Response]:
    known = set(intents)

    def observe(response: Response) -> Response:
        started = g.pop("ops_started", None)
        if started is None:
            return response
        channel = CHANNELS[str(request.blueprint)]
        WEBHOOK_SECONDS.labels(channel=channel).observe(time.perf_counter() - started)
        if (
            classify is not None
            and request.endpoint == "sms.inbound"
            and response.status_code == 200
        ):
            intent = getattr(classify(request.form.get("Body", "")), "intent", None)
            TEXTS.labels(intent=intent if intent in known else "conversation").inc()
        return response

    return observe


def timed(func: Callable[..., Any], histogram: Histogram) -> Callable[..., Any]:
    """`func`, observing its duration (wrapped once only)."""
    if getattr(func, "__ops_timed__", False):
        return func

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with histogram.time():
            return func(*args, **kwargs)

    wrapper.__ops_timed__ = True  # type: ignore[attr-defined]
    return wrapper


def _observe_throttle(acquire: Callable[..., float]) -> Callable[..., float]:
    if getattr(acquire, "__ops_timed__", False):
        return acquire

    @functools.wraps(acquire)
    def wrapper(name: str, *args: Any, **kwargs: Any) -> float:
        waited = acquire(name, *args, **kwargs)
        if name in BUCKETS:
            THROTTLE_WAIT.labels(bucket=name).observe(waited)
        return waited

    wrapper.__ops_timed__ = True  # type: ignore[attr-defined]
    return wrapper


def _observe_waits(reserve_each: Callable[..., list[float]]) -> Callable[..., list[float]]:
    """The same for the send core's per-chunk reservation: one observation per send."""
    if getattr(reserve_each, "__ops_timed__", False):
        return reserve_each

    @functools.wraps(reserve_each)
    def wrapper(name: str, *args: Any, **kwargs: Any) -> list[float]:
        waits = reserve_each(name, *args, **kwargs)
        if name in BUCKETS:
            for waited in waits:
                THROTTLE_WAIT.labels(bucket=name).observe(waited)
        return waits

    wrapper.__ops_timed__ = True  # type: ignore[attr-defined]
    return wrapper


def install(
    app: Flask, *, classify: Callable[[str], Any] | None = None, intents: Iterable[str] = ()
) -> None:
    """Register `/metrics` and the timers. `classify(body)` names a text's keyword intent (the
    factory passes the SMS channel's, which organize itself does not import)."""
    from organize import notices, reviews
    from organize.alerts import throttle

    app.register_blueprint(bp)
    app.before_request(_start_timer)
    app.after_request(_make_observer(classify, intents))
    # Instrument the call sites by wrapping what they call (resolved at call time): the
    # redaction and throttle modules stay free of metrics code.
    for module in (reviews, notices):
        module.redact = timed(module.redact, REDACTION_SECONDS)  # type: ignore[attr-defined]
    throttle.acquire = _observe_throttle(throttle.acquire)
    throttle.reserve_each = _observe_waits(throttle.reserve_each)
