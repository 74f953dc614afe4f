"""Promise 4: call recordings are deleted at the provider as soon as their transcript arrives.

A recording is tracked (`PendingRecording`) the moment Twilio tells us its sid, before anything
else happens, so a transcript that never comes, a failed DELETE or Redis being down all leave
a row that the cleanup job finds later. A row goes only once the provider confirms the
recording is gone (a 404 counts: someone already deleted it).
"""

import logging
from datetime import UTC, datetime, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from rq import Retry

from organize.extensions import db, rq
from organize.models import PendingRecording
from organize.outbound import messaging
from organize.outbound.jobs import QueueUnavailable, enqueue

log = logging.getLogger(__name__)
RETRY = Retry(max=5, interval=[10, 30, 60, 300, 900])
# How long a transcript may take before the cleanup job deletes the recording anyway.
RECORDING_GRACE_SECONDS = 600
CLEANUP_INTERVAL_SECONDS = 300


def track(*, sid: str) -> None:
    """Remember a recording that must be deleted (idempotent: Twilio may tell us twice)."""
    exists = db.session.scalar(sa.select(PendingRecording.id).where(PendingRecording.sid == sid))
    if exists is None:
        db.session.add(PendingRecording(sid=sid[:64]))
        db.session.flush()


def _delete_at_provider(row: PendingRecording | None, sid: str) -> bool:
    """One DELETE; True once gone. A failure counts an attempt and keeps the row."""
    try:
        messaging.delete_recording(sid=sid)
    except messaging.SendError as exc:
        if row is not None:
            row.attempts += 1
        log.warning("recording delete failed (%s, status %s)", type(exc).__name__, exc.status)
        return False
    if row is not None:
        db.session.delete(row)
    return True


@rq.job
def delete_recording(sid: str) -> bool:
    """Delete one recording now. Idempotent; re-raises transient errors so RQ retries."""
    row = db.session.scalar(sa.select(PendingRecording).where(PendingRecording.sid == sid))
    gone = _delete_at_provider(row, sid)
    db.session.commit()
    if not gone:
        raise messaging.TransientSendError("recording not deleted yet")
    return True


def request_deletion(*, sid: str) -> None:
    """Delete as soon as possible; if the queue or the provider fails, the row stays for cleanup."""
    try:
        enqueue(delete_recording, sid, retry=RETRY)
    except (QueueUnavailable, messaging.SendError):
        log.info("recording deletion left to the cleanup job")


@rq.job
def cleanup_recordings() -> int:
    """Delete recordings whose transcript never came, and retry failed deletions. Idempotent."""
    grace = int(current_app.config.get("RECORDING_GRACE_SECONDS", RECORDING_GRACE_SECONDS))
    cutoff = datetime.now(UTC) - timedelta(seconds=grace)
    stmt = (
        sa.select(PendingRecording)
        .where(sa.or_(PendingRecording.created_at <= cutoff, PendingRecording.attempts > 0))
        .order_by(PendingRecording.id)
        .limit(500)
    )
    deleted = sum(_delete_at_provider(row, row.sid) for row in db.session.scalars(stmt).all())
    db.session.commit()
    return deleted


# `flask rq cron` enqueues the sweep; the CLI command below serves a system cron instead.
cleanup_recordings.cron_register(CLEANUP_INTERVAL_SECONDS)

recordings_cli = AppGroup("recordings", help="Call recordings awaiting deletion.")


@recordings_cli.command("cleanup")
def cleanup_command() -> None:
    """Delete overdue recordings at the provider now."""
    click.echo(f"{cleanup_recordings()} recording(s) deleted")
