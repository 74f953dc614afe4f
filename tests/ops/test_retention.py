"""Retention: old deliveries become per-alert counts (nobody listed), expired entries of the
expiring store (conversations, replay ids, budgets) go, and a second sweep finds nothing to do."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from organize.extensions import db
from organize.models import Delivery, DeliveryTally, ExpiringEntry
from organize.ops import retention
from tests.alerts.conftest import add_subscribers, make_alert

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=31)
RECENT = NOW - timedelta(days=29)


def _delivery(alert, subscriber, status, when, channel="sms"):
    return Delivery(
        alert_id=alert.id,
        subscriber_id=subscriber.id,
        channel=channel,
        status=status,
        sent_at=when if status != "queued" else None,
        updated_at=when,
    )


def test_old_settled_deliveries_become_counts_and_go(app):
    people = add_subscribers(6)
    old_alert, new_alert = make_alert(), make_alert()
    db.session.add_all(
        [
            _delivery(old_alert, people[0], "delivered", OLD),
            _delivery(old_alert, people[1], "delivered", OLD),
            _delivery(old_alert, people[2], "failed", OLD),
            _delivery(old_alert, people[3], "sending", OLD),  # unsettled: the reconciler's
            _delivery(old_alert, people[4], "queued", OLD),  # waits for quiet hours to end
            _delivery(new_alert, people[5], "delivered", RECENT),
        ]
    )
    db.session.commit()

    done = retention.sweep()
    assert done["deliveries"] == 3
    left = db.session.execute(sa.select(Delivery.alert_id, Delivery.status)).all()
    assert sorted(left) == sorted(
        [(old_alert.id, "sending"), (old_alert.id, "queued"), (new_alert.id, "delivered")]
    )
    assert retention.tallies(alert_id=old_alert.id) == {"delivered": 2, "failed": 1}
    # Nothing in the tally names a subscriber.
    assert "subscriber_id" not in DeliveryTally.__table__.columns

    assert retention.sweep()["deliveries"] == 0  # idempotent
    assert retention.tallies(alert_id=old_alert.id) == {"delivered": 2, "failed": 1}


def test_later_roll_ups_add_to_the_same_counts(app):
    people = add_subscribers(2)
    alert = make_alert()
    db.session.add(_delivery(alert, people[0], "delivered", OLD))
    db.session.commit()
    retention.roll_up_deliveries(older_than=timedelta(days=30))
    db.session.add(_delivery(alert, people[1], "delivered", OLD))
    db.session.commit()
    retention.roll_up_deliveries(older_than=timedelta(days=30))
    assert retention.tallies(alert_id=alert.id) == {"delivered": 2}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryTally)) == 1


def test_the_retention_age_is_a_setting(app_factory):
    app = app_factory(DELIVERY_RETENTION_DAYS=7)
    with app.app_context():
        people = add_subscribers(1)
        alert = make_alert()
        db.session.add(_delivery(alert, people[0], "sent", NOW - timedelta(days=8)))
        db.session.commit()
        assert retention.sweep()["deliveries"] == 1


def test_expired_conversations_and_replay_ids_are_purged(app):
    """The sweep empties the expiring store's table of what is past its TTL, and only that."""
    db.session.add_all(
        [
            ExpiringEntry(
                key="conversation:" + "a" * 64, value="{}", expires_at=NOW - timedelta(minutes=1)
            ),
            ExpiringEntry(
                key="conversation:" + "b" * 64, value="{}", expires_at=NOW + timedelta(hours=1)
            ),
            ExpiringEntry(key="replay:SMold", value="", expires_at=NOW - timedelta(seconds=1)),
            ExpiringEntry(key="replay:SMnew", value="", expires_at=NOW + timedelta(minutes=15)),
        ]
    )
    db.session.commit()
    done = retention.sweep()
    assert done["expiring"] == 2
    assert sorted(db.session.scalars(sa.select(ExpiringEntry.key)).all()) == [
        "conversation:" + "b" * 64,
        "replay:SMnew",
    ]
    assert retention.sweep()["expiring"] == 0


def test_a_channel_can_add_its_own_purge(app):
    calls = []
    retention.register_purge("test-store", lambda now: calls.append(now) or 5)
    try:
        assert retention.sweep()["test-store"] == 5
        assert len(calls) == 1
    finally:
        retention.PURGES.pop("test-store")


def test_the_sweep_is_scheduled(app):
    from organize.extensions import rq

    scheduled = {item["func"].__name__: item for item in rq._cron_job_data}
    assert scheduled["sweep"]["interval"] == retention.RETENTION_INTERVAL_SECONDS
    assert scheduled["heartbeat"]["interval"] == 60


def test_flask_retention_sweep(app, runner):
    result = runner.invoke(args=["retention", "sweep"])
    assert result.exit_code == 0, result.output
    assert "deliveries: 0" in result.output
