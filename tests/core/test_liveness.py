"""Pooled connections: pinged after sitting idle, not on every checkout; a dead one replaced."""

import pytest
import sqlalchemy as sa

from organize.extensions import db
from organize.plumbing import liveness


@pytest.fixture
def pings(app, monkeypatch):
    """Every ping the pool makes, counted."""
    made: list[object] = []
    dialect = db.engine.dialect
    real = dialect.do_ping

    def counted(dbapi_connection):
        made.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return made


def _use() -> None:
    """One request's worth of database work: check out, query, give back."""
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1


def test_a_connection_in_use_is_not_pinged_one_left_idle_is(app, pings, monkeypatch):
    _use()
    before = len(pings)
    for _ in range(5):
        _use()
    assert len(pings) == before  # back in the pool a moment ago: working then
    monkeypatch.setattr(liveness, "FRESH_SECONDS", 0.0)
    _use()
    assert len(pings) == before + 1


def test_an_idle_connection_found_dead_is_replaced(app, pings, monkeypatch):
    with db.engine.connect() as connection:
        dead = connection.connection.dbapi_connection
        assert dead is not None
    dead.close()  # the server went away while it sat in the pool
    monkeypatch.setattr(liveness, "FRESH_SECONDS", 0.0)
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1
        assert connection.connection.dbapi_connection is not dead
    assert dead in pings


def test_the_pool_pings_itself_no_more(app):
    assert not db.engine.pool._pre_ping


def test_a_forked_worker_keeps_the_rule(app, pings, monkeypatch):
    db.engine.dispose(close=False)  # what gunicorn.conf.py's post_fork does: a new pool
    monkeypatch.setattr(liveness, "FRESH_SECONDS", 0.0)
    before = len(pings)
    _use()
    _use()
    assert len(pings) == before + 2
