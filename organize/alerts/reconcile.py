"""The reconciler: what dead workers and lost jobs leave behind, settled without anyone acting.

`reconcile()` runs every lease period (`SEND_LEASE_SECONDS`) while any alert is sending or
scheduled, re-scheduling itself through RQ's scheduler: a delivery stuck in `sending` past the
lease is checked against the provider's message list (found → sent with that SID; not found →
queued again), queued deliveries whose batch job was lost are enqueued again, and a fan-out or a
scheduled start that never ran is started again. So a broadcast whose workers all died finishes
within about two leases of a worker coming back.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from organize import privacy
from organize.alerts.bodies import Bodies
from organize.alerts.fanout import broadcast, enqueue_queued, finish_if_done
from organize.alerts.watch import schedule_reconciler
from organize.extensions import db, rq
from organize.models import Alert, Delivery, Subscriber
from organize.outbound import messaging


def _provider_has(delivery: Delivery, subscriber: Subscriber, body: str) -> str | None:
    """The SID of a message this delivery already produced at the provider, if any."""
    if not body or delivery.claimed_at is None:
        return None
    e164 = privacy.decrypt(subscriber.phone_cipher)
    since = delivery.claimed_at - timedelta(seconds=5)
    for found in messaging.sent_since(to=e164, since=since):
        if found.body == body:
            return found.sid
    return None


@rq.job
def reconcile() -> dict[str, int]:
    """Settle deliveries left by dead workers and lost jobs; re-schedules itself while needed."""
    now = datetime.now(UTC)
    lease = timedelta(seconds=int(current_app.config["SEND_LEASE_SECONDS"]))
    settled = {"found": 0, "resent": 0, "requeued": 0}
    stuck = db.session.execute(
        sa.select(Delivery, Subscriber, Alert)
        .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
        .join(Alert, Alert.id == Delivery.alert_id)
        .where(Delivery.status == "sending", Delivery.claimed_at < now - lease)
    ).all()
    bodies: dict[int, Bodies] = {}  # the text each stuck delivery would have sent
    for delivery, subscriber, alert in stuck:
        if delivery.channel != "sms":
            # No safe way to tell whether a call started: never ring someone twice.
            delivery.status, delivery.updated_at = "failed", now
            continue
        if alert.id not in bodies:
            bodies[alert.id] = Bodies(alert)
        sid = _provider_has(delivery, subscriber, bodies[alert.id](subscriber.locale)[0])
        if sid is not None:
            delivery.status, delivery.provider_sid, delivery.sent_at = "sent", sid, now
            settled["found"] += 1
        else:
            delivery.status = "queued"
            settled["resent"] += 1
        delivery.updated_at = now
    db.session.commit()
    overdue = db.session.scalars(
        sa.select(Alert.id).where(Alert.status == "scheduled", Alert.send_at < now - lease)
    ).all()
    for alert_id in overdue:  # its scheduled broadcast job was lost
        _restart_fanout(alert_id)
    idle = _queue_is_empty()
    sending = list(db.session.scalars(sa.select(Alert.id).where(Alert.status == "sending")))
    for alert_id in sending:
        # Due deliveries still queued a lease after their last change, while no batch job is
        # waiting anywhere, had their job lost (a worker died holding it): enqueue them again.
        stale = idle and db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Delivery)
            .where(
                Delivery.alert_id == alert_id,
                Delivery.status == "queued",
                Delivery.updated_at < now - lease,
                sa.or_(Delivery.not_before.is_(None), Delivery.not_before <= now),
            )
        )
        if stale or settled["resent"]:
            settled["requeued"] += enqueue_queued(alert_id=alert_id, due_only=True)
        current = db.session.get(Alert, alert_id)
        started = current.sent_at if current is not None else None
        if (
            current is not None
            and current.fanned_out_at is None
            and started
            and started < now - lease
        ):
            _restart_fanout(alert_id)  # the broadcast job itself was lost
        finish_if_done(alert_id=alert_id)
    waiting = sa.select(Alert.id).where(Alert.status.in_(("sending", "scheduled"))).limit(1)
    if db.session.scalar(waiting):
        _reschedule()
    return settled


def _restart_fanout(alert_id: int) -> None:
    if current_app.config.get("REDIS_URL"):
        broadcast.enqueue(alert_id)
    else:
        broadcast(alert_id)


def _queue_is_empty() -> bool:
    if not current_app.config.get("REDIS_URL"):
        return True
    return bool(rq.queue.count == 0)


def _reschedule() -> None:
    if current_app.config.get("REDIS_URL"):
        schedule_reconciler()
