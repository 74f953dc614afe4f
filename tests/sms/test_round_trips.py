"""What a text of the capacity mix (bench/webhook.py: RIGHTS, "1", HELP) costs in round trips:
each Redis command and each database statement is ~50–100 µs of a web worker's CPU (issue 12).

Redis is the real one with TEST_REDIS_URL, else fakeredis behind RQ's connection."""

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from organize.cli import seed_rights
from organize.extensions import db, rq
from organize.plumbing.held import held_client
from tests.conftest import TEST_REDIS_URL, use_redis
from tests.sms.conftest import Phone


@pytest.fixture
def redis_app(app_factory: Callable[..., Flask], redis_client: redis.Redis) -> Iterator[Flask]:
    """Expiring state in Redis (real or fake), rights topics seeded."""
    app = app_factory(REDIS_URL=TEST_REDIS_URL or "redis://fake")
    with app.app_context():
        use_redis(redis_client)
        seed_rights()
        db.session.commit()
        yield app


@pytest.fixture
def costs(redis_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Redis commands, SQL statements and session commits, counted while a test runs."""
    counted: Counter[str] = Counter()

    def count_on(client: redis.Redis) -> None:
        command = client.execute_command

        def redis_command(*args: Any, **options: Any) -> Any:
            counted["redis"] += 1
            return command(*args, **options)

        def pipeline(*args: Any, **options: Any) -> Any:
            counted["redis"] += 1  # one round trip however many commands it holds
            return type(client).pipeline(client, *args, **options)

        monkeypatch.setattr(client, "execute_command", redis_command)
        monkeypatch.setattr(client, "pipeline", pipeline)

    def statement(*args: Any) -> None:
        counted["sql"] += 1

    def committed(session: Session) -> None:
        counted["commit"] += 1

    count_on(rq.queue.connection)  # the app's client (RQ, the overload queue) …
    count_on(held_client(rq.queue.connection))  # … and expiring state's
    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(Session, "after_commit", committed)
    yield counted
    event.remove(Session, "after_commit", committed)
    event.remove(db.engine, "before_cursor_execute", statement)


def _cost(costs: Counter[str], phone: Phone, body: str) -> dict[str, int]:
    costs.clear()
    assert phone.send(body)
    return {kind: costs[kind] for kind in ("redis", "sql", "commit")}


def test_a_keyword_text_costs_two_redis_round_trips_and_no_database(costs, redis_app):
    phone = Phone(redis_app.test_client(), "+17135550142")
    phone.send("RIGHTS")  # the first text reads the number's language from the database
    assert _cost(costs, phone, "RIGHTS") == {"redis": 2, "sql": 0, "commit": 0}
    assert _cost(costs, phone, "HELP") == {"redis": 2, "sql": 0, "commit": 0}


def test_a_topic_reads_the_state_on_file_only_when_it_has_state_notes(costs, redis_app):
    phone = Phone(redis_app.test_client(), "+17135550143")
    for number in ("1", "2", "3"):  # each topic's note states are read once, then kept
        phone.send("RIGHTS")
        phone.send(number)
    # 1 Breaks and meals, no state notes: a "1" checks for an RSVP (an UPDATE finding none).
    phone.send("RIGHTS")
    assert _cost(costs, phone, "1") == {"redis": 2, "sql": 1, "commit": 1}
    # 2 Domestic workers, notes for some states: the subscriber's state on file is read.
    phone.send("RIGHTS")
    assert _cost(costs, phone, "2") == {"redis": 2, "sql": 1, "commit": 1}
    # 3 Immigration agents at work, no state notes: nothing from the database.
    phone.send("RIGHTS")
    assert _cost(costs, phone, "3") == {"redis": 2, "sql": 0, "commit": 0}
