"""Promise 7, at the provider: texts that told us an employer, a story or a notice, and replies
that quoted one, are blanked at Twilio (a message update with an empty Body), through the real
twilio client against the local fake. Nothing else is."""

import sqlalchemy as sa

from organize.extensions import db
from organize.models import PendingBlank
from organize.outbound import blanking, messaging
from tests.sms.conftest import Phone, reply_message, signed_post

STATUS_URL = "http://localhost/sms/status?blank=1"


def _status(client, sid: str, status: str, url: str = STATUS_URL) -> None:
    params = {"MessageSid": sid, "MessageStatus": status, "To": "+17135550142"}
    assert signed_post(client, params, url=url).status_code == 204


def test_review_texts_and_quoting_replies_are_blanked_at_the_provider(twilio_app, fake_twilio):
    from organize.cli import seed_employers_and_reviews

    seed_employers_and_reviews()
    db.session.commit()
    client = twilio_app.test_client()
    phone = Phone(client, "+17135550142")
    told, plain = [], []

    phone.send("REVIEW")
    plain.append(phone.last_sid)
    listing = phone.send("Sunrise Cleaning, Houston")  # an employer's name
    told.append(phone.last_sid)
    assert "Sunrise" in listing
    action = reply_message(phone.last_xml).attrib["action"]  # the quoting reply's callback
    assert action.endswith("/sms/status?blank=1")
    phone.send("1")
    plain.append(phone.last_sid)
    for _question in range(8):
        phone.send("SKIP")
        plain.append(phone.last_sid)
    assert "action" not in reply_message(phone.last_xml).attrib  # a question quotes nothing
    phone.send("They kept our pay. Call Jorge at 713-555-0187.")  # the story
    told.append(phone.last_sid)
    preview = phone.send("DONE")
    assert "[" in preview  # the redacted preview, quoted back
    assert reply_message(phone.last_xml).attrib["action"] == action
    phone.send("YES")
    plain.append(phone.last_sid)

    assert set(told) <= set(fake_twilio.redacted)
    assert not set(plain) & set(fake_twilio.redacted)
    assert all(form == {"Body": ""} for _sid, form in fake_twilio.updates)

    # The preview reply's status callback carries its own sid: blanked once final, not before.
    _status(client, "SMpreviewreply", "sending")
    assert "SMpreviewreply" not in fake_twilio.redacted
    _status(client, "SMpreviewreply", "delivered")
    assert "SMpreviewreply" in fake_twilio.redacted
    _status(client, "SMplainreply", "delivered", url="http://localhost/sms/status")
    assert "SMplainreply" not in fake_twilio.redacted


def test_a_notice_by_text_is_blanked_at_the_provider(twilio_app, fake_twilio):
    phone = Phone(twilio_app.test_client(), "+17135550142")
    phone.send("HUELGA")
    start = phone.last_sid
    told = []
    for answer in ("Paro en la planta", "Pasadena", "SKIP", "Acme Foods"):
        phone.send(answer)
        if answer != "SKIP":
            told.append(phone.last_sid)
    assert set(told) <= set(fake_twilio.redacted)
    assert start not in fake_twilio.redacted


def test_when_the_queue_is_down_a_blanking_waits_in_a_row_for_the_retry_job(
    app_factory, fake_twilio
):
    app = app_factory(
        **fake_twilio.config(), TWILIO_TIMEOUT=2.0, REDIS_URL="redis://127.0.0.1:1/0", RQ_ASYNC=True
    )
    with app.app_context():
        blanking.blank_later(sid="SM" + "a" * 32)
        db.session.commit()
        assert db.session.scalars(sa.select(PendingBlank.sid)).all() == ["SM" + "a" * 32]
        assert fake_twilio.redacted == []
        fake_twilio.behaviour.fail_next = [(503, 20500)]  # the provider fails once, too
        assert blanking.retry_pending_blanks() == 0
        assert blanking.retry_pending_blanks() == 1
        assert fake_twilio.redacted == ["SM" + "a" * 32]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingBlank)) == 0


def test_redact_message_sends_an_empty_body_through_the_twilio_client(twilio_app, fake_twilio):
    assert messaging.redact_message(sid="SM" + "b" * 32) is True
    assert fake_twilio.updates == [("SM" + "b" * 32, {"Body": ""})]
