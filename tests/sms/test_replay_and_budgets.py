"""Replay protection keeps a MessageSid and a reply only for Twilio's retry window, with no
sender, and no reply that quotes someone's words (promise 7); per-number budgets stop a flood
(one notice, then silence; STOP, START and HELP always answered and recorded)."""

import time

import sqlalchemy as sa

from organize import privacy
from organize.extensions import db
from organize.models import Employer, Subscriber
from organize.plumbing.expiring import store
from tests.factories import expiring_entries
from tests.sms.conftest import Phone, signed_post

NUMBER = "+17135550142"


def test_the_replay_entry_holds_no_sender_and_lasts_the_retry_window(app_factory):
    app = app_factory(SMS_REPLAY_TTL=1)
    with app.app_context():
        phone = Phone(app.test_client(), NUMBER)
        phone.send("MENU")
        entries = expiring_entries("sms:sid:")
        assert list(entries) == [f"sms:sid:{phone.last_sid}"]
        held = repr(entries)
        assert privacy.phone(NUMBER).hash not in held
        assert "5550142" not in held
        time.sleep(1.1)
        assert expiring_entries("sms:sid:") == {}


def test_a_reply_quoting_an_employer_is_not_kept_and_its_replay_is_not_reprocessed(seeded, client):
    phone = Phone(client, NUMBER)
    phone.send("REVIEW")
    listing = phone.send("Sunrise Cleaning, Houston")
    assert "Sunrise" in listing
    entry = expiring_entries("sms:sid:")[f"sms:sid:{phone.last_sid}"]
    assert entry == ""  # handled, reply not kept
    params = {"From": NUMBER, "To": "+15005550006", "Body": "1", "MessageSid": phone.last_sid}
    replayed = signed_post(client, params)
    assert b"<Message" not in replayed.data  # nothing quoted again, nothing processed again
    from tests.factories import conversation_of

    assert conversation_of(NUMBER).step == "pick"


def test_past_the_reply_budget_one_notice_then_silence(app_factory):
    app = app_factory(SMS_REPLY_BUDGET=4)
    with app.app_context():
        client = app.test_client()
        phone, other = Phone(client, NUMBER), Phone(client, "+17135550143")
        assert phone.send("UNIRSE")  # Spanish, remembered
        assert phone.send("SI")
        assert phone.send("MENU")
        assert phone.send("MENU")
        notice = phone.send("MENU")
        assert notice is not None
        assert "STOP" in notice
        assert "mensajes" in notice  # in the person's language
        assert phone.send("MENU") is None
        assert phone.send("RIGHTS") is None
        assert other.send("MENU")  # another number has its own budget
        assert "STOP" in phone.send("HELP")  # always answered
        assert "START" in phone.send("STOP")
        db.session.expire_all()
        assert db.session.scalar(sa.select(Subscriber.status)) == "opted_out"
        assert phone.send("START")
        db.session.expire_all()
        assert db.session.scalar(sa.select(Subscriber.status)) == "active"
        counters = expiring_entries("sms:budget:")
        assert counters  # counters only: a blind index and a number, nothing said
        assert all(value.isdigit() for value in counters.values())


def test_employers_added_by_text_are_limited_per_number(app_factory):
    app = app_factory(SMS_EMPLOYER_BUDGET=2)
    with app.app_context():
        phone = Phone(app.test_client(), NUMBER)
        for name in ("Acme Tacos", "Bravo Cleaning", "Charlie Builders"):
            phone.send("REVIEW")
            phone.send(f"{name}, Houston")
            last = phone.send("NEW")
        assert "as many employers" in last
        names = set(db.session.scalars(sa.select(Employer.name)).all())
        assert not any("Charlie" in name for name in names)
        assert len(names) == 2
        assert store().get(f"sms:budget:employers:{privacy.phone(NUMBER).hash}") == "2"
