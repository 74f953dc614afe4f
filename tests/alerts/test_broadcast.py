"""The fan-out: exactly once, idempotent, honouring STOP, cancel, quiet hours and errors."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from organize import privacy, subscribers
from organize.alerts import compose, fanout, reconcile
from organize.extensions import db
from organize.models import Alert, Delivery, Subscriber
from organize.outbound import messaging
from organize.outbound.jobs import QueueUnavailable
from tests.alerts.conftest import (
    add_subscribers,
    after_sending_to,
    cancel,
    make_alert,
    number,
    send,
    zone_where_it_is,
)


def deliveries(alert_id: int) -> dict[str, int]:
    return compose.progress(alert_id=alert_id)


def stop_from(i: int):
    """The i-th test subscriber texting STOP."""
    return lambda: subscribers.opt_out(phone_hash=privacy.phone(number(i)).hash)


def test_every_subscriber_gets_exactly_one_message_in_their_language(sender, fake_twilio):
    add_subscribers(30, locale="en")
    add_subscribers(20, start=100, locale="es")
    add_subscribers(5, start=200, locale="zh")  # no Chinese text: falls back to English
    alert = make_alert()
    send(alert)
    counts = fake_twilio.counts_by_recipient()
    assert len(counts) == 55
    assert set(counts.values()) == {1}
    assert fake_twilio.sent_to(number(100))[0]["body"].startswith("Huelga el viernes")
    assert fake_twilio.sent_to(number(200))[0]["body"].startswith("Strike Friday")
    assert fake_twilio.sent_to(number(0))[0]["status_callback"].endswith("/sms/status")
    db.session.refresh(alert)
    assert alert.status == "sent"
    assert deliveries(alert.id) == {"sent": 55}


def test_running_broadcast_again_adds_nothing(sender, fake_twilio):
    add_subscribers(10)
    alert = make_alert()
    send(alert)
    assert fanout.broadcast(alert.id) == 0  # the alert is finished: nothing to do
    alert.status = "sending"
    db.session.commit()
    fanout.broadcast(alert.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 10
    assert sum(fake_twilio.counts_by_recipient().values()) == 10


def test_a_fan_out_that_died_before_enqueueing_is_finished_by_running_it_again(
    sender, fake_twilio, monkeypatch
):
    add_subscribers(30)
    alert = make_alert()
    real = fanout._enqueue_batches

    def die(*args, **kwargs):
        raise RuntimeError("worker killed between the insert and the enqueue")

    monkeypatch.setattr(fanout, "_enqueue_batches", die)
    alert.status = "sending"  # pressed send; its fan-out job runs here, where its death shows
    db.session.commit()
    with pytest.raises(RuntimeError):
        fanout.broadcast(alert.id)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 30
    assert fake_twilio.counts_by_recipient() == {}

    monkeypatch.setattr(fanout, "_enqueue_batches", real)
    assert fanout.broadcast(alert.id) == 0  # nothing new inserted...
    # ...but what the first run left queued is sent, once each.
    assert fake_twilio.counts_by_recipient() == {number(i): 1 for i in range(30)}
    assert compose.progress(alert_id=alert.id) == {"sent": 30}


def test_pressing_send_twice_broadcasts_once(sender, fake_twilio):
    add_subscribers(5)
    alert = make_alert()
    assert fanout.send(alert=alert, actor=None)
    assert not fanout.send(alert=alert, actor=None)
    assert sum(fake_twilio.counts_by_recipient().values()) == 5


def test_opted_out_suppressed_and_pending_are_never_sent(sender, fake_twilio):
    add_subscribers(3)
    add_subscribers(2, start=10, status="opted_out")
    add_subscribers(2, start=20, status="suppressed")
    add_subscribers(2, start=30, status="pending")
    send(make_alert())
    assert sorted(fake_twilio.counts_by_recipient()) == [number(0), number(1), number(2)]


def test_audience_filters(sender, fake_twilio):
    add_subscribers(3, locale="es", region="TX", tags=["warehouse"])
    add_subscribers(3, start=10, locale="es", region="CA")
    add_subscribers(3, start=20, locale="en", region="TX", tags=["warehouse", "night"])
    send(make_alert(audience={"languages": ["es"], "regions": ["TX"]}))
    assert sorted(fake_twilio.counts_by_recipient()) == [number(i) for i in range(3)]
    fake_twilio.messages.clear()
    send(make_alert(audience={"tags": ["night"]}))
    assert sorted(fake_twilio.counts_by_recipient()) == [number(i) for i in range(20, 23)]


def test_stop_mid_broadcast_stops_that_subscriber(sender, fake_twilio, monkeypatch):
    sender.config.update(SEND_CONCURRENCY=1)
    add_subscribers(3)
    after_sending_to(monkeypatch, number(0), stop_from(1))  # the second texts STOP meanwhile
    alert = make_alert()
    send(alert)
    assert sorted(fake_twilio.counts_by_recipient()) == [number(0), number(2)]
    assert deliveries(alert.id) == {"sent": 2, "skipped": 1}


def test_with_threads_a_stop_reaches_every_message_not_yet_on_its_way(
    sender, fake_twilio, monkeypatch
):
    sender.config.update(SEND_CONCURRENCY=2)  # opt-outs re-checked every 8 messages
    add_subscribers(40)
    after_sending_to(monkeypatch, number(0), stop_from(30))
    alert = make_alert()
    send(alert)
    counts = fake_twilio.counts_by_recipient()
    assert number(30) not in counts
    assert len(counts) == 39
    assert set(counts.values()) == {1}
    assert deliveries(alert.id) == {"sent": 39, "skipped": 1}


def test_with_threads_a_cancel_stops_the_rest_of_the_batch(sender, fake_twilio, monkeypatch):
    sender.config.update(SEND_CONCURRENCY=2)
    add_subscribers(40)
    alert = make_alert()
    after_sending_to(monkeypatch, number(0), cancel(alert.id))
    send(alert)
    progress = deliveries(alert.id)
    # At most two chunks of eight were checked before the cancel landed; none after.
    assert 1 <= progress["sent"] <= 16
    assert progress["sent"] + progress["cancelled"] == 40
    assert sum(fake_twilio.counts_by_recipient().values()) == progress["sent"]


def test_cancel_mid_broadcast_skips_unclaimed_deliveries(sender, fake_twilio, monkeypatch):
    sender.config.update(SEND_BATCH_SIZE=1, SEND_CONCURRENCY=1)
    add_subscribers(5)
    alert = make_alert()
    after_sending_to(monkeypatch, number(1), cancel(alert.id))
    send(alert)
    assert sorted(fake_twilio.counts_by_recipient()) == [number(0), number(1)]
    db.session.expire_all()
    assert deliveries(alert.id) == {"sent": 2, "cancelled": 3}
    assert db.session.get(Alert, alert.id).status == "cancelled"


def test_quiet_hours_defer_non_urgent_alerts_and_urgent_ones_go(sender, fake_twilio):
    night = zone_where_it_is(3)
    add_subscribers(2, time_zone=night)
    add_subscribers(2, start=10, time_zone=zone_where_it_is(12))
    calm = make_alert(urgent=False)
    send(calm)
    assert sorted(fake_twilio.counts_by_recipient()) == [number(10), number(11)]
    deferred = db.session.scalars(
        sa.select(Delivery).where(Delivery.alert_id == calm.id, Delivery.status == "queued")
    ).all()
    assert len(deferred) == 2
    for delivery in deferred:
        local = delivery.not_before.astimezone(ZoneInfo(night))
        assert (local.hour, local.minute) == (8, 0)
        assert delivery.not_before > datetime.now(UTC)
    send(make_alert(urgent=True))
    assert fake_twilio.counts_by_recipient()[number(0)] == 1


def test_provider_errors_and_timeouts_still_reach_everyone_once(sender, fake_twilio):
    fake_twilio.behaviour.failure_rate = 0.2
    fake_twilio.behaviour.timeout_rate = 0.05
    fake_twilio.behaviour.stall_seconds = 0.5
    fake_twilio.behaviour.stall_after_create = True  # some timed-out sends did go out
    sender.config.update(TWILIO_TIMEOUT=0.2, SEND_LEASE_SECONDS=0, SEND_MAX_ATTEMPTS=50)
    add_subscribers(60)
    alert = make_alert()
    send(alert)
    for _ in range(10):  # what the scheduled reconciler does every lease
        if db.session.get(Alert, alert.id).status == "sent":
            break
        reconcile.reconcile()
        db.session.expire_all()
    counts = fake_twilio.counts_by_recipient()
    assert len(counts) == 60
    assert set(counts.values()) == {1}
    assert fake_twilio.refused  # the fake did refuse some
    assert deliveries(alert.id) == {"sent": 60}


def test_carrier_opt_out_and_invalid_numbers(sender, fake_twilio):
    add_subscribers(3)
    fake_twilio.behaviour.opted_out.add(number(0))
    fake_twilio.behaviour.invalid.add(number(1))
    alert = make_alert()
    send(alert)
    by_phone = {s.id: s for s in db.session.scalars(sa.select(Subscriber))}
    rows = db.session.scalars(sa.select(Delivery).order_by(Delivery.subscriber_id)).all()
    assert [(d.status, d.error_code) for d in rows] == [
        ("failed", 21610),
        ("failed", 21211),
        ("sent", None),
    ]
    assert [by_phone[d.subscriber_id].status for d in rows] == ["opted_out", "suppressed", "active"]
    assert len(fake_twilio.refused) == 2  # no retry of permanent errors


def test_reconciler_settles_deliveries_left_by_a_dead_worker(sender, fake_twilio):
    sender.config.update(SEND_LEASE_SECONDS=60)
    add_subscribers(2)
    alert = make_alert()
    assert compose.claim_for_sending(alert=alert, actor=None)
    alert.fanned_out_at = datetime.now(UTC)
    db.session.commit()
    claimed = datetime.now(UTC) - timedelta(minutes=5)
    for subscriber in db.session.scalars(sa.select(Subscriber)):
        db.session.add(
            Delivery(
                alert_id=alert.id,
                subscriber_id=subscriber.id,
                status="sending",
                claimed_at=claimed,
                attempts=1,
            )
        )
    db.session.commit()
    # the dead worker had sent the first one before it died
    messaging.send_sms(to=number(0), body="Strike Friday\nMeet at the gate at 7am.")
    fake_twilio.messages[0]["date_sent"] = claimed + timedelta(seconds=1)
    result = reconcile.reconcile()
    assert result["found"] == 1
    assert result["resent"] == 1
    assert fake_twilio.counts_by_recipient() == {number(0): 1, number(1): 1}
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).status == "sent"


def test_redis_down_when_pressing_send_keeps_the_alert_a_draft(app_factory):
    app = app_factory(REDIS_URL="redis://127.0.0.1:1/0", RQ_ASYNC=True)
    with app.app_context():
        add_subscribers(2)
        alert = make_alert()
        with pytest.raises(QueueUnavailable):
            fanout.send(alert=alert, actor=None)
        db.session.expire_all()
        assert db.session.get(Alert, alert.id).status == "draft"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0


def test_empty_audience_finishes_at_once(sender, fake_twilio):
    alert = make_alert(audience={"regions": ["ZZ"]})
    send(alert)
    db.session.refresh(alert)
    assert alert.status == "sent"
    assert fake_twilio.messages == []


def test_scheduled_alert_waits_for_its_time(sender, fake_twilio):
    add_subscribers(2)
    alert = make_alert(send_at=datetime.now(UTC) + timedelta(hours=2))
    send(alert)
    db.session.refresh(alert)
    assert alert.status == "scheduled"
    assert fake_twilio.messages == []


def test_no_subscriber_number_in_the_database_logs_or_redis_after_a_broadcast(
    sender, fake_twilio, redis_client, caplog
):
    import logging

    from tests.factories import appears, dump_database

    caplog.set_level(logging.DEBUG)
    add_subscribers(5)
    send(make_alert(rsvp=True))
    from organize.outbound import texts

    texts.queue_text(e164=number(3), body="copy of a topic")  # a queued one-off text too
    assert len(fake_twilio.counts_by_recipient()) == 5
    dump = dump_database()
    redis_dump = "\n".join(
        repr(k) + repr(redis_client.dump(k)) for k in redis_client.scan_iter("*")
    )
    for i in range(5):
        national = number(i)[2:]
        for form in (number(i), national, national[-7:], f"{national[3:6]}-{national[6:]}"):
            assert not appears(form, dump)
            assert not appears(form, caplog.text)
            assert not appears(form, redis_dump)
