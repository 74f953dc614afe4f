"""The text line when Redis dies, when the database fails, and when it cannot answer in time.

Redis is the real one with TEST_REDIS_URL, else fakeredis behind RQ's connection (as in
tests/ops). "Killing" Redis points that connection at a port nobody listens on: every command
then fails the way it does when the server dies mid-conversation.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from organize.cli import seed_rights
from organize.extensions import db, rq
from organize.models import Subscriber
from organize.outbound import messaging
from sms import overload
from tests.conftest import TEST_REDIS_URL, use_redis
from tests.sms.conftest import Phone

NUMBER = "+17135550142"


@pytest.fixture
def redis_twilio_app(
    app_factory: Callable[..., Flask], redis_client: redis.Redis, fake_twilio: Any
) -> Iterator[Flask]:
    """Redis set (real or fake), the REST API on the fake Twilio, jobs queued (not run inline)."""
    app = app_factory(
        REDIS_URL=TEST_REDIS_URL or "redis://fake",
        RQ_ASYNC=True,
        **fake_twilio.config(),
        TWILIO_TIMEOUT=2.0,
    )
    with app.app_context():
        use_redis(redis_client)
        seed_rights()
        db.session.commit()
        yield app


def _kill_redis() -> None:
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    for queue in rq.queues.values():
        queue.connection = dead


def _status(number: str = NUMBER) -> str | None:
    from organize import privacy

    db.session.expire_all()
    phone_hash = privacy.phone(number).hash
    query = sa.select(Subscriber.status).where(Subscriber.phone_hash == phone_hash)
    return db.session.scalar(query)


def _subscribe(phone: Phone) -> None:
    phone.send("UNIRME")
    phone.send("SI")
    assert _status() == "active"


class DatabaseDown:
    """Every statement fails as a dead server's would, while `down` is True."""

    def __init__(self) -> None:
        self.down = False

    def __call__(self, *args: object, **kwargs: object) -> None:
        if self.down:
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))


@pytest.fixture
def database() -> Iterator[DatabaseDown]:
    outage = DatabaseDown()
    event.listen(db.engine, "before_cursor_execute", outage)
    yield outage
    event.remove(db.engine, "before_cursor_execute", outage)


def test_redis_killed_mid_conversation_apologizes_in_their_language_and_stop_counts(
    redis_twilio_app,
):
    phone = Phone(redis_twilio_app.test_client(), NUMBER)
    _subscribe(phone)
    assert "1" in phone.send("DERECHOS")  # the Spanish rights list: a question is open
    _kill_redis()
    lost = phone.send("1")  # the answer to a question Redis held
    assert "perdimos el hilo" in lost  # the apology, in Spanish, not a 500 and not English
    assert "Sorry" not in lost
    assert "START" in phone.send("ALTO")  # the confirmation, not an apology
    assert _status() == "opted_out"


def test_a_text_the_line_cannot_answer_in_time_is_answered_by_the_worker(
    redis_twilio_app, fake_twilio
):
    redis_twilio_app.config["SMS_DEFER"] = "always"  # the overload switch, forced
    connection = rq.queue.connection
    phone = Phone(redis_twilio_app.test_client(), NUMBER)
    assert phone.send("RIGHTS") is None  # an empty <Response/>, at once
    assert overload.waiting() == 1
    assert rq.queue.count == 1  # one drain job queued for it
    kept = repr([connection.dump(key) for key in connection.scan_iter("*")])
    assert "7135550142" not in kept  # encrypted whole: the number …
    assert "RIGHTS" not in kept  # … and what was said
    assert fake_twilio.sent_to(NUMBER) == []

    assert overload.drain() == 1  # what the RQ worker runs
    (sent,) = fake_twilio.sent_to(NUMBER)
    assert "Your rights" in sent["body"]
    assert overload.waiting() == 0


def test_a_numbers_texts_are_answered_in_the_order_sent(redis_twilio_app, fake_twilio):
    phone = Phone(redis_twilio_app.test_client(), NUMBER)
    redis_twilio_app.config["SMS_DEFER"] = "always"
    assert phone.send("RIGHTS") is None  # kept
    redis_twilio_app.config["SMS_DEFER"] = "never"
    assert phone.send("1") is None  # kept too: it answers the list the worker has yet to send
    assert overload.waiting() == 2
    assert overload.drain() == 2
    first, second = (m["body"] for m in fake_twilio.sent_to(NUMBER))
    assert "1 " in first  # the list …
    assert "http" in second  # … then topic 1 of it, with its link
    assert phone.send("HELP")  # nothing waits now: answered at once


def test_a_drain_answers_many_numbers_at_once_each_in_order_and_keeps_a_failed_reply(
    redis_twilio_app, fake_twilio
):
    numbers = [f"+1713555{n:04d}" for n in range(150, 156)]
    phones = [Phone(redis_twilio_app.test_client(), number) for number in numbers]
    redis_twilio_app.config["SMS_DEFER"] = "always"
    for phone in phones:
        assert phone.send("RIGHTS") is None  # kept: the list …
    for phone in phones:
        assert phone.send("1") is None  # … and topic 1 of it, kept behind it
    fake_twilio.behaviour.fail_next.append((503, 20500))  # the first reply to arrive: busy
    queued = len(rq.queue.get_jobs())

    assert overload.drain() == 2 * len(numbers)
    assert overload.waiting() == 0
    ((busy, _status, _code),) = fake_twilio.refused
    for number in numbers:
        bodies = [m["body"] for m in fake_twilio.sent_to(number)]
        if number == busy:  # its first reply (the list) waits for a retry; the topic went
            assert len(bodies) == 1
            assert "http" in bodies[0]
        else:
            assert len(bodies) == 2, number
            assert "1 " in bodies[0]  # the list first …
            assert "http" in bodies[1]  # … then topic 1 of it
    retries = [job for job in rq.queue.get_jobs()[queued:] if job.func_name.endswith("send_text")]
    assert len(retries) == 1  # the busy reply is kept to retry, not lost
    assert "Your rights" in retries[0].args[1]


def test_a_drain_run_where_an_event_loop_already_runs_still_answers(redis_twilio_app, fake_twilio):
    """A caller that is itself async, or a test process whose browser driver holds a loop."""
    redis_twilio_app.config["SMS_DEFER"] = "always"
    assert Phone(redis_twilio_app.test_client(), NUMBER).send("RIGHTS") is None

    async def from_a_loop() -> int:
        return overload.drain()

    # The drain runs inside a loop either way: on this thread, or on one of its own where this
    # process holds a loop already (the browser tests' driver).
    assert messaging.run_async(from_a_loop) == 1
    (sent,) = fake_twilio.sent_to(NUMBER)
    assert "Your rights" in sent["body"]


def test_without_twilio_a_drains_replies_are_kept_in_the_outbox(app_factory, redis_client):
    from organize import privacy
    from organize.models import OutboxMessage

    app = app_factory(REDIS_URL=TEST_REDIS_URL or "redis://fake", RQ_ASYNC=True, SMS_DEFER="always")
    with app.app_context():
        use_redis(redis_client)
        seed_rights()
        db.session.commit()
        assert Phone(app.test_client(), NUMBER).send("RIGHTS") is None  # kept
        assert overload.drain() == 1
        db.session.remove()  # what the job left uncommitted goes with its session
        rows = db.session.scalars(sa.select(OutboxMessage)).all()
        assert [row.phone_hash for row in rows] == [privacy.phone(NUMBER).hash]
        assert "Your rights" in rows[0].body


def test_stop_is_answered_and_recorded_at_once_even_under_overload(redis_twilio_app):
    phone = Phone(redis_twilio_app.test_client(), NUMBER)
    _subscribe(phone)
    redis_twilio_app.config["SMS_DEFER"] = "always"
    assert "Ya no recibira mensajes" in phone.send("STOP")
    assert _status() == "opted_out"
    assert overload.waiting() == 0


def test_database_down_keeps_texts_and_a_stop_still_counts(redis_twilio_app, fake_twilio, database):
    phone = Phone(redis_twilio_app.test_client(), NUMBER)
    _subscribe(phone)
    database.down = True
    assert "Ya no recibira mensajes" in phone.send("STOP")  # confirmed now, in Spanish …
    assert phone.send("RIGHTS") is None  # … this one answered later
    assert overload.waiting() == 2
    assert overload.drain() == 0  # still down: both stay kept, in order
    assert overload.waiting() == 2
    database.down = False
    assert _status() == "active"

    assert overload.drain() == 2
    assert _status() == "opted_out"  # … and the STOP recorded once the database is back
    bodies = [m["body"] for m in fake_twilio.sent_to(NUMBER)]
    assert not any("START" in b for b in bodies)  # confirmed once, not twice
    assert any("1 " in b for b in bodies)  # the rights list, by REST


def test_the_replay_store_keeps_nothing_past_the_retry_window(redis_twilio_app):
    phone = Phone(redis_twilio_app.test_client(), NUMBER)
    phone.send("HELP")
    connection = rq.queue.connection
    keys = [k.decode() for k in connection.scan_iter("organize:sms:sid:*")]
    assert keys
    window = redis_twilio_app.config["SMS_REPLAY_TTL"]
    assert all(0 < connection.ttl(key) <= window for key in keys)


def test_under_load_an_unsigned_text_is_refused_not_kept(redis_twilio_app):
    redis_twilio_app.config["SMS_DEFER"] = "always"
    params = {"From": NUMBER, "To": "+15005550006", "Body": "RIGHTS", "MessageSid": "SMx"}
    response = redis_twilio_app.test_client().post(
        "/sms/inbound", data=params, headers={"X-Twilio-Signature": "forged"}
    )
    assert response.status_code == 403
    assert overload.waiting() == 0
