"""Keeps the reconciler scheduled while alerts are sending.

The fan-out needs the reconciler running and the reconciler re-starts fan-outs, so the
reconciler is named here by its RQ path (a public name: jobs queued in Redis carry it) rather
than imported: this module sits below both.
"""

from datetime import timedelta

from flask import current_app
from rq.job import Job as RQJob
from rq.job import JobStatus

from organize.extensions import rq

RECONCILER_ID = "organize-reconcile"
RECONCILE_JOB = "organize.alerts.reconcile.reconcile"


def ensure_reconciler() -> None:
    """Schedule the reconciler one lease from now unless it is already waiting."""
    if not current_app.config.get("REDIS_URL"):
        return
    connection = rq.queue.connection
    try:
        existing = RQJob.fetch(RECONCILER_ID, connection=connection)
        if existing.get_status(refresh=True) in {JobStatus.SCHEDULED, JobStatus.QUEUED}:
            return
    except Exception:  # noqa: S110 - NoSuchJobError and friends: schedule a fresh one
        pass
    schedule_reconciler()


def schedule_reconciler() -> None:
    """The reconciler, one lease from now (one job id: scheduling it again replaces it)."""
    lease = int(current_app.config["SEND_LEASE_SECONDS"])
    rq.queue.enqueue_in(timedelta(seconds=lease), RECONCILE_JOB, job_id=RECONCILER_ID)
