"""One-off texts to a person (an SMS copy of a rights topic, a sign-up confirmation).

The job's arguments travel through Redis, so the number goes in encrypted (Fernet) and is
decrypted only inside the job. Jobs re-raise transient errors so RQ retries them.
"""

import logging

from rq import Retry

from organize import messaging, privacy
from organize.extensions import db, rq
from organize.jobs import enqueue

log = logging.getLogger(__name__)
RETRY = Retry(max=5, interval=[10, 30, 60, 300, 900])


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
    """Queue a text to a number (sent in-process when there is no Redis)."""
    enqueue(send_text, privacy.encrypt(e164), body, retry=RETRY)
