"""A sending batch re-checks STOPs and cancels in the database only when the stops counter
moved (organize.alerts.stops), and on a timer all the same: it must still never send to someone
whose STOP was committed before their chunk started, nor miss a change made behind its back."""

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from organize import privacy
from organize.alerts import claims, compose, stops
from organize.extensions import db
from organize.models import Alert, Subscriber
from tests.alerts.conftest import (
    add_subscribers,
    after_sending_to,
    broadcast_with_a_stop,
    cancel,
    make_alert,
    number,
    send,
)


@pytest.fixture
def redis_sender(redis_sender_with: Callable[..., Flask], monkeypatch) -> Flask:
    """The broadcast tests' sender with Redis, chunks of eight; the timer re-check pushed out of
    reach, so only the counter and the chunk count decide."""
    monkeypatch.setattr(stops, "RECHECK_SECONDS", 3600.0)
    return redis_sender_with(SEND_CONCURRENCY=2)


@pytest.fixture
def rechecks(monkeypatch) -> list[int]:
    """How many deliveries each database re-check looked at."""
    seen: list[int] = []
    real = claims.held

    def counted(connection, items, **kwargs):
        seen.append(len(items))
        return real(connection, items, **kwargs)

    monkeypatch.setattr(claims, "held", counted)
    return seen


def test_with_nothing_stopped_a_batch_rechecks_every_eighth_chunk(redis_sender, rechecks):
    add_subscribers(80)  # ten chunks
    send(make_alert())
    # Before the first chunk, the eight chunks it covers; at the ninth, the rest of the batch.
    assert rechecks == [64, 16]
    assert compose.progress(alert_id=db.session.scalar(sa.select(Alert.id))) == {"sent": 80}


def test_a_stop_moves_the_counter_and_the_next_chunk_is_rechecked(
    redis_sender, fake_twilio, rechecks, monkeypatch
):
    broadcast_with_a_stop(monkeypatch, fake_twilio, 80, 30)
    # The STOP brought the second re-check forward (without it: at the ninth chunk, 16 left).
    assert rechecks[0] == 64
    assert rechecks[1] > 16


def test_a_stop_past_the_checked_window_is_seen_when_the_batch_gets_there(
    redis_sender, fake_twilio, rechecks, monkeypatch
):
    broadcast_with_a_stop(monkeypatch, fake_twilio, 200, 190)
    # No re-check reads more than the eight chunks ahead, however long the batch.
    assert max(rechecks) == 64
    assert sum(rechecks) < 3 * 200


def test_a_cancel_moves_the_counter(redis_sender, fake_twilio, monkeypatch):
    add_subscribers(80)
    alert = make_alert()
    after_sending_to(monkeypatch, number(0), cancel(alert.id))
    send(alert)
    progress = compose.progress(alert_id=alert.id)
    assert 1 <= progress["sent"] <= 24  # at most three chunks were on their way
    assert progress["sent"] + progress["cancelled"] == 80


def test_a_stop_written_behind_the_sessions_back_is_seen_within_eight_chunks(
    redis_sender, fake_twilio, monkeypatch
):
    add_subscribers(120)

    def stop_on_a_bare_connection() -> None:
        with db.engine.begin() as connection:  # no session: the counter does not move
            connection.execute(
                sa.update(Subscriber)
                .where(Subscriber.phone_hash == privacy.phone(number(100)).hash)
                .values(status="opted_out")
            )

    after_sending_to(monkeypatch, number(0), stop_on_a_bare_connection)
    send(make_alert())
    assert number(100) not in fake_twilio.counts_by_recipient()
    assert len(fake_twilio.counts_by_recipient()) == 119


def test_without_a_readable_counter_every_chunk_is_rechecked(redis_sender, rechecks, monkeypatch):
    monkeypatch.setattr(stops, "generation", lambda: None)
    add_subscribers(40)
    send(make_alert())
    assert rechecks == [8] * 5  # each chunk on its own, just before it goes


def test_the_counter_moves_after_commits_that_can_stop_a_message_and_only_then(redis_sender):
    (subscriber,) = add_subscribers(1)
    alert = make_alert()
    before = stops.generation()
    assert before is not None

    subscriber.locale = "es"  # not a stop
    db.session.commit()
    assert stops.generation() == before

    subscriber.status = "opted_out"  # ORM
    db.session.flush()
    assert stops.generation() == before  # flushed, not committed: nobody may act on it yet
    db.session.commit()
    assert stops.generation() == before + 1

    compose.cancel(alert=alert, actor=None)  # a Core UPDATE through the session
    db.session.commit()
    assert stops.generation() == before + 2

    db.session.delete(db.session.get(Subscriber, subscriber.id))  # forget me
    db.session.commit()
    assert stops.generation() == before + 3
