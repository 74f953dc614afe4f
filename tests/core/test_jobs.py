"""The enqueue seam: in-process without Redis, through RQ with it, loud when Redis is down."""

import gc
import os
from pathlib import Path

import pytest
from flask import current_app
from rq.utils import import_attribute

from organize.extensions import rq
from organize.outbound.jobs import QueueUnavailable, enqueue
from organize.outbound.worker import LEGACY_JOB_PATHS, AppJob, AppWorker
from tests.conftest import TEST_REDIS_URL

CALLS: list[int] = []


@rq.job
def record_call(value: int) -> int:
    """A job for the seam's tests."""
    CALLS.append(value)
    return value


@rq.job
def where_am_i(path: str) -> None:
    """Writes the process id and the app it runs in."""
    Path(path).write_text(f"{os.getpid()} {current_app.name}")


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def test_without_redis_jobs_run_in_process(app_factory):
    app = app_factory(REDIS_URL=None)
    with app.app_context():
        enqueue(record_call, 7)
    assert CALLS == [7]


@pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL (CI runs it)")
def test_with_redis_jobs_go_through_rq(app_factory, redis_client):
    app = app_factory(REDIS_URL=TEST_REDIS_URL)
    with app.app_context():
        enqueue(record_call, 8)  # RQ runs it inline in tests (RQ_ASYNC follows TESTING)
        expected_db = int(TEST_REDIS_URL.rsplit("/", 1)[1] or 0)
        assert rq.queue.connection.connection_pool.connection_kwargs["db"] == expected_db
    assert CALLS == [8]


def test_redis_down_is_reported_not_lost_silently(app_factory):
    app = app_factory(REDIS_URL="redis://127.0.0.1:1/0", RQ_ASYNC=True)
    with app.app_context(), pytest.raises(QueueUnavailable):
        enqueue(record_call, 9)
    assert CALLS == []


@pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL (CI runs it)")
def test_the_worker_forks_a_work_horse_per_job_inside_the_app(app_factory, redis_client, tmp_path):
    """`flask rq worker` is rq's forking worker with the app built once (outbound.worker)."""
    app = app_factory(REDIS_URL=TEST_REDIS_URL, RQ_ASYNC=True)
    out = tmp_path / "where"
    try:
        with app.app_context():
            where_am_i.enqueue(str(out))
            worker = app.extensions["rq"].make_worker()
            assert isinstance(worker, AppWorker)
            assert worker.work(burst=True)
    finally:
        gc.unfreeze()  # the worker froze this (pytest's) process's objects
    pid, name = out.read_text().split()
    assert int(pid) != os.getpid()
    assert name == app.name


@pytest.mark.parametrize(("old", "new"), sorted(LEGACY_JOB_PATHS.items()))
def test_jobs_queued_under_last_releases_paths_still_run(redis_client, old, new):
    """A job queued before the regrouping names `organize.broadcast.…`; the worker's job class
    finds it under its new name, and that name is a real job."""
    job = AppJob.create(old, args=(1,), connection=redis_client)
    job.save()
    fetched = AppJob.fetch(job.id, connection=redis_client)
    assert fetched.func_name == old
    assert fetched.func is import_attribute(new)
    assert callable(fetched.func)


def test_a_job_under_an_unknown_old_path_fails_loudly(redis_client):
    """Only the listed paths are mapped: anything else is rq's own import error, not a guess."""
    job = AppJob.create("organize.nothing_here.job", connection=redis_client)
    with pytest.raises((AttributeError, ImportError, ValueError)):
        _ = job.func
