"""The RQ worker behind `flask --app wsgi rq worker`: rq's own forking worker, app built once.

Flask-RQ's default worker starts a fresh interpreter for every job (imports, `create_app`,
catalogs): about a second of CPU per job here, which capped a broadcast near 55 messages a
second whatever the batch size (bench/broadcast.py). This worker keeps Flask-RQ's command, job
class and queues, but forks a work-horse per job from the worker that already holds the app,
as plain `rq worker` does. The child pushes its own app context and drops the database
connections it inherited, so no socket is ever shared between processes.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Sequence
from typing import Any

from flask import Flask, current_app
from flask_rq import RQ
from rq import Queue, Worker
from rq.job import Job

log = logging.getLogger(__name__)


def warm_up() -> None:
    """What every job would otherwise load for itself after the fork: the Twilio client and
    its lazily imported resources, and each language's message catalog."""
    from organize import messaging
    from organize.broadcast import rsvp_line

    messaging.warm_up()
    _connect_once()
    for locale in current_app.config["LANGUAGES"]:
        rsvp_line(locale)  # loads that language's catalog


def _connect_once() -> None:
    """Connect and hang up: SQLAlchemy learns the server's dialect details on an engine's first
    connection (several queries), and the work-horses inherit what it learnt. A database that
    is down now is not the worker's problem yet: each job connects for itself."""
    from sqlalchemy.exc import SQLAlchemyError

    from organize.extensions import db

    try:
        with db.engine.connect():
            pass
    except SQLAlchemyError:
        log.warning("database unavailable while the worker starts; jobs will retry it")
    db.engine.dispose()


class AppWorker(Worker):
    """rq's forking worker whose work-horses run each job inside a fresh app context."""

    def __init__(self, *args: Any, app: Flask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = app
        with app.app_context():
            warm_up()
        # Everything loaded so far lives as long as the worker: out of the collector's sight,
        # a work-horse's collections do not touch (and so copy) the pages it shares with us.
        gc.collect()
        gc.freeze()

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        """In the forked child, before the job: own connections, own app context."""
        from organize.extensions import db

        with self.app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)  # the parent's pooled sockets stay the parent's
            super().main_work_horse(job, queue)  # ends the process (os._exit)


class OrganizeRQ(RQ):
    """Flask-RQ with `make_worker` returning an AppWorker (same CLI, same options)."""

    def make_worker(self, queues: Sequence[str] | None = None, **kwargs: Any) -> AppWorker:
        """A forking worker for the current application's configured queues."""
        known = self.queues
        watched = [known[name] for name in queues] if queues else list(known.values())
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return AppWorker(watched, job_class=watched[0].job_class, app=app, **kwargs)
