"""The whole service as a volunteer runs it: `python -m organize.ops.serve` (what `make serve`
runs: gunicorn, the RQ worker and the cron under honcho, in production mode) against real
PostgreSQL and Redis, the fake Twilio on loopback.

Signed texts are answered, /readyz turns healthy, an alert goes to 300 subscribers, SIGTERM
lands mid-broadcast (the running batch finishes: no delivery is left half-sent), the service
starts again and the fake holds exactly one message per subscriber.

Skipped without the services; with REQUIRE_SERVICES=1 (CI) a missing service fails instead.
"""

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
import redis
import requests
import sqlalchemy as sa
from flask import Flask
from twilio.request_validator import RequestValidator

from organize.alerts import compose, fanout
from organize.cli import seed_rights
from organize.extensions import db
from organize.models import Alert, Delivery
from tests.alerts.conftest import add_subscribers, make_alert, number
from tests.conftest import REQUIRE_SERVICES, TEST_DATABASE_URL, TEST_REDIS_URL, make_config
from tests.faketwilio import FakeTwilio
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
SUBSCRIBERS = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def service_database() -> Iterator[str]:
    """A database of its own beside the test one: `make serve` migrates it from empty."""
    assert ON_SERVICES, "REQUIRE_SERVICES=1: TEST_DATABASE_URL must be PostgreSQL"
    base = sa.make_url(str(TEST_DATABASE_URL))
    name = f"{base.database}_serve"
    server = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


class Service:
    """`python -m organize.ops.serve` in a session of its own; its log for failure messages."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = env["PUBLIC_URL"]

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "organize.ops.serve"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ready(self) -> bool:
        try:
            return requests.get(f"{self.url}/readyz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM to the runner only (as Ctrl-C or systemd's KillMode=mixed would): it passes
        SIGTERM on and waits for its processes to stop."""
        assert self.proc is not None
        family = [self.proc.pid]
        os.kill(self.proc.pid, signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        wait_for(lambda: not any(alive(pid) for pid in family), 10, "the service to stop")
        return code

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            signal_family(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@pytest.fixture
def service(
    service_database: str, redis_client: redis.Redis, fake_twilio: FakeTwilio, tmp_path: Path
) -> Iterator[Service]:
    port = _free_port()
    secrets = {k: v for k, v in make_config(service_database).items() if k.endswith("KEY")}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TWILIO_"))}
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
        DATABASE_URL=service_database,
        REDIS_URL=str(TEST_REDIS_URL),
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        BIND=f"127.0.0.1:{port}",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
        SEND_RATE="100",  # 300 messages take about three seconds: time to stop in the middle
        SEND_BATCH_SIZE="25",
        SEND_LEASE_SECONDS="5",
        STOP_TIMEOUT="60",
        SECRET_KEY="a-long-enough-secret-key-for-the-session-cookies",
        **{k: v for k, v in secrets.items() if k != "SECRET_KEY"},
        **fake_twilio.config(),
    )
    running = Service(env, tmp_path / "service.log")
    yield running
    running.kill()


@pytest.fixture
def organizer(
    app_factory: Callable[..., Flask], service_database: str, fake_twilio: FakeTwilio
) -> Iterator[Flask]:
    """The organizer's side, on the service's database: adds subscribers, presses send."""
    app = app_factory(
        SQLALCHEMY_DATABASE_URI=service_database, RQ_ASYNC=True, **fake_twilio.config()
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()  # before the database is dropped


def _text(service: Service, body: str, sid: str) -> str:
    url = f"{service.url}/sms/inbound"
    params = {"From": "+17135559876", "To": "+15005550006", "Body": body, "MessageSid": sid}
    token = service.env["TWILIO_AUTH_TOKEN"]
    signature = RequestValidator(token).compute_signature(url, params)
    answer = requests.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=15)
    assert answer.status_code == 200, answer.text
    message = ElementTree.fromstring(answer.content).find("./Message")
    assert message is not None, answer.text
    return message.text or ""


def _count(status: str) -> int:
    found = db.session.scalar(
        sa.select(sa.func.count()).select_from(Delivery).where(Delivery.status == status)
    )
    db.session.rollback()  # no transaction left open while the service writes
    return int(found or 0)


def _alert_status(alert_id: int) -> str:
    status = db.session.scalar(sa.select(Alert.status).where(Alert.id == alert_id))
    db.session.rollback()
    return status or "gone"


def test_make_serve_runs_the_service_and_a_sigterm_loses_nothing(service, organizer, fake_twilio):
    service.start()
    wait_for(service.ready, 90, "/readyz to answer 200", service.tail, every=0.5)
    health = requests.get(f"{service.url}/readyz", timeout=5).json()
    assert health["checks"]["worker"]["workers"] == 1
    assert health["checks"]["scheduler"]["ok"] is True

    seed_rights()  # the service migrated the empty database; now it has something to say
    db.session.commit()
    english = _text(service, "RIGHTS", "SM" + "1" * 32)
    spanish = _text(service, "DERECHOS", "SM" + "2" * 32)
    assert "Minimum wage" in english
    assert "Salario mínimo" in spanish or "Salario minimo" in spanish
    metrics = requests.get(f"{service.url}/metrics", timeout=5).text  # from the loopback
    assert 'organize_sms_texts_total{intent="rights"} 2.0' in metrics  # both web workers' sums

    add_subscribers(SUBSCRIBERS)
    alert = make_alert()
    assert fanout.send(alert=alert, actor=None)
    wait_for(lambda: len(fake_twilio.messages) >= 60, 60, "60 messages", service.tail)
    assert service.terminate() in {0, 143}, service.tail()
    sent_before = len(fake_twilio.messages)
    assert 60 <= sent_before < SUBSCRIBERS, "the stop did not land mid-broadcast"
    assert _count("sending") == 0, "a batch was cut short: claimed deliveries left behind"
    assert _count("sent") == sent_before  # every message that went out is recorded

    service.start()
    wait_for(lambda: _alert_status(alert.id) == "sent", 90, "the alert to finish", service.tail)
    wait_for(service.ready, 30, "/readyz after the restart", service.tail, every=0.5)
    metrics = requests.get(f"{service.url}/metrics", timeout=5).text
    assert 'organize_deliveries{status="sent"} 300.0' in metrics
    assert 'organize_throttle_wait_seconds_count{bucket="sms"}' in metrics  # the work-horses'
    service.terminate()

    counts = fake_twilio.counts_by_recipient()
    texted_back = counts.pop("+17135559876", 0)
    assert texted_back == 0  # the RIGHTS replies were TwiML, not REST messages
    assert set(counts) == {number(i) for i in range(SUBSCRIBERS)}
    assert {n: c for n, c in counts.items() if c != 1} == {}
    assert compose.progress(alert_id=alert.id) == {"sent": SUBSCRIBERS}
