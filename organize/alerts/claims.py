"""A claimed batch in the database: what each delivery needs to go, which must not go after
all (a STOP or cancel since the claim), and what became of each, written in bulk.

Core statements, not the ORM: they run every few messages while a batch sends. Each takes the
connection it runs on, so the send core can run them off its event loop.
"""

from datetime import UTC, datetime
from typing import Any, NamedTuple, cast

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql

from organize.alerts.bodies import Bodies
from organize.extensions import db
from organize.models import Alert, Delivery, Subscriber
from organize.outbound import messaging

Recorded = list[tuple[str, "Outcome"]]  # outcomes written, each with its final kind


class Work(NamedTuple):
    """What one send needs: plain values only (a named tuple: a fifth of a frozen dataclass's
    cost to make, one per message on the sending loop)."""

    delivery_id: int
    subscriber_id: int
    channel: str
    phone_cipher: str
    body: str
    segments: int
    call_url: str | None


class Outcome(NamedTuple):
    """How one delivery went (a named tuple, like `Work`)."""

    delivery_id: int
    kind: str  # sent | failed | retry | unsure | skipped | cancelled
    sid: str | None = None
    code: int | None = None


def ids_match(column: Any, ids: list[int]) -> Any:
    """`column IN ids`; on PostgreSQL `column = ANY(array)`: one parameter instead of a
    batch's five hundred, which SQLAlchemy and psycopg would otherwise render and parse."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, ids, type_=postgresql.ARRAY(sa.Integer)))
    return column.in_(ids)


def status_callback(path: str) -> str | None:
    base = current_app.config.get("PUBLIC_URL")
    return f"{str(base).rstrip('/')}{path}" if base else None


def _call_url(delivery_id: int) -> str:
    """Where a voice alert's call asks for what to say. Without PUBLIC_URL (development) the
    outbox keeps the path for the simulator."""
    path = f"/voice/alert/{delivery_id}"
    return status_callback(path) or path


_d, _s, _a = (cast(sa.Table, m.__table__) for m in (Delivery, Subscriber, Alert))


# PostgreSQL: claim a batch and read what its sends need in one statement. Claiming and then
# reading cost a send job two round trips and an ORM-enabled UPDATE: a fifth of a 1,000-message
# job's time (bench/broadcast.py). SQLite cannot return the joined subscriber's columns.
_CLAIM_PG = sa.text(
    """
    UPDATE delivery AS d
    SET status = 'sending', claimed_at = :now, attempts = d.attempts + 1, updated_at = :now
    FROM subscriber AS s
    WHERE d.id = ANY(CAST(:ids AS integer[])) AND d.status = 'queued'
      AND (d.not_before IS NULL OR d.not_before <= :now) AND s.id = d.subscriber_id
    RETURNING d.id, d.alert_id, d.attempts, d.subscriber_id, d.channel, d.segments,
        s.status, s.locale, s.phone_cipher
    """
)


def claim(ids: list[int], now: datetime) -> tuple[list[int], list[Any] | None]:
    """Claim the deliveries among `ids` still queued and due (queued → sending, one attempt
    more); returns their ids and, on PostgreSQL, the rows `prepare` would read for them."""
    if db.session.get_bind().dialect.name == "postgresql":
        rows = sorted(db.session.execute(_CLAIM_PG, {"ids": ids, "now": now}).all())
        return [row.id for row in rows], rows
    claimed = db.session.scalars(
        sa.update(_d)
        .where(
            _d.c.id.in_(ids),
            _d.c.status == "queued",
            sa.or_(_d.c.not_before.is_(None), _d.c.not_before <= now),
        )
        .values(status="sending", claimed_at=now, attempts=_d.c.attempts + 1, updated_at=now)
        .returning(_d.c.id)
    )
    return list(claimed), None


# PostgreSQL: the next deliveries of the batch's alerts that nobody has claimed, claimed and read
# in one statement. Only first attempts (a retry waits for its own delayed job) that are due,
# of alerts still sending; SKIP LOCKED lets two workers take turns without waiting on each
# other, and the outer `status = 'queued'` keeps a row another claim took meanwhile. The pick
# is a MATERIALIZED CTE: as `IN (subquery)` the planner may run it more than once, and the
# LIMIT with it (30 rows claimed for 20 asked, tests/alerts/test_continuation.py).
_CLAIM_NEXT_PG = sa.text(
    """
    WITH next AS MATERIALIZED (
        SELECT q.id FROM delivery AS q JOIN alert AS a ON a.id = q.alert_id
        WHERE q.alert_id = ANY(CAST(:alerts AS integer[])) AND a.status = 'sending'
          AND q.status = 'queued' AND q.attempts = 0
          AND (q.not_before IS NULL OR q.not_before <= :now)
        LIMIT :limit
        FOR UPDATE OF q SKIP LOCKED
    )
    UPDATE delivery AS d
    SET status = 'sending', claimed_at = :now, attempts = d.attempts + 1, updated_at = :now
    FROM next, subscriber AS s
    WHERE d.id = next.id AND d.status = 'queued' AND s.id = d.subscriber_id
    RETURNING d.id, d.alert_id, d.attempts, d.subscriber_id, d.channel, d.segments,
        s.status, s.locale, s.phone_cipher
    """
)


def claim_next(
    connection: sa.Connection, alert_ids: list[int], limit: int, now: datetime
) -> list[Any]:
    """Claim up to `limit` more of these alerts' deliveries nobody has claimed yet (first
    attempts, due, the alert still sending); returns what `prepare` needs of them, by id.

    How a batch job keeps going instead of ending (`organize.alerts.sending`): each job costs a
    fork, a connection, a claim and a drained pipeline, about a quarter of a second, a tenth
    of a 2,000-message batch's time at the machine's limit (bench/broadcast.py)."""
    if connection.dialect.name == "postgresql":
        params = {"alerts": alert_ids, "limit": limit, "now": now}
        return sorted(connection.execute(_CLAIM_NEXT_PG, params).all())
    due = sa.or_(_d.c.not_before.is_(None), _d.c.not_before <= now)
    ids = list(
        connection.scalars(
            sa.select(_d.c.id)
            .join(_a, _a.c.id == _d.c.alert_id)
            .where(
                _d.c.alert_id.in_(alert_ids),
                _a.c.status == "sending",
                _d.c.status == "queued",
                _d.c.attempts == 0,
                due,
            )
            .order_by(_d.c.id)
            .limit(limit)
        )
    )
    if not ids:
        return []
    claimed = list(
        connection.scalars(
            sa.update(_d)
            .where(_d.c.id.in_(ids), _d.c.status == "queued")
            .values(status="sending", claimed_at=now, attempts=_d.c.attempts + 1, updated_at=now)
            .returning(_d.c.id)
        )
    )
    return _read(claimed, connection) if claimed else []


Known = dict[int, tuple[bool, Bodies]]  # alert id: (cancelled when read, its bodies)


def prepare(
    ids: list[int], rows: list[Any] | None = None, known: Known | None = None
) -> tuple[list[Work], list[Outcome], dict[int, tuple[int, int]]]:
    """Plain rows for the claimed deliveries (columns, not ORM objects: a batch is hot code);
    `rows` when `claim` has read them already. `known`: the alerts a job has read, kept across
    its batches so that a continuation reads nothing on the sending loop; a cancel since is
    the re-check's to find (`held`), as for any claimed delivery."""
    rows = rows if rows is not None else _read(ids)
    known = {} if known is None else known
    missing = {row.alert_id for row in rows} - known.keys()
    if missing:
        for alert in db.session.scalars(sa.select(Alert).where(Alert.id.in_(missing))):
            known[alert.id] = (alert.status == "cancelled", Bodies(alert))
    work, done = [], []
    claims = {row.id: (row.attempts, row.subscriber_id) for row in rows}
    for row in rows:
        cancelled, bodies = known[row.alert_id]
        body = bodies(row.locale)[0]
        if cancelled:
            done.append(Outcome(row.id, "cancelled"))
        elif row.status != "active" or not body:
            done.append(Outcome(row.id, "skipped"))
        else:
            call_url = _call_url(row.id) if row.channel == "voice" else None
            cipher, segments = row.phone_cipher, row.segments
            work.append(
                Work(row.id, row.subscriber_id, row.channel, cipher, body, segments, call_url)
            )
    db.session.commit()  # nothing held open while it sends
    return work, done, claims


def _read(ids: list[int], connection: sa.Connection | None = None) -> list[Any]:
    """What `prepare` needs of claimed deliveries and their subscribers, by delivery id."""
    query = (
        sa.select(
            _d.c.id,
            _d.c.alert_id,
            _d.c.attempts,
            _d.c.subscriber_id,
            _d.c.channel,
            _d.c.segments,
            _s.c.status,
            _s.c.locale,
            _s.c.phone_cipher,
        )
        .join(_s, _s.c.id == _d.c.subscriber_id)
        .where(_d.c.id.in_(ids) if connection is not None else ids_match(_d.c.id, ids))
        .order_by(_d.c.id)
    )
    return list((connection or db.session).execute(query).all())


_HELD_FROM = (
    sa.select(_d.c.id, _s.c.status, _a.c.status, _d.c.status, _d.c.attempts)
    .join(_s, _s.c.id == _d.c.subscriber_id)
    .join(_a, _a.c.id == _d.c.alert_id)
)
_HELD = {
    "postgresql": _HELD_FROM.where(
        _d.c.id == sa.any_(sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer)))
    ),
    "other": _HELD_FROM.where(_d.c.id.in_(sa.bindparam("ids", expanding=True))),
}


def held(
    connection: sa.Connection, items: list[Work], *, claims: dict[int, tuple[int, int]]
) -> dict[int, Outcome]:
    """The deliveries among `items` that must not go after all, with why: a STOP or a cancel
    may have come in since the batch was claimed, or the claim is no longer this batch's (the
    reconciler took a delivery back after its lease and another batch claimed it: that batch
    sends it, this one must not). One query for the lot."""
    held_query = _HELD.get(connection.dialect.name, _HELD["other"])
    rows = connection.execute(held_query, {"ids": [item.delivery_id for item in items]}).all()
    held = {}
    found = set()
    for delivery_id, subscriber_status, alert_status, status, attempts in rows:
        found.add(delivery_id)
        if status != "sending" or attempts != claims.get(delivery_id, (None, 0))[0]:
            held[delivery_id] = Outcome(delivery_id, "superseded")
        elif alert_status == "cancelled":
            held[delivery_id] = Outcome(delivery_id, "cancelled")
        elif subscriber_status != "active":
            held[delivery_id] = Outcome(delivery_id, "skipped")
    for item in items:  # its subscriber is gone (forget me)
        if item.delivery_id not in found:
            held[item.delivery_id] = Outcome(item.delivery_id, "skipped")
    return held


def renew(connection: sa.Connection, ids: list[int]) -> None:
    """Push the lease of deliveries this batch still holds: a batch that waits for tokens (a
    low SEND_RATE) is not dead, and the reconciler must not take its deliveries back."""
    if not ids:
        return
    # The job's bookkeeping thread has no app context: the dialect comes from the connection.
    if connection.dialect.name == "postgresql":
        match = _d.c.id == sa.any_(sa.bindparam(None, ids, type_=postgresql.ARRAY(sa.Integer)))
    else:
        match = _d.c.id.in_(ids)
    connection.execute(
        sa.update(_d).where(match, _d.c.status == "sending").values(claimed_at=datetime.now(UTC))
    )


def _kind(outcome: Outcome, attempts: int, max_attempts: int) -> str:
    """What the outcome makes of the delivery: a retry past the last attempt is a failure."""
    if outcome.kind == "retry" and attempts >= max_attempts:
        return "failed"
    return outcome.kind


# One statement per kind, run as an executemany: a batch's outcomes cost a round trip or two,
# not an ORM load and flush each. `status = 'sending'` keeps a row the reconciler settled, and
# the attempt number one that another batch has claimed since.
_WHERE = sa.and_(
    _d.c.id == sa.bindparam("b_id"),
    _d.c.status == "sending",
    _d.c.attempts == sa.bindparam("b_attempts"),
)
_CHANGES: dict[str, dict[str, Any]] = {
    "sent": {
        "status": "sent",
        "provider_sid": sa.bindparam("b_sid"),
        "sent_at": sa.bindparam("b_now"),
    },
    "unsure": {},  # stays `sending`: the reconciler asks the provider once the lease is over
    "retry": {"status": "queued", "error_code": sa.bindparam("b_code")},
    "failed": {"status": "failed", "error_code": sa.bindparam("b_code")},
    "skipped": {"status": "skipped"},
    "cancelled": {"status": "cancelled"},
}
_UPDATES = {
    kind: sa.update(_d).where(_WHERE).values(updated_at=sa.bindparam("b_now"), **changes)
    for kind, changes in _CHANGES.items()
}


# PostgreSQL: each kind's outcomes in one statement, its columns as arrays. The executemany
# above adapts and sends a statement per outcome: ~27 µs of a send core's CPU each, on the
# thread that shares the interpreter with the sending loop (bench/broadcast.py).
_SETS = {
    "sent": "status = 'sent', provider_sid = t.sid, sent_at = :now,",
    "unsure": "",
    "retry": "status = 'queued', error_code = t.code,",
    "failed": "status = 'failed', error_code = t.code,",
    "skipped": "status = 'skipped',",
    "cancelled": "status = 'cancelled',",
}
_UPDATES_PG = {
    kind: sa.text(
        f"""
        UPDATE delivery AS d SET {changes} updated_at = :now
        FROM unnest(
            CAST(:ids AS integer[]), CAST(:attempts AS integer[]),
            CAST(:sids AS varchar[]), CAST(:codes AS integer[])
        ) AS t(id, attempts, sid, code)
        WHERE d.id = t.id AND d.status = 'sending' AND d.attempts = t.attempts
        """  # noqa: S608 - the SET clauses are the constants above
    )
    for kind, changes in _SETS.items()
}


def _write(connection: sa.Connection, kind: str, params: list[dict[str, Any]]) -> None:
    """One kind's outcomes: one statement on PostgreSQL, an executemany elsewhere."""
    if connection.dialect.name != "postgresql":
        connection.execute(_UPDATES[kind], params)
        return
    connection.execute(
        _UPDATES_PG[kind],
        {
            "now": params[0]["b_now"],
            "ids": [p["b_id"] for p in params],
            "attempts": [p["b_attempts"] for p in params],
            "sids": [p["b_sid"] for p in params],
            "codes": [p["b_code"] for p in params],
        },
    )


def record(
    connection: sa.Connection,
    outcomes: list[Outcome],
    claims: dict[int, tuple[int, int]],
    max_attempts: int,
) -> list[tuple[str, Outcome]]:
    """Write a run of outcomes (in the connection's transaction); returns each with its final
    kind. `claims` maps a delivery to (attempts so far, subscriber id)."""
    now = datetime.now(UTC)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    recorded = []
    for outcome in outcomes:
        attempts, subscriber_id = claims.get(outcome.delivery_id, (max_attempts, 0))
        kind = _kind(outcome, attempts, max_attempts)
        recorded.append((kind, outcome))
        if kind == "superseded":
            continue  # another batch owns it now: nothing of ours to write
        by_kind.setdefault(kind, []).append(
            {
                "b_id": outcome.delivery_id,
                "b_attempts": attempts,
                "b_sid": outcome.sid,
                "b_code": outcome.code,
                "b_now": now,
            }
        )
        if kind == "failed" and outcome.code in messaging.SUPPRESS:
            _suppress(connection, subscriber_id, outcome.code, now)
    for kind, params in by_kind.items():
        _write(connection, kind, params)
    return recorded


def _suppress(
    connection: sa.Connection, subscriber_id: int, code: int | None, now: datetime
) -> None:
    """Stop sending to an active subscriber the provider refused for good; a carrier opt-out
    (they texted STOP to the carrier) is honoured everywhere."""
    changes: dict[str, Any] = {"suppressed_code": code, "status": "suppressed"}
    if code == messaging.OPTED_OUT:
        changes.update(status="opted_out", opted_out_at=now)
    connection.execute(
        sa.update(_s).where(_s.c.id == subscriber_id, _s.c.status == "active").values(**changes)
    )
