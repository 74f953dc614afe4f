"""The RQ worker behind `flask --app wsgi rq worker`: rq's own forking worker, app built once.

Flask-RQ's default worker starts a fresh interpreter for every job (imports, `create_app`,
catalogs): about a second of CPU per job here, which capped a broadcast near 55 messages a
second whatever the batch size (bench/broadcast.py). This worker keeps Flask-RQ's command, job
class and queues, but forks a work-horse per job from the worker that already holds the app,
as plain `rq worker` does. The child pushes its own app context and drops the database
connections it inherited, so no socket is ever shared between processes.

`install(app)` wires it where the app is built (`organize.create_app`); `extensions.rq` stays a
plain Flask-RQ instance.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
from collections.abc import Sequence
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale, get_translations
from flask_rq import RQ
from flask_rq._job_class import FlaskJob
from rq import Queue, Worker
from rq.job import Job
from rq.utils import import_attribute
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import configure_mappers

from organize.alerts import sending
from organize.extensions import db
from organize.outbound import messaging

log = logging.getLogger(__name__)

# RQ job paths before organize/ was regrouped (release 0.2). Jobs already queued or scheduled in
# Redis carry these names; the worker runs them under their new names. Remove in 0.3.
LEGACY_JOB_PATHS = {
    "organize.broadcast.broadcast": "organize.alerts.fanout.broadcast",
    "organize.broadcast.send_batch": "organize.alerts.fanout.send_batch",
    "organize.reconcile.reconcile": "organize.alerts.reconcile.reconcile",
    "organize.texts.send_text": "organize.outbound.texts.send_text",
    "organize.texts.retry_pending_texts": "organize.outbound.texts.retry_pending_texts",
    "organize.recordings.delete_recording": "organize.outbound.recordings.delete_recording",
    "organize.recordings.cleanup_recordings": "organize.outbound.recordings.cleanup_recordings",
}


class AppJob(FlaskJob):
    """Flask-RQ's job, which also answers to the job paths of the previous release."""

    @property
    def func(self) -> Any:
        """The job's function, found under its current name when queued under an old one."""
        name = self.func_name
        if name in LEGACY_JOB_PATHS and not self.instance:
            return import_attribute(LEGACY_JOB_PATHS[name])
        return super().func


def warm_up() -> None:
    """What every job would otherwise load for itself after the fork: the ORM's mapper
    configuration (~0.1 s, which every work-horse repeated on its first query: a tenth of a
    1,000-message batch), the Twilio client and its lazily imported resources, and each
    language's message catalog."""
    configure_mappers()
    messaging.warm_up()
    _connect_once()
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            get_translations()  # loads and caches that language's catalog


def _connect_once() -> None:
    """Connect and hang up: SQLAlchemy learns the server's dialect details on an engine's first
    connection (several queries), and the work-horses inherit what it learnt. A database that
    is down now is not the worker's problem yet: each job connects for itself."""
    try:
        with db.engine.connect():
            pass
    except SQLAlchemyError:
        log.warning("database unavailable while the worker starts; jobs will retry it")
    db.engine.dispose()


WIND_DOWN = signal.SIGUSR2  # parent → work-horse: finish what you hold, take no more


def _wind_down(signum: int, frame: Any) -> None:
    sending.WINDING_DOWN.set()


class AppWorker(Worker):
    """rq's forking worker whose work-horses run each job inside a fresh app context."""

    def __init__(self, *args: Any, app: Flask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = app
        with app.app_context():
            warm_up()
        # Installed before any fork, so a work-horse has it from its first instant (SIGUSR2's
        # default would kill it).
        signal.signal(WIND_DOWN, _wind_down)
        # Everything loaded so far lives as long as the worker: out of the collector's sight,
        # a work-horse's collections do not touch (and so copy) the pages it shares with us.
        gc.collect()
        gc.freeze()

    def handle_warm_shutdown_request(self) -> None:
        """A warm shutdown (SIGTERM) also tells the running job to take no more work: a batch job
        that keeps going (`organize.alerts.sending.More`) would otherwise hold the shutdown
        until the whole broadcast is sent."""
        super().handle_warm_shutdown_request()
        if self.horse_pid:
            try:
                os.kill(self.horse_pid, WIND_DOWN)
            except ProcessLookupError:
                pass  # it has just finished

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        """In the forked child, before the job: own connections, own app context."""
        with self.app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)  # the parent's pooled sockets stay the parent's
            super().main_work_horse(job, queue)  # ends the process (os._exit)


class WorkerCommands:
    """What `flask rq …` finds in `app.extensions["rq"]`: the Flask-RQ extension itself, except
    that `make_worker` returns an AppWorker (same CLI, same options, same queues)."""

    def __init__(self, extension: RQ) -> None:
        self._extension = extension

    def __getattr__(self, name: str) -> Any:
        return getattr(self._extension, name)

    def make_worker(self, queues: Sequence[str] | None = None, **kwargs: Any) -> AppWorker:
        """A forking worker for the current application's configured queues."""
        known = self._extension.queues
        watched = [known[name] for name in queues] if queues else list(known.values())
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return AppWorker(watched, job_class=AppJob, app=app, **kwargs)


def install(app: Flask) -> None:
    """Make `flask rq worker` start AppWorkers for this app (after `rq.init_app(app)`)."""
    app.extensions["rq"] = WorkerCommands(app.extensions["rq"])
