"""Expiring state, one interface on two backends: Redis keys with TTLs (fakeredis or the real
service) and the `expiring` table (swept, and never read past its expiry)."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from organize.extensions import db
from organize.models import ExpiringEntry
from organize.plumbing import expiring, held


@pytest.fixture(params=["database", "redis"])
def store(request, app, redis_client):
    if request.param == "redis":
        return expiring.RedisStore(redis_client)
    return expiring.DatabaseStore()


def test_claim_put_get_delete(store):
    assert store.claim("sms:sid:SM1", "", 60) is True
    assert store.claim("sms:sid:SM1", "x", 60) is False
    assert store.get("sms:sid:SM1") == ""
    store.put("sms:sid:SM1", "<Response/>", 60)
    assert store.get("sms:sid:SM1") == "<Response/>"
    store.delete("sms:sid:SM1", "never-there")
    assert store.get("sms:sid:SM1") is None
    assert store.claim("sms:sid:SM1", "", 60) is True


def test_entries_are_gone_at_their_ttl(store):
    store.put("a", "1", 1)
    store.claim("b", "", 1)
    assert store.count("c", 1) == 1
    time.sleep(1.1)
    assert (store.get("a"), store.get("b"), store.get("c")) == (None, None, None)
    assert store.claim("b", "", 60) is True  # an expired claim can be taken again
    assert store.count("c", 60) == 1  # a new window


def test_counters_count_within_their_window(store):
    assert [store.count("sms:budget:replies:h", 60) for _ in range(3)] == [1, 2, 3]
    assert store.get("sms:budget:replies:h") == "3"


def test_redis_keys_carry_their_ttl(app, redis_client):
    store = expiring.RedisStore(redis_client)
    store.put("sms:conversation:h", "{}", 7200)
    store.count("sms:budget:replies:h", 600)
    assert 0 < redis_client.ttl(expiring.PREFIX + "sms:conversation:h") <= 7200
    assert 0 < redis_client.ttl(expiring.PREFIX + "sms:budget:replies:h") <= 600


def test_the_scheduled_purge_deletes_rows_nobody_reads_again(app):
    past = datetime.now(UTC) - timedelta(seconds=1)
    db.session.add(ExpiringEntry(key="sms:conversation:old", value="{}", expires_at=past))
    db.session.add(
        ExpiringEntry(key="sms:conversation:live", value="{}", expires_at=past + timedelta(hours=1))
    )
    db.session.commit()
    assert expiring.purge_expired() == 1
    keys = db.session.scalars(sa.select(ExpiringEntry.key)).all()
    assert keys == ["sms:conversation:live"]


def test_without_redis_the_app_sweeps_expired_rows_as_it_serves(app, monkeypatch):
    past = datetime.now(UTC) - timedelta(seconds=1)
    db.session.add(ExpiringEntry(key="voice:call:old", value="{}", expires_at=past))
    db.session.commit()
    monkeypatch.setattr(expiring, "_last_sweep", 0.0)
    if app.config.get("REDIS_URL"):
        pytest.skip("the app uses Redis here; the sweep serves the database backend")
    expiring.store()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExpiringEntry)) == 0


def test_the_app_picks_redis_when_configured(app):
    chosen = expiring.store()
    kind = expiring.RedisStore if app.config.get("REDIS_URL") else expiring.DatabaseStore
    assert isinstance(chosen, kind)


def test_a_process_holds_one_connection_to_redis_a_forked_one_its_own(redis_client, monkeypatch):
    client = held.held_client(redis_client)
    assert held.held_client(redis_client) is client
    assert client.connection is not None  # held: no pool checkout per command
    assert client.connection_pool is redis_client.connection_pool
    store = expiring.RedisStore(client)
    store.put("sms:conversation:h", "{}", 60)
    assert redis_client.get(expiring.PREFIX + "sms:conversation:h") == b"{}"
    monkeypatch.setattr(held.os, "getpid", lambda: -1)  # as in a child after fork
    assert held.held_client(redis_client) is not client
