"""Replies to alerts: a text that is no keyword, sent soon after an alert, lands in the inbox,
and an organizer may answer it from the console.

What is stored, and why (DESIGN promise 6: organizers see masked numbers only):

- `InboxThread`: the subscriber's id (so an answer can reach them: their number is already
  kept encrypted on the subscriber row, for alerts), the masked number the console shows, the
  language, the alert it answers, and times. No number, no blind index: the thread ties a text
  to a person only through the subscriber row, and only while the thread lives.
- `InboxMessage`: the person's text **redacted** (names, numbers, addresses … as a review is),
  never the raw body; an organizer's answer, redacted the same way for storage (the person gets
  the organizer's words as written).
- Threads go `INBOX_RETENTION_DAYS` (30) after their last text (`organize.ops.retention`), and
  at once with the person's forget-me (`subscribers.forget`).
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from organize import audit, privacy
from organize.extensions import db
from organize.models import Alert, Delivery, InboxMessage, InboxThread, Organizer, Subscriber
from organize.outbound import texts
from organize.plumbing.i18n import N_
from organize.plumbing.text import clean
from organize.redaction import redact

MAX_ANSWER = 480  # three GSM-7 segments and some


class InboxError(ValueError):
    """Refused; `message` is an untranslated msgid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _window() -> timedelta:
    return timedelta(hours=int(current_app.config["INBOX_REPLY_WINDOW_HOURS"]))


def _latest_alert_sent(subscriber_id: int, since: datetime) -> int | None:
    return db.session.scalar(
        sa.select(Delivery.alert_id)
        .where(Delivery.subscriber_id == subscriber_id, Delivery.sent_at >= since)
        .order_by(Delivery.sent_at.desc())
        .limit(1)
    )


def receive(
    *, phone_hash: str, body: str, locale: str, after: datetime | None = None
) -> InboxThread | None:
    """File a text that is no keyword, if it answers an alert sent within
    `INBOX_REPLY_WINDOW_HOURS` (or continues a thread as recent) and after `after` (the
    number's last conversation step: the newest thing it received is what it answers, as
    for an RSVP). None: not a reply."""
    text = clean(body)
    subscriber = db.session.scalar(
        sa.select(Subscriber).where(
            Subscriber.phone_hash == phone_hash, Subscriber.status != "opted_out"
        )
    )
    if not text or subscriber is None:
        return None
    now = datetime.now(UTC)
    since = max(now - _window(), after) if after is not None else now - _window()
    alert_id = _latest_alert_sent(subscriber.id, since)
    thread = db.session.scalar(
        sa.select(InboxThread)
        .where(InboxThread.subscriber_id == subscriber.id, InboxThread.last_at >= since)
        .order_by(InboxThread.last_at.desc())
        .limit(1)
    )
    if thread is None and alert_id is None:
        return None
    if thread is None or (alert_id is not None and thread.alert_id != alert_id):
        thread = InboxThread(
            subscriber_id=subscriber.id,
            alert_id=alert_id,
            masked=privacy.mask(privacy.decrypt(subscriber.phone_cipher)),
            locale=locale,
        )
        db.session.add(thread)
    thread.locale, thread.last_at, thread.answered_at = locale, now, None
    thread.messages.append(InboxMessage(incoming=True, text=redact(text, locale).text, at=now))
    db.session.flush()
    return thread


def answer(*, thread: InboxThread, actor: Organizer, text: str) -> None:
    """Send an organizer's answer through the outbound seam, and keep it (redacted) in the
    thread. Refused once the person has opted out or been forgotten."""
    text = clean(text)
    if not text:
        raise InboxError(N_("Write an answer first."))
    if len(text) > MAX_ANSWER:
        raise InboxError(N_("Please keep the answer under 480 characters."))
    subscriber = db.session.get(Subscriber, thread.subscriber_id)
    if subscriber is None or subscriber.status == "opted_out":
        raise InboxError(N_("This person no longer gets texts from us."))
    now = datetime.now(UTC)
    texts.queue_text(e164=privacy.decrypt(subscriber.phone_cipher), body=text)
    thread.messages.append(
        InboxMessage(
            incoming=False, text=redact(text, thread.locale).text, organizer_id=actor.id, at=now
        )
    )
    thread.answered_at, thread.last_at = now, now
    audit.record(actor=actor, action="inbox.answer", target_type="inbox", target_id=thread.id)
    db.session.flush()


def threads(*, limit: int = 100) -> list[tuple[InboxThread, Alert | None]]:
    """Unanswered first, then newest; each with the alert it answers."""
    rows = db.session.execute(
        sa.select(InboxThread, Alert)
        .outerjoin(Alert, Alert.id == InboxThread.alert_id)
        .order_by(InboxThread.answered_at.is_not(None), InboxThread.last_at.desc())
        .limit(limit)
    ).all()
    return [(thread, alert) for thread, alert in rows]


def unanswered_replies() -> int:
    """Threads whose last text is the person's (for the dashboard)."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(InboxThread)
            .where(InboxThread.answered_at.is_(None))
        )
        or 0
    )


def purge(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete threads whose last text is older than `older_than`; returns how many."""
    cutoff = (now or datetime.now(UTC)) - older_than
    ids = list(db.session.scalars(sa.select(InboxThread.id).where(InboxThread.last_at < cutoff)))
    if ids:
        db.session.execute(sa.delete(InboxMessage).where(InboxMessage.thread_id.in_(ids)))
        db.session.execute(sa.delete(InboxThread).where(InboxThread.id.in_(ids)))
    return len(ids)
