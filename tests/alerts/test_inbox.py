"""The reply inbox: a text after an alert reaches organizers masked and redacted, an answer
goes back through the outbound seam, and the conversation expires or is forgotten."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from organize import privacy, subscribers
from organize.alerts import fanout
from organize.campaign import inbox
from organize.extensions import db
from organize.models import AuditEvent, InboxMessage, InboxThread
from organize.ops import retention
from tests.alerts.conftest import make_alert
from tests.alerts.test_rsvp_order import NUMBER, AlertedPhone
from tests.factories import appears, dump_database, login, make_organizer
from tests.htmltools import visible_text

QUESTION = "Can my cousin Rosa Martinez come too? Call me at 713-555-0143"


def _joined(sender) -> AlertedPhone:
    phone = AlertedPhone(sender.test_client(), NUMBER)
    phone.send("ALERTAS")
    phone.send("SI")
    return phone


def _alert_goes_out():
    alert = make_alert()
    assert fanout.send(alert=alert, actor=None)
    return alert


def _organizer(sender):
    client = sender.test_client()
    make_organizer(email="org@example.org", role="organizer")
    login(client, "org@example.org")
    return client


def test_a_reply_after_an_alert_lands_masked_redacted_and_unanswered(sender, fake_twilio):
    phone = _joined(sender)
    alert = _alert_goes_out()
    answer = phone.send(QUESTION)
    assert "organizador" in answer  # acknowledged, in the person's language (Spanish)
    thread = db.session.scalar(sa.select(InboxThread))
    assert thread.alert_id == alert.id
    assert thread.locale == "es"
    assert thread.masked == privacy.mask(NUMBER)
    assert "0199" not in thread.masked
    (message,) = thread.messages
    assert "Martinez" not in message.text
    assert "0143" not in message.text
    assert "[teléfono]" in message.text
    assert inbox.unanswered_replies() == 1
    # Privacy: no raw number, no unredacted words, no blind index beside the text.
    dump = dump_database()
    assert not appears(NUMBER, dump)
    assert not appears("713-555-0143", dump)
    assert "Martinez" not in dump
    columns = {c.name for t in (InboxThread, InboxMessage) for c in t.__table__.columns}
    assert not {"phone_hash", "phone_cipher", "phone"} & columns


def test_texts_with_no_recent_alert_get_the_menu_not_the_inbox(sender, fake_twilio):
    phone = _joined(sender)
    reply = phone.send("hola, una pregunta")
    assert "organizador" not in reply
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxThread)) == 0


def test_keywords_still_win_after_an_alert(sender, fake_twilio):
    phone = _joined(sender)
    _alert_goes_out()
    phone.send("AYUDA")
    phone.send("ALTO")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxThread)) == 0


def test_an_organizer_answers_from_the_console_through_the_outbound_seam(sender, fake_twilio):
    phone = _joined(sender)
    _alert_goes_out()
    phone.send(QUESTION)
    client = _organizer(sender)
    page = visible_text(client.get("/organizer/inbox").get_data(as_text=True))
    assert privacy.mask(NUMBER) in page
    assert "Strike Friday" in page
    assert NUMBER not in page
    assert "Martinez" not in page
    thread = db.session.scalar(sa.select(InboxThread))
    before = len(fake_twilio.sent_to(NUMBER))
    response = client.post(f"/organizer/inbox/{thread.id}", data={"text": "Sí, que venga."})
    assert response.status_code == 302
    sent = fake_twilio.sent_to(NUMBER)
    assert len(sent) == before + 1
    assert sent[-1]["body"] == "Sí, que venga."
    db.session.expire_all()
    thread = db.session.get(InboxThread, thread.id)
    assert [m.incoming for m in thread.messages] == [True, False]
    assert thread.answered_at is not None
    assert inbox.unanswered_replies() == 0
    assert "inbox.answer" in set(db.session.scalars(sa.select(AuditEvent.action)))
    # The person's next text reopens the same thread.
    phone.send("gracias")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxThread)) == 1
    assert inbox.unanswered_replies() == 1


def test_no_answer_to_someone_who_opted_out(sender, fake_twilio):
    phone = _joined(sender)
    _alert_goes_out()
    phone.send(QUESTION)
    phone.send("ALTO")
    client = _organizer(sender)
    thread = db.session.scalar(sa.select(InboxThread))
    before = len(fake_twilio.sent_to(NUMBER))
    page = client.post(f"/organizer/inbox/{thread.id}", data={"text": "hola"})
    assert "no longer gets texts" in page.get_data(as_text=True)
    assert len(fake_twilio.sent_to(NUMBER)) == before


def test_forget_me_removes_the_conversation(sender, fake_twilio):
    phone = _joined(sender)
    _alert_goes_out()
    phone.send(QUESTION)
    subscribers.forget(phone_hash=privacy.phone(NUMBER).hash)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxThread)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxMessage)) == 0


def test_conversations_expire_with_the_retention_sweep(sender, fake_twilio):
    phone = _joined(sender)
    _alert_goes_out()
    phone.send(QUESTION)
    assert retention.sweep()["inbox"] == 0  # a fresh one stays
    thread = db.session.scalar(sa.select(InboxThread))
    thread.last_at = datetime.now(UTC) - timedelta(days=31)
    db.session.commit()
    assert retention.sweep()["inbox"] == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxMessage)) == 0


def test_a_conversation_started_after_the_alert_keeps_its_answers(sender, fake_twilio):
    phone = _joined(sender)
    _alert_goes_out()
    phone.send("RESEÑA")  # a flow begun after the alert: its answers are no replies
    reply = phone.send("Panadería La Esperanza")
    assert "organizador" not in reply
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxThread)) == 0
