"""Bodies blanked at the provider (DESIGN §4.7): Twilio keeps every message body for months.

After a text that told us an employer, a story or a notice — and after a reply that quoted one
— the provider is asked to replace the body with an empty one (`messaging.redact_message`).
Only a message in a final state can be blanked, so the inbound text is blanked once answered
and a quoting reply once its status callback (the TwiML `<Message action=…>`, which carries
the reply's own MessageSid) says it is final. A retried job does it; when the queue cannot take
it, a `pending_blank` row (a provider sid, nothing else) waits for the scheduled retry.
"""

import logging

import sqlalchemy as sa
from rq import Retry

from organize.extensions import db, rq
from organize.models import PendingBlank
from organize.outbound import messaging
from organize.outbound.jobs import QueueUnavailable, enqueue

log = logging.getLogger(__name__)
RETRY = Retry(max=6, interval=[5, 30, 60, 300, 900, 3600])
RETRY_INTERVAL_SECONDS = 300
MAX_ATTEMPTS = 30
# A message can be blanked once it is here (TWILIO.md: "post-flight").
FINAL = {"received", "sent", "delivered", "undelivered", "failed", "read", "canceled"}


@rq.job
def blank_body(sid: str) -> bool:
    """Blank one message's body at the provider. Idempotent; transient errors re-raise so RQ
    retries; a refusal (unknown sid) is logged and dropped."""
    try:
        messaging.redact_message(sid=sid)
    except messaging.PermanentSendError as exc:
        log.warning("provider refused to blank a body (code %s)", exc.code)
        return False
    db.session.execute(sa.delete(PendingBlank).where(PendingBlank.sid == sid))
    db.session.commit()
    return True


def blank_later(*, sid: str) -> None:
    """Ask for the blanking as soon as possible; a failure now leaves a row for the retry job.
    The caller commits."""
    try:
        enqueue(blank_body, sid, retry=RETRY)
    except (QueueUnavailable, messaging.TransientSendError):
        exists = db.session.scalar(sa.select(PendingBlank.id).where(PendingBlank.sid == sid))
        if exists is None:
            db.session.add(PendingBlank(sid=sid[:64]))
            db.session.flush()
        log.info("body blanking left to the retry job")


@rq.job
def retry_pending_blanks() -> int:
    """Blank what waited (oldest first). Returns how many went."""
    done = 0
    rows = db.session.scalars(sa.select(PendingBlank).order_by(PendingBlank.id).limit(200)).all()
    for row in rows:
        row.attempts += 1
        sid, attempts = row.sid, row.attempts
        db.session.commit()
        try:
            done += bool(blank_body(sid))
        except messaging.TransientSendError:
            if attempts >= MAX_ATTEMPTS:
                db.session.execute(sa.delete(PendingBlank).where(PendingBlank.sid == sid))
                db.session.commit()
    return done


retry_pending_blanks.cron_register(RETRY_INTERVAL_SECONDS)
