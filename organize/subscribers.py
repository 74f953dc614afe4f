"""Contacts (language per number) and alert subscribers: double opt-in, opt-out, opt back in.

Numbers arrive as `privacy.Phone` (E.164 in memory + blind index); only the blind index and,
for subscribers, the encrypted number are written.
"""

from datetime import UTC, datetime
from typing import cast

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from organize import privacy
from organize.alerts import quiet
from organize.extensions import db
from organize.models import (
    Alert,
    Contact,
    InboxMessage,
    InboxThread,
    OutboxMessage,
    PendingText,
    Subscriber,
)
from organize.plumbing import expiring


def locale_for(*, phone_hash: str) -> str | None:
    """The language this number chose before, if any."""
    return db.session.scalar(sa.select(Contact.locale).where(Contact.phone_hash == phone_hash))


def remember_locale(*, phone_hash: str, locale: str) -> None:
    """Remember the number's language (and the subscriber's, so alerts follow it)."""
    contact = db.session.scalar(sa.select(Contact).where(Contact.phone_hash == phone_hash))
    if contact is None:
        db.session.add(Contact(phone_hash=phone_hash, locale=locale))
    else:
        contact.locale = locale
    subscriber = get(phone_hash=phone_hash)
    if subscriber is not None:
        subscriber.locale = locale
    db.session.flush()


def _zone(region: str | None, e164: str | None) -> str:
    return quiet.zone_for(region=region, e164=e164, default=current_app.config["DEFAULT_TIME_ZONE"])


def get(*, phone_hash: str) -> Subscriber | None:
    """The subscriber row for this number, whatever its status."""
    return db.session.scalar(sa.select(Subscriber).where(Subscriber.phone_hash == phone_hash))


def request_signup(*, phone: privacy.Phone, locale: str, source: str) -> Subscriber:
    """First step of the double opt-in: a pending row (or the existing one, unchanged if active)."""
    if phone.e164 is None:
        raise ValueError("cannot subscribe a sender without a phone number")
    subscriber = get(phone_hash=phone.hash)
    if subscriber is None:
        subscriber = Subscriber(
            phone_hash=phone.hash,
            phone_cipher=privacy.encrypt(phone.e164),
            locale=locale,
            status="pending",
            consent_source=source,
            time_zone=_zone(None, phone.e164),
        )
        db.session.add(subscriber)
    elif subscriber.status != "active":
        subscriber.status, subscriber.consent_source = "pending", source
        subscriber.phone_cipher = privacy.encrypt(phone.e164)
    db.session.flush()
    return subscriber


def signup_request() -> str:
    """The double opt-in question (CTIA: who, how often, cost, how to stop), in the current
    locale; the same words whether the person joined by text or by phone."""
    return _(
        "Reply YES to get action alerts from %(program)s, up to %(count)d msgs/month. "
        "Msg & data rates may apply. Reply STOP to cancel, HELP for help.",
        program=current_app.config["SMS_PROGRAM_NAME"],
        count=current_app.config["SMS_ALERTS_PER_MONTH"],
    )


def confirm(*, subscriber: Subscriber) -> None:
    """Second step: explicit YES. Consent time recorded; opt-out cleared."""
    subscriber.status = "active"
    subscriber.consent_at = datetime.now(UTC)
    subscriber.opted_out_at = None
    db.session.flush()


def opt_out(*, phone_hash: str) -> bool:
    """Stop every alert to this number at once. True when a subscriber row changed. One
    statement, no row loaded: a STOP is recorded while Twilio waits, in a burst too."""
    table = cast(sa.Table, Subscriber.__table__)  # Core: no ORM bookkeeping (commit expires rows)
    changed = db.session.execute(
        sa.update(table)
        .where(table.c.phone_hash == phone_hash, table.c.status != "opted_out")
        .values(status="opted_out", opted_out_at=datetime.now(UTC))
    )
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def opt_back_in(*, phone: privacy.Phone, locale: str, source: str) -> Subscriber | None:
    """START/UNSTOP after an opt-out: active again (the carrier keyword is itself consent)."""
    subscriber = get(phone_hash=phone.hash)
    if subscriber is None or subscriber.status != "opted_out":
        return None
    subscriber.consent_source = source
    confirm(subscriber=subscriber)
    return subscriber


def set_preferences(
    *, subscriber: Subscriber, region: str | None = None, industry: str | None = None
) -> None:
    """Optional answers after sign-up; used to target alerts."""
    if region is not None:
        subscriber.region = region
        subscriber.time_zone = _zone(region, privacy.decrypt(subscriber.phone_cipher))
    if industry is not None:
        subscriber.industry = industry
    db.session.flush()


def latest_alert() -> Alert | None:
    """The newest alert that has gone out."""
    stmt = (
        sa.select(Alert)
        .where(Alert.status.in_(("sending", "sent")))
        .order_by(Alert.sent_at.desc().nulls_last(), Alert.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def forget(*, phone_hash: str) -> int:
    """Promise 5: delete every row tied to this number. Returns how many rows went."""
    removed = 0
    # Reply threads first (explicitly: SQLite enforces no ON DELETE CASCADE here).
    threads = sa.select(InboxThread.id).join(Subscriber, Subscriber.id == InboxThread.subscriber_id)
    threads = threads.where(Subscriber.phone_hash == phone_hash)
    ids = list(db.session.scalars(threads))
    if ids:
        db.session.execute(sa.delete(InboxMessage).where(InboxMessage.thread_id.in_(ids)))
        db.session.execute(sa.delete(InboxThread).where(InboxThread.id.in_(ids)))
        removed += len(ids)
    for model in (Subscriber, Contact, OutboxMessage, PendingText):
        result = db.session.execute(sa.delete(model).where(model.phone_hash == phone_hash))
        removed += result.rowcount or 0  # type: ignore[attr-defined]
    expiring.forget_number(phone_hash=phone_hash)  # a conversation in progress, budgets
    db.session.flush()
    return removed
