"""`/healthz` and `/readyz` for an uptime monitor, and the heartbeat the scheduler leaves.

`/healthz` says only that this process answers. `/readyz` checks what the service needs to do
its work: the database, Redis, the queue, a live worker and the scheduled jobs. Both answer
JSON with no personal data, no secrets and no stack traces: a check that fails says which
kind of error it met, never its message (which may quote a URL with a password in it).
"""

import time
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, jsonify
from rq import Worker

from organize.extensions import db, rq

bp = Blueprint("ops_health", __name__)

HEARTBEAT_KEY = "organize:cron:last"
HEARTBEAT_SECONDS = 60  # how often the scheduler's heartbeat job runs
STALE_AFTER = 3 * HEARTBEAT_SECONDS + 30  # missed three beats: the scheduler is not running
WORKER_STALE_AFTER = 120  # rq workers beat every ~10 s while idle (worker_ttl 420 by default)


@rq.job
def heartbeat() -> float:
    """Note when a scheduled job last ran: proves the scheduler enqueues and a worker runs."""
    now = time.time()
    rq.queue.connection.set(HEARTBEAT_KEY, repr(now), ex=24 * 3600)
    return now


heartbeat.cron_register(HEARTBEAT_SECONDS)


def _failed(exc: Exception) -> dict[str, Any]:
    return {"ok": False, "error": type(exc).__name__}


def check_database() -> dict[str, Any]:
    """One trivial query on the application's engine."""
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any failure is "not ready", whatever the driver raised
        return _failed(exc)
    return {"ok": True}


def check_queue() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Redis, the queue's depth, the youngest worker heartbeat and the scheduler's last run."""
    if not current_app.config.get("REDIS_URL"):
        skipped = {"ok": True, "skipped": "REDIS_URL unset: jobs run in-process"}
        return skipped, skipped, skipped
    try:
        connection = rq.queue.connection
        connection.ping()
        depth = {name: queue.count for name, queue in rq.queues.items()}
        workers = Worker.all(connection=connection)
        last_beat = connection.get(HEARTBEAT_KEY)
    except Exception as exc:  # Redis down or refusing: report the kind only
        failed = _failed(exc)
        return failed, failed, failed
    now = time.time()
    beats = [w.last_heartbeat.timestamp() for w in workers if w.last_heartbeat is not None]
    newest = round(now - max(beats)) if beats else None
    worker = {
        "ok": newest is not None and newest <= WORKER_STALE_AFTER,
        "workers": len(workers),
        "seconds_since_heartbeat": newest,
    }
    since = round(now - float(last_beat)) if last_beat else None
    scheduler = {"ok": since is not None and since <= STALE_AFTER, "seconds_since_run": since}
    return {"ok": True, "queued": depth}, worker, scheduler


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up (no dependency is checked)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Database, Redis and queue, a worker's heartbeat, the scheduler's last run; 503 if any
    fails."""
    redis_check, worker, scheduler = check_queue()
    checks = {
        "database": check_database(),
        "redis": redis_check,
        "worker": worker,
        "scheduler": scheduler,
    }
    ready = all(check["ok"] for check in checks.values())
    body = jsonify(status="ok" if ready else "unavailable", checks=checks)
    body.headers["Cache-Control"] = "no-store"
    return body, 200 if ready else 503
