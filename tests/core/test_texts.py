"""One-off texts: queued with the number encrypted; kept and retried when the queue is down."""

import sqlalchemy as sa

from organize import privacy, subscribers
from organize.extensions import db
from organize.models import PendingText
from organize.outbound import texts

TO = "+17135550142"


def test_a_text_goes_through_the_provider(twilio_app, fake_twilio):
    texts.queue_text(e164=TO, body="Your rights: overtime")
    assert fake_twilio.sent_to(TO)[0]["body"] == "Your rights: overtime"


def test_redis_down_keeps_the_text_and_the_retry_job_sends_it(app_factory, fake_twilio):
    down = app_factory(**fake_twilio.config(), REDIS_URL="redis://127.0.0.1:1/0", RQ_ASYNC=True)
    with down.app_context():
        texts.queue_text(e164=TO, body="copy")
        db.session.commit()
        row = db.session.scalar(sa.select(PendingText))
        assert TO not in repr((row.phone_hash, row.phone_cipher, row.body))
        assert privacy.decrypt(row.phone_cipher) == TO
    assert fake_twilio.messages == []
    with app_factory(**fake_twilio.config(), REDIS_URL=None).app_context():
        assert texts.retry_pending_texts() == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingText)) == 0
    assert fake_twilio.sent_to(TO)[0]["body"] == "copy"


def test_forget_me_removes_waiting_texts(app_factory, fake_twilio):
    with app_factory(REDIS_URL="redis://127.0.0.1:1/0", RQ_ASYNC=True).app_context():
        texts.queue_text(e164=TO, body="copy")
        db.session.commit()
        subscribers.forget(phone_hash=privacy.phone(TO).hash)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingText)) == 0
