"""Sending claimed deliveries: bounded concurrency inside a batch, one shared throttle.

The provider calls run in a small thread pool (each thread in its own app context); every
database write happens back in the job's thread. Each message re-checks its subscriber just
before it goes, so a STOP that lands mid-broadcast stops that subscriber's next message.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, current_app

from organize import messaging, privacy, throttle
from organize.alerts import sms_text
from organize.extensions import db
from organize.models import Alert, Delivery, Subscriber

log = logging.getLogger(__name__)
COMMIT_EVERY = 25


@dataclass(frozen=True)
class Work:
    """What one thread needs: plain values only."""

    delivery_id: int
    subscriber_id: int
    channel: str
    phone_cipher: str
    body: str
    segments: int
    call_url: str | None


@dataclass(frozen=True)
class Outcome:
    """How one delivery went."""

    delivery_id: int
    kind: str  # sent | failed | retry | unsure | skipped | cancelled
    sid: str | None = None
    code: int | None = None


def _status_callback(path: str) -> str | None:
    base = current_app.config.get("PUBLIC_URL")
    return f"{str(base).rstrip('/')}{path}" if base else None


def _prepare(ids: list[int]) -> tuple[list[Work], list[Outcome]]:
    from organize.broadcast import rsvp_line

    rows = db.session.execute(
        sa.select(Delivery, Subscriber, Alert)
        .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
        .join(Alert, Alert.id == Delivery.alert_id)
        .where(Delivery.id.in_(ids))
        .order_by(Delivery.id)
    ).all()
    work, done = [], []
    for delivery, subscriber, alert in rows:
        translation = alert.text_for(subscriber.locale)
        if alert.status == "cancelled":
            done.append(Outcome(delivery.id, "cancelled"))
        elif subscriber.status != "active" or translation is None:
            done.append(Outcome(delivery.id, "skipped"))
        else:
            body = sms_text(translation, rsvp=alert.rsvp, rsvp_line=rsvp_line(subscriber.locale))
            # Without PUBLIC_URL (development) the outbox keeps the path for the simulator.
            call_url = (
                _status_callback(f"/voice/alert/{delivery.id}") or f"/voice/alert/{delivery.id}"
            )
            work.append(
                Work(
                    delivery.id,
                    subscriber.id,
                    delivery.channel,
                    subscriber.phone_cipher,
                    body,
                    delivery.segments,
                    call_url,
                )
            )
    return work, done


def _still_subscribed(subscriber_id: int) -> bool:
    status = db.session.scalar(sa.select(Subscriber.status).where(Subscriber.id == subscriber_id))
    return status == "active"


def _send_one(app: Flask, item: Work) -> Outcome:
    with app.app_context():
        if not _still_subscribed(item.subscriber_id):
            return Outcome(item.delivery_id, "skipped")
        config = app.config
        to = privacy.decrypt(item.phone_cipher)
        try:
            if item.channel == "voice":
                if not item.call_url:
                    return Outcome(item.delivery_id, "failed")
                throttle.acquire("calls", float(config["CALL_RATE"]))
                sent = messaging.place_call(
                    to=to,
                    url=item.call_url,
                    status_callback=_status_callback("/voice/alert-status"),
                )
            else:
                throttle.acquire("sms", float(config["SEND_RATE"]), item.segments)
                sent = messaging.send_sms(
                    to=to, body=item.body, status_callback=_status_callback("/sms/status")
                )
        except messaging.UnsureSendError:
            return Outcome(item.delivery_id, "unsure")
        except messaging.TransientSendError as exc:
            return Outcome(item.delivery_id, "retry", code=exc.code)
        except messaging.PermanentSendError as exc:
            return Outcome(item.delivery_id, "failed", code=exc.code)
        db.session.commit()  # the outbox backend (development) writes a row
        return Outcome(item.delivery_id, "sent", sid=sent.sid)


def _record(outcome: Outcome, max_attempts: int) -> str:
    delivery = db.session.get(Delivery, outcome.delivery_id)
    if delivery is None:
        return outcome.kind
    now = datetime.now(UTC)
    delivery.updated_at = now
    kind = outcome.kind
    if kind == "sent":
        delivery.status, delivery.provider_sid, delivery.sent_at = "sent", outcome.sid, now
    elif kind == "unsure":
        pass  # stays `sending`: the reconciler asks the provider once the lease is over
    elif kind == "retry" and delivery.attempts < max_attempts:
        delivery.status, delivery.error_code = "queued", outcome.code
    elif kind in {"retry", "failed"}:
        kind = "failed"
        delivery.status, delivery.error_code = "failed", outcome.code
        _suppress(delivery.subscriber_id, outcome.code)
    else:
        delivery.status = kind
    return kind


def _suppress(subscriber_id: int, code: int | None) -> None:
    if code not in messaging.SUPPRESS:
        return
    subscriber = db.session.get(Subscriber, subscriber_id)
    if subscriber is None or subscriber.status != "active":
        return
    subscriber.suppressed_code = code
    if code == messaging.OPTED_OUT:  # they texted STOP to the carrier: honour it everywhere
        subscriber.status, subscriber.opted_out_at = "opted_out", datetime.now(UTC)
    else:
        subscriber.status = "suppressed"


def send_claimed(ids: list[int]) -> dict[str, list[Outcome]]:
    """Send the claimed deliveries; returns outcomes by kind ("_retry" lists the ones to retry)."""
    work, done = _prepare(ids)
    config = current_app.config
    max_attempts = int(config["SEND_MAX_ATTEMPTS"])
    results: dict[str, list[Outcome]] = {}

    def note(outcome: Outcome, count: int) -> None:
        kind = _record(outcome, max_attempts)
        results.setdefault("_retry" if kind == "retry" else kind, []).append(outcome)
        if count % COMMIT_EVERY == 0:
            db.session.commit()

    for count, outcome in enumerate(done, start=1):
        note(outcome, count)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # The outbox backend writes rows: keep it on one thread (SQLite, development).
    threads = int(config["SEND_CONCURRENCY"]) if messaging.client() is not None else 1
    if threads <= 1:
        outcomes = (_send_one(app, item) for item in work)
        for count, outcome in enumerate(outcomes, start=1):
            note(outcome, count)
            # The outbox row is written by _send_one's own session: release SQLite's write lock.
            db.session.commit()
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for count, outcome in enumerate(pool.map(lambda w: _send_one(app, w), work), start=1):
                note(outcome, count)
    db.session.commit()
    return results
