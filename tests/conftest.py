"""Fixtures: app/client/runner on SQLite + fakeredis by default, or on the real services.

`TEST_DATABASE_URL` / `TEST_REDIS_URL` select PostgreSQL and Redis; with `REQUIRE_SERVICES=1`
(CI) an unreachable service fails the run instead of skipping anything.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fakeredis
import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from organize import create_app
from organize.extensions import db, rq
from organize.models import Base

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
FERNET_TEST_KEY = "mJ9vnHkPo7yTQk0f3Zm2rVjkYx8o1dV5Yh0cQ6cX5xY="


def pytest_report_header() -> list[str]:
    return [
        f"database: {'TEST_DATABASE_URL' if TEST_DATABASE_URL else 'SQLite (temporary file)'}",
        f"redis: {'TEST_REDIS_URL' if TEST_REDIS_URL else 'fakeredis'}",
    ]


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_SERVICES and not (TEST_DATABASE_URL and TEST_REDIS_URL):
        pytest.exit("REQUIRE_SERVICES=1 needs TEST_DATABASE_URL and TEST_REDIS_URL", returncode=3)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One schema per session; tests empty the tables after themselves."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # fails loudly when the service is down: no skipping
        Base.metadata.drop_all(conn)
        Base.metadata.create_all(conn)
    engine.dispose()
    return url


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    """Real Redis (db from TEST_REDIS_URL, flushed) or an isolated fakeredis server."""
    client: redis.Redis
    if TEST_REDIS_URL:
        client = redis.Redis.from_url(TEST_REDIS_URL)
        client.ping()
        client.flushdb()
    else:
        client = fakeredis.FakeRedis()
    yield client
    client.flushdb()


def use_redis(client: redis.Redis) -> None:
    """Point the current app's RQ queues at `client` when it is fakeredis (a real
    TEST_REDIS_URL is already the app's REDIS_URL)."""
    if not TEST_REDIS_URL:
        for queue in rq.queues.values():
            queue.connection = client


def make_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """The configuration tests run with; overrides win."""
    config: dict[str, Any] = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "PHONE_HASH_KEY": "test-phone-hash-key",
        "ENCRYPTION_KEY": FERNET_TEST_KEY,
        "WTF_CSRF_ENABLED": False,
        "REVIEW_PUBLISH_DELAY": "0",
        "RATELIMIT_ENABLED": False,
        "REDIS_URL": TEST_REDIS_URL,
        # Recordings a developer built into instance/audio must not change what tests hear.
        "AUDIO_DIR": str(Path(tempfile.gettempdir()) / "organize-tests-no-audio"),
    }
    if TEST_REDIS_URL:
        config["RATELIMIT_STORAGE_URI"] = TEST_REDIS_URL
    config.update(overrides)
    return config


def _empty_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def app_factory(database_url: str) -> Iterator[Any]:
    """Build apps with extra config (several per test if needed); tables emptied afterwards."""
    made: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        if TEST_REDIS_URL and not made:  # a clean Redis, as the tables are (see below)
            redis.Redis.from_url(TEST_REDIS_URL).flushdb()
        app = create_app(make_config(database_url, **overrides))
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            if app.config["SQLALCHEMY_DATABASE_URI"] == database_url:  # not a deliberately dead one
                _empty_tables()
            db.engine.dispose()
    if TEST_REDIS_URL and any(app.config.get("REDIS_URL") == TEST_REDIS_URL for app in made):
        # Expiring state (conversations, replay ids, budgets) lives in Redis: like the tables,
        # it must not leak into the next test.
        redis.Redis.from_url(TEST_REDIS_URL).flushdb()


@pytest.fixture
def app(app_factory: Any) -> Iterator[Flask]:
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture
def fake_twilio() -> Iterator[Any]:
    """A local fake Twilio REST API on a loopback port (see tests/faketwilio.py)."""
    from tests.faketwilio import FakeTwilio

    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def twilio_app(app_factory: Any, fake_twilio: Any) -> Iterator[Flask]:
    """An app whose twilio client talks to the fake."""
    app = app_factory(**fake_twilio.config(), TWILIO_TIMEOUT=2.0)
    with app.app_context():
        yield app
