"""A counter in Redis that moves whenever something may stop a message already claimed for
sending: a subscriber's status changes (STOP, suppression) or a subscriber is deleted (forget
me), an alert's status changes (cancel).

A sending batch re-checks its next chunks in the database only when the counter has moved since
its last check, when a chunk reaches past the `RECHECK_EVERY` chunks it last covered, or when
`RECHECK_SECONDS` have passed all the same. The
re-check per chunk cost a send core ~15 % of its CPU and stalled its loop on every round trip
(bench/broadcast.py), almost always to learn that nothing had changed.

The counter moves after the commit that made the change (a session event, whoever wrote it: the
ORM or a Core statement through the session), so a batch that reads it unchanged has already
seen every change committed before its previous check. A change made on a bare connection, or
a bump lost to a Redis failure, is still seen within `RECHECK_SECONDS` by the unconditional
re-check; a batch that cannot read the counter re-checks every chunk, as before.
"""

import logging
from typing import Any

from flask import current_app, has_app_context
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session, attributes

from organize.extensions import rq
from organize.models import Alert, Subscriber

log = logging.getLogger(__name__)

KEY = "organize:alerts:stops"
RECHECK_EVERY = 8  # chunks
RECHECK_SECONDS = 0.25
_WATCHED = (Subscriber, Alert)
_TABLES = {Subscriber.__tablename__, Alert.__tablename__}
_MARK = "organize.stops.changed"


def generation() -> int | None:
    """The counter now; None without Redis or when it cannot be read."""
    if not current_app.config.get("REDIS_URL"):
        return None
    try:
        return int(rq.queue.connection.get(KEY) or 0)
    except (RedisError, ValueError):
        return None


def bump() -> None:
    """Move the counter (after a commit that may stop a claimed message)."""
    if not has_app_context() or not current_app.config.get("REDIS_URL"):
        return
    try:
        rq.queue.connection.incr(KEY)
    except RedisError:
        log.warning("could not mark a stop for sending batches; they re-check on their timer")


def _status_changed(obj: Any) -> bool:
    return bool(attributes.get_history(obj, "status").has_changes())


def _flushed(session: Session, _context: Any) -> None:
    """ORM: a watched row deleted, or its status changed, in this flush."""
    if any(isinstance(obj, _WATCHED) for obj in session.deleted) or any(
        isinstance(obj, _WATCHED) and _status_changed(obj) for obj in session.dirty
    ):
        session.info[_MARK] = True


def _executed(state: Any) -> None:
    """Core through the session: any UPDATE or DELETE of a watched table."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _TABLES:
        state.session.info[_MARK] = True


def _committed(session: Session) -> None:
    if session.info.pop(_MARK, False):
        bump()


def install() -> None:
    """Listen on every session (idempotent)."""
    for name, listener in (
        ("after_flush", _flushed),
        ("do_orm_execute", _executed),
        ("after_commit", _committed),  # a mark left by a rollback costs one re-check more
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
