"""Exactly once through real RQ workers: a worker SIGKILLed mid-broadcast, and a flaky provider.

Real PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL), `flask --app wsgi rq worker
--with-scheduler` as a subprocess, and the fake Twilio on loopback in this process. Skipped
without the services; with REQUIRE_SERVICES=1 (CI) a missing service fails instead.
"""

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from rq.scheduler import RQScheduler

from organize.alerts import compose, fanout
from organize.extensions import db
from organize.models import Alert
from tests.alerts.conftest import add_subscribers, make_alert, number
from tests.conftest import REQUIRE_SERVICES, TEST_DATABASE_URL, TEST_REDIS_URL, make_config
from tests.faketwilio import FakeTwilio, _Handler
from tests.processes import alive, signal_family, wait_for

ON_SERVICES = str(TEST_DATABASE_URL).startswith("postgresql") and bool(TEST_REDIS_URL)
pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not ON_SERVICES and not REQUIRE_SERVICES,
        reason="needs real PostgreSQL and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # seconds: the reconciler runs every lease
# SEND_RATE=400 makes a batch of 500 last over a second, so the kill lands in the middle of one.
BATCH = 500


class Workers:
    """`flask rq worker` subprocesses, each in its own session, killed whole at the end."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker"]
        with self.log.open("ab") as out:
            proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [*command, "--with-scheduler"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker's process group and every descendant's group (its work-horse and
        its scheduler are forks; a kill of the whole machine's worst case)."""
        family = signal_family(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        wait_for(lambda: not any(alive(pid) for pid in family), 10, "the killed processes")

    def kill_all(self) -> None:
        for proc in self.running:
            if proc.poll() is None:
                self.kill(proc)
        self.running.clear()

    def tail(self) -> str:
        """The end of the workers' log, for failure messages."""
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def worker_env(database_url: str, fake: FakeTwilio, **settings: Any) -> dict[str, str]:
    """What a worker reads from its environment: the test's database, Redis, keys and fake."""
    secrets = {k: v for k, v in make_config(database_url).items() if k.endswith("KEY")}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TWILIO_"))}
    env.update(
        ORGANIZE_ENV="development",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        DATABASE_URL=database_url,
        REDIS_URL=str(TEST_REDIS_URL),
        REVIEW_PUBLISH_DELAY="0",
        SEND_LEASE_SECONDS=str(LEASE),
        SEND_BATCH_SIZE=str(BATCH),
        **secrets,
        **fake.config(),
    )
    env.update({name: str(value) for name, value in settings.items()})
    return env


class _Truncated(Exception):
    """The client died while sending its request."""


class _WholeRequestsHandler(_Handler):
    """The fake's handler, but a request cut short by a killed client creates nothing (the
    plain fake parses what arrived and records a message to "")."""

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if len(raw) < length:
            raise _Truncated
        return {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}

    def do_POST(self) -> None:
        try:
            super().do_POST()
        except _Truncated:
            self.close_connection = True


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """The local fake Twilio, taking whole requests only; quiet about killed connections."""
    fake = FakeTwilio().start()
    assert fake.server is not None
    fake.server.RequestHandlerClass = type("Handler", (_WholeRequestsHandler,), {"fake": fake})
    fake.server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    yield fake
    fake.stop()


@pytest.fixture
def services(redis_client: redis.Redis, fake_twilio: FakeTwilio) -> redis.Redis:
    """Real services only; the Redis db is flushed before and after (stray jobs, buckets)."""
    assert ON_SERVICES, "REQUIRE_SERVICES=1: TEST_DATABASE_URL must be PostgreSQL"
    return redis_client


@pytest.fixture
def queued_app(app_factory: Callable[..., Flask], fake_twilio: FakeTwilio) -> Iterator[Flask]:
    """The organizer's side: presses send, which queues the fan-out in the real Redis."""
    app = app_factory(**fake_twilio.config(), RQ_ASYNC=True, SEND_LEASE_SECONDS=LEASE)
    with app.app_context():
        yield app


def _status(alert_id: int) -> str:
    status = db.session.scalar(sa.select(Alert.status).where(Alert.id == alert_id))
    db.session.rollback()  # no transaction left open while the workers write
    return status or "gone"


def test_worker_killed_mid_broadcast_every_subscriber_gets_exactly_one(
    services, queued_app, database_url, fake_twilio, tmp_path
):
    add_subscribers(2000)
    alert = make_alert()
    env = worker_env(database_url, fake_twilio, SEND_RATE=400, TWILIO_TIMEOUT=1)
    workers = Workers(env, tmp_path / "workers.log")
    try:
        first = workers.start()
        assert fanout.send(alert=alert, actor=None)
        wait_for(lambda: len(fake_twilio.messages) >= 300, 40, "300 messages", workers.tail)
        workers.kill(first)
        before = compose.progress(alert_id=alert.id)
        sent_before = len(fake_twilio.messages)
        assert 300 <= sent_before < 2000
        assert before.get("sending"), before  # the dead work-horse left claimed deliveries
        # rq keeps a dead scheduler's lock for 61 s (interval + 60, not configurable): let it
        # lapse now instead of waiting, so the new worker's scheduler starts with it.
        services.delete(RQScheduler.get_locking_key("default"))
        workers.start()
        wait_for(lambda: _status(alert.id) == "sent", 90, "the alert to finish", workers.tail)
    finally:
        workers.kill_all()
    counts = fake_twilio.counts_by_recipient()
    assert set(counts) == {number(i) for i in range(2000)}
    assert {n: c for n, c in counts.items() if c != 1} == {}
    assert compose.progress(alert_id=alert.id) == {"sent": 2000}


def test_provider_errors_and_timeouts_through_a_real_worker(
    services, queued_app, database_url, fake_twilio, tmp_path
):
    fake_twilio.behaviour.failure_rate = 0.2  # 429 or 503
    fake_twilio.behaviour.timeout_rate = 0.05
    fake_twilio.behaviour.stall_seconds = 1.0
    fake_twilio.behaviour.stall_after_create = True  # a timed-out send did go out
    add_subscribers(300)
    alert = make_alert()
    env = worker_env(
        database_url,
        fake_twilio,
        SEND_RATE=0,
        TWILIO_TIMEOUT=0.3,
        SEND_RETRY_SECONDS=0,
        SEND_MAX_ATTEMPTS=50,
    )
    workers = Workers(env, tmp_path / "workers.log")
    try:
        workers.start()
        assert fanout.send(alert=alert, actor=None)
        wait_for(lambda: _status(alert.id) == "sent", 60, "the alert to finish", workers.tail)
    finally:
        workers.kill_all()
    counts = fake_twilio.counts_by_recipient()
    assert len(counts) == 300
    assert {n: c for n, c in counts.items() if c != 1} == {}
    assert {code for _to, _status, code in fake_twilio.refused} == {20429, 20500}
    assert compose.progress(alert_id=alert.id) == {"sent": 300}
