"""/healthz and /readyz: JSON an uptime monitor can read, with nothing personal or secret."""

import json

from organize.extensions import rq
from organize.ops import health
from tests.ops.conftest import worker_alive


def test_healthz_says_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_503_until_a_worker_and_the_scheduler_have_shown_up(redis_app):
    client = redis_app.test_client()
    first = client.get("/readyz")
    assert first.status_code == 503
    checks = first.json["checks"]
    assert checks["database"] == {"ok": True}
    assert checks["redis"]["ok"] is True
    assert checks["redis"]["queued"] == {"default": 0}
    assert checks["worker"]["ok"] is False
    assert checks["scheduler"] == {"ok": False, "seconds_since_run": None}

    worker = worker_alive(rq.queue.connection)
    health.heartbeat()  # what the cron's job does every minute
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json
    assert ready.json["status"] == "ok"
    assert ready.json["checks"]["worker"]["workers"] == 1
    assert ready.json["checks"]["scheduler"]["seconds_since_run"] <= 1
    worker.register_death()


def test_readyz_names_the_kind_of_failure_never_its_message(app_factory):
    password_url = "postgresql+psycopg://organize:s3cret-pw@127.0.0.1:1/organize"
    app = app_factory(SQLALCHEMY_DATABASE_URI=password_url, REDIS_URL="redis://:pw2@127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = json.dumps(response.json)
    assert response.json["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert response.json["checks"]["redis"]["ok"] is False
    for secret in ("s3cret-pw", "pw2", "127.0.0.1", "Traceback", "organize:"):
        assert secret not in body
