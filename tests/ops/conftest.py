"""An app with Redis (the real one when TEST_REDIS_URL is set, else fakeredis) for the ops tests."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from flask import Flask

from tests.conftest import TEST_REDIS_URL, use_redis


@pytest.fixture
def redis_app(app_factory: Callable[..., Flask], redis_client: redis.Redis) -> Iterator[Flask]:
    """REDIS_URL set; with fakeredis, RQ's connection is swapped for the fake server's."""
    app = app_factory(REDIS_URL=TEST_REDIS_URL or "redis://fake")
    with app.app_context():
        use_redis(redis_client)
        yield app


def worker_alive(connection: Any) -> Any:
    """An RQ worker registered with a fresh heartbeat, as `flask rq worker` leaves one."""
    from rq import Worker

    worker = Worker(["default"], connection=connection)
    worker.register_birth()
    worker.heartbeat()
    return worker
