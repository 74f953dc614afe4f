"""A slow batch keeps its claim, and a claim taken back is never sent twice.

At a long code's rate (1 segment/s) a batch waits for tokens far longer than the reconciler's
lease. The batch renews the lease of what it still holds, batches are sized to about a minute
of the rate, RQ's job limit follows the batch's length, and should the reconciler take a
delivery back anyway (a dead worker, a lease run out), the batch that claimed it first neither
sends it nor writes over the new claim's outcome.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from organize.alerts import claims, fanout
from organize.alerts.claims import Outcome
from organize.extensions import db
from organize.models import Delivery
from tests.alerts.conftest import add_subscribers, make_alert


def test_batches_hold_about_a_minute_of_the_send_rate(app_factory):
    """A long code (1/s) gets batches of 60, not 500; unthrottled or fast senders keep 500; the
    job limit covers the batch's longest possible run, past RQ's 180-second default."""
    for rate, size in ((1.0, 60), (3.0, 180), (100.0, 500), (0.0, 500)):
        app = app_factory(SEND_RATE=rate, SEND_BATCH_SIZE=500)
        with app.app_context():
            assert fanout.batch_size() == size
            if rate:
                assert fanout.batch_timeout(size) >= 180 + size * 10 / rate


def _claimed_delivery(attempts: int = 1) -> Delivery:
    [subscriber] = add_subscribers(1)
    alert = make_alert()
    delivery = Delivery(
        alert_id=alert.id,
        subscriber_id=subscriber.id,
        channel="sms",
        status="sending",
        attempts=attempts,
        segments=1,
        claimed_at=datetime.now(UTC) - timedelta(minutes=5),
        updated_at=datetime.now(UTC),
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def _take_back_and_reclaim(delivery_id: int) -> None:
    """What the reconciler and a second batch do: queued again, then claimed again."""
    db.session.execute(
        sa.update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status="sending", attempts=Delivery.attempts + 1, claimed_at=datetime.now(UTC))
    )
    db.session.commit()


def test_a_batch_still_holding_its_claim_sends(app):
    delivery = _claimed_delivery()
    work, done, claimed = claims.prepare([delivery.id])
    assert done == []
    assert [w.delivery_id for w in work] == [delivery.id]
    assert claims.held(db.session.connection(), work, claims=claimed) == {}


def test_a_delivery_another_batch_claimed_is_neither_sent_nor_overwritten(app):
    delivery = _claimed_delivery()
    work, _done, claimed = claims.prepare([delivery.id])
    _take_back_and_reclaim(delivery.id)
    held = claims.held(db.session.connection(), work, claims=claimed)
    assert held == {delivery.id: Outcome(delivery.id, "superseded")}
    # The old batch's late outcome for it changes nothing: the new claim decides.
    recorded = claims.record(
        db.session.connection(), [Outcome(delivery.id, "sent", sid="SMold")], claimed, 3
    )
    db.session.commit()
    assert recorded[0][0] == "sent"
    row = db.session.get(Delivery, delivery.id)
    db.session.refresh(row)
    assert (row.status, row.provider_sid, row.attempts) == ("sending", None, 2)


def test_a_batch_that_waits_renews_its_lease(app):
    delivery = _claimed_delivery()
    before = db.session.get(Delivery, delivery.id).claimed_at
    claims.renew(db.session.connection(), [delivery.id])
    db.session.commit()
    row = db.session.get(Delivery, delivery.id)
    db.session.refresh(row)
    assert row.claimed_at > before
    assert row.claimed_at >= datetime.now(UTC) - timedelta(seconds=5)


def test_the_sender_renews_what_it_still_holds_as_it_goes(sender, fake_twilio, monkeypatch):
    """With a lease this short every chunk renews: the reconciler never sees a live batch as
    dead, and every message still goes exactly once."""
    sender.config["SEND_LEASE_SECONDS"] = 0
    renewed: list[list[int]] = []
    real = claims.renew
    monkeypatch.setattr(claims, "renew", lambda conn, ids: (renewed.append(ids), real(conn, ids)))
    add_subscribers(6)
    alert = make_alert()
    assert fanout.send(alert=alert, actor=None)
    assert renewed
    assert all(renewed)
    assert len(fake_twilio.messages) == 6
    assert len({m["to"] for m in fake_twilio.messages}) == 6
