"""A batch job that runs low takes the next deliveries of its alert (`claims.claim_next`) and
keeps sending, instead of ending and leaving the rest to a job per batch. Whatever takes the
work, every subscriber gets the alert exactly once; a retry still waits for its own job, a
delivery held by quiet hours or a cancelled alert is never taken, and a job that is running
out of time stops taking more."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import OperationalError

from organize.alerts import claims, compose, fanout, sending
from organize.extensions import db
from organize.models import Alert, Delivery
from tests.alerts.conftest import (
    add_subscribers,
    after_sending_to,
    broadcast_with_a_stop,
    cancel,
    make_alert,
    number,
    send,
)
from tests.conftest import TEST_DATABASE_URL

BATCH = 20


@pytest.fixture
def batches(monkeypatch) -> list[tuple[int, bool]]:
    """Each batch job that found work: how many deliveries it claimed itself, and whether it
    was allowed to take more."""
    seen: list[tuple[int, bool]] = []
    real = sending.send_claimed

    def counted(ids: list[int], rows: Any = None, more: Any = None) -> Any:
        seen.append((len(ids), more is not None))
        return real(ids, rows, more)

    monkeypatch.setattr(fanout, "send_claimed", counted)
    return seen


@pytest.fixture
def small_batches(redis_sender_with: Callable[..., Flask]) -> Flask:
    return redis_sender_with(SEND_BATCH_SIZE=BATCH, SEND_CONCURRENCY=2)


def test_the_first_batch_job_sends_the_whole_broadcast_exactly_once(
    small_batches, fake_twilio, batches
):
    add_subscribers(100)  # five batches queued
    alert = make_alert()
    send(alert)
    counts = fake_twilio.counts_by_recipient()
    assert counts == {number(i): 1 for i in range(100)}
    assert compose.progress(alert_id=alert.id) == {"sent": 100}
    assert db.session.get(Alert, alert.id).status == "sent"
    # One job claimed its own twenty and took the other eighty; the four queued after it
    # found nothing left to claim.
    assert batches == [(BATCH, True)]


def test_a_job_short_of_time_takes_nothing_more(small_batches, fake_twilio, batches, monkeypatch):
    monkeypatch.setattr(fanout, "TIMEOUT_MARGIN", 10**6)  # every job's deadline already past
    add_subscribers(100)
    alert = make_alert()
    send(alert)
    assert fake_twilio.counts_by_recipient() == {number(i): 1 for i in range(100)}
    assert compose.progress(alert_id=alert.id) == {"sent": 100}
    assert batches == [(BATCH, True)] * 5  # each job its own batch


def test_when_taking_more_fails_the_job_finishes_its_own_and_the_queue_the_rest(
    small_batches, fake_twilio, batches, monkeypatch
):
    def refuse(*args, **kwargs):
        raise OperationalError("UPDATE delivery", {}, Exception("connection lost"))

    monkeypatch.setattr(claims, "claim_next", refuse)
    add_subscribers(100)
    alert = make_alert()
    send(alert)
    assert fake_twilio.counts_by_recipient() == {number(i): 1 for i in range(100)}
    assert compose.progress(alert_id=alert.id) == {"sent": 100}
    assert batches == [(BATCH, True)] * 5


def test_a_job_whose_worker_is_stopping_takes_nothing_more(small_batches, fake_twilio, batches):
    sending.WINDING_DOWN.set()  # what a warm shutdown's signal does in the work-horse
    try:
        add_subscribers(100)
        alert = make_alert()
        send(alert)
    finally:
        sending.WINDING_DOWN.clear()
    assert fake_twilio.counts_by_recipient() == {number(i): 1 for i in range(100)}
    assert batches == [(BATCH, True)] * 5  # each job its own batch, and no more


def test_a_stop_for_someone_in_a_later_batch_is_honoured(
    small_batches, fake_twilio, monkeypatch, batches
):
    broadcast_with_a_stop(monkeypatch, fake_twilio, 100, 90)
    assert len(batches) == 1  # it was the continuing job that held it back


def test_a_cancel_stops_the_batches_a_job_takes_after_it_read_the_alert(
    small_batches, fake_twilio, monkeypatch, batches
):
    """The continuing job reads each alert once (`claims.prepare`'s `known`): a cancel that
    lands in its second batch must still stop every message not already on its way."""
    add_subscribers(100)
    alert = make_alert()
    after_sending_to(monkeypatch, number(30), cancel(alert.id))
    send(alert)
    counts = fake_twilio.counts_by_recipient()
    assert set(counts.values()) == {1}
    assert number(30) in counts
    # What was on its way (two chunks of 4 x SEND_CONCURRENCY), not the rest of its batch or
    # the next one it had already claimed (60 go when the re-check ignores a cancel).
    assert len(counts) <= 30 + 2 * 4 * 2
    db.session.expire_all()
    assert compose.progress(alert_id=alert.id) == {
        "sent": len(counts),
        "cancelled": 100 - len(counts),
    }
    assert db.session.get(Alert, alert.id).status == "cancelled"
    assert len(batches) == 1


def _deliveries(alert: Alert, count: int, start: int = 500) -> list[Delivery]:
    people = add_subscribers(count, start=start)
    rows = [Delivery(alert_id=alert.id, subscriber_id=p.id, status="queued") for p in people]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def _sending(alert: Alert) -> Alert:
    alert.status = "sending"
    db.session.commit()
    return alert


def _claim_next(alert_ids: list[int], limit: int) -> list[int]:
    with db.engine.begin() as connection:
        return [row.id for row in claims.claim_next(connection, alert_ids, limit, _now())]


def _now() -> datetime:
    return datetime.now(UTC)


def test_claim_next_takes_only_due_first_attempts_of_alerts_still_sending(small_batches):
    alert = _sending(make_alert())
    fresh, retried, later, taken = _deliveries(alert, 4)
    retried.attempts = 1  # waits for its own delayed job: taking it now would skip the delay
    later.not_before = _now() + timedelta(hours=3)  # quiet hours
    taken.status = "sending"
    cancelled = make_alert()
    cancelled.status = "cancelled"
    (of_cancelled,) = _deliveries(cancelled, 1, start=600)
    db.session.commit()

    assert _claim_next([alert.id, cancelled.id], 10) == [fresh.id]
    db.session.expire_all()
    assert (fresh.status, fresh.attempts) == ("sending", 1)
    assert fresh.claimed_at is not None
    assert [d.status for d in (retried, later, of_cancelled)] == ["queued"] * 3
    assert _claim_next([alert.id], 10) == []  # nothing is taken twice


def test_claim_next_takes_no_more_than_asked_and_never_the_same_twice(small_batches):
    alert = _sending(make_alert())
    rows = _deliveries(alert, 25)
    first = _claim_next([alert.id], 10)
    second = _claim_next([alert.id], 10)
    third = _claim_next([alert.id], 10)
    assert (len(first), len(second), len(third)) == (10, 10, 5)
    assert sorted(first + second + third) == sorted(row.id for row in rows)


@pytest.mark.skipif(
    not (TEST_DATABASE_URL or "").startswith("postgresql"),
    reason="row locks: PostgreSQL (set TEST_DATABASE_URL)",
)
def test_two_workers_taking_at_once_skip_each_others_rows(small_batches):
    alert = _sending(make_alert())
    rows = _deliveries(alert, 30)
    with db.engine.connect() as one, db.engine.connect() as two:
        # The first worker's claim is still uncommitted (its rows locked) while the second
        # takes: the second neither waits nor takes what the first holds.
        mine = [r.id for r in claims.claim_next(one, [alert.id], 20, _now())]
        theirs = [r.id for r in claims.claim_next(two, [alert.id], 20, _now())]
        two.commit()
        one.commit()
    assert len(mine) == 20
    assert sorted(theirs) == sorted(set(row.id for row in rows) - set(mine))
    assert db.session.scalar(sa.select(sa.func.count()).where(Delivery.status == "sending")) == len(
        rows
    )
