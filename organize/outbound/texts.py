"""One-off texts to a person (an SMS copy of a rights topic, a sign-up confirmation).

The job's arguments travel through Redis, so the number goes in encrypted (Fernet) and is
decrypted only inside the job. When the queue cannot take a text (Redis down) or the provider
is briefly unavailable, the text waits in `pending_text` and a scheduled job retries it, so the
person still gets it.
"""

import logging

import sqlalchemy as sa
from rq import Retry

from organize import privacy
from organize.extensions import db, rq
from organize.models import PendingText
from organize.outbound import messaging
from organize.outbound.jobs import QueueUnavailable, enqueue

log = logging.getLogger(__name__)
RETRY = Retry(max=5, interval=[10, 30, 60, 300, 900])
RETRY_INTERVAL_SECONDS = 120
MAX_ATTEMPTS = 20


@rq.job
def send_text(phone_cipher: str, body: str) -> str | None:
    """Send `body` to the encrypted number. Returns the provider sid; must be safe to retry."""
    try:
        sent = messaging.send_sms(to=privacy.decrypt(phone_cipher), body=body)
    except messaging.PermanentSendError as exc:
        log.warning("text refused by provider (code %s)", exc.code)
        return None
    db.session.commit()  # the outbox backend writes a row
    return sent.sid


def queue_text(*, e164: str, body: str) -> None:
    """Queue a text (sent in-process without Redis); if that fails now, keep it for later."""
    cipher = privacy.encrypt(e164)
    try:
        enqueue(send_text, cipher, body, retry=RETRY)
    except (QueueUnavailable, messaging.TransientSendError):
        phone_hash = privacy.phone(e164).hash
        db.session.add(PendingText(phone_hash=phone_hash, phone_cipher=cipher, body=body))
        db.session.flush()
        log.info("text kept for a later try")


@rq.job
def retry_pending_texts() -> int:
    """Send what waited (oldest first); rows go once sent or refused. Returns how many went."""
    sent = 0
    rows = db.session.scalars(sa.select(PendingText).order_by(PendingText.id).limit(200)).all()
    for row in rows:
        row.attempts += 1
        try:
            send_text(row.phone_cipher, row.body)
        except messaging.TransientSendError:
            if row.attempts >= MAX_ATTEMPTS:
                db.session.delete(row)
            db.session.commit()
            continue
        db.session.delete(row)
        db.session.commit()
        sent += 1
    return sent


retry_pending_texts.cron_register(RETRY_INTERVAL_SECONDS)
