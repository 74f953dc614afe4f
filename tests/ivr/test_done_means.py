"""The voice issue's "done means": a Spanish speaker calls, hears the menus in Spanish, listens
to a rights topic, leaves a spoken review naming a supervisor (read back redacted), subscribes
to alerts, and no recording of their voice is left at the provider."""

import sqlalchemy as sa

from organize.extensions import db
from organize.models import OutboxMessage, PendingRecording, Review, Subscriber
from tests.factories import expiring_entries
from tests.ivr.conftest import Caller, says
from tests.sms.conftest import Phone

STORY = "Mi supervisor Jorge Medina me quitó el pasaporte. Su cel es (713) 555-0187."


def spoken_in_spanish(root) -> None:
    languages = {say.attrib["language"] for say in says(root)}
    assert languages == {"es-MX"}, languages


def test_a_spanish_speaker_calls_the_line(seeded, client):
    caller = Caller(client, "+17135550142")
    root = caller.call()
    assert root.find("./Gather").attrib["action"] == "/voice/language"
    spoken_in_spanish(root := caller.press("2"))  # Español
    assert root.find("./Gather").attrib["action"] == "/voice/menu?lang=es"
    assert "oprima" in caller.text().lower()  # the menu's words are Spanish, not only its voice

    spoken_in_spanish(caller.press("1"))  # rights
    topic = caller.press("5")
    spoken_in_spanish(topic)
    assert "Salario mínimo" in caller.text()

    spoken_in_spanish(caller.press("*"))  # back to the topics
    spoken_in_spanish(caller.press("*"))  # back to the main menu

    root = caller.press("2")  # review
    gather = root.find("./Gather")
    assert gather.attrib["input"] == "dtmf speech"
    assert gather.attrib["language"] == "es-MX"
    assert "Sunrise Cleaning" in gather.attrib["hints"]
    spoken_in_spanish(caller.speak("Sunrise Cleaning"))
    assert "Sunrise Cleaning" in caller.text()
    caller.press("1")  # yes, that employer
    for answer in ["1", "2", "#", "2", "1", "1", "1", "1"]:  # five ratings, three yes/no
        spoken_in_spanish(caller.press(answer))
    assert caller.root.find("./Gather").attrib["input"] == "dtmf speech"
    caller.speak(STORY)
    preview = caller.press("2")  # done: read it back
    spoken_in_spanish(preview)
    heard = caller.text()
    assert "Jorge" not in heard
    assert "Medina" not in heard
    assert "555-0187" not in heard
    assert "[nombre]" in heard
    rows = list(expiring_entries().values())
    assert "Jorge" not in repr(rows)
    assert "555-0187" not in repr(rows)

    spoken_in_spanish(caller.press("1"))  # send it
    review = db.session.scalar(sa.select(Review).where(Review.channel == "voice"))
    assert (review.channel, review.status, review.locale) == ("voice", "pending", "es")
    assert "Jorge" not in review.text
    assert "[nombre]" in review.text
    assert (review.pay, review.hours, review.safety, review.wage_theft) == (1, 2, None, True)

    caller.post("/voice/menu?lang=es", Digits="4")  # alerts by text: consent first
    spoken_in_spanish(caller.root)
    assert db.session.scalar(sa.select(Subscriber)) is None
    spoken_in_spanish(caller.press("1"))  # explicit keypad consent
    subscriber = db.session.scalar(sa.select(Subscriber))
    assert (subscriber.status, subscriber.consent_source, subscriber.locale) == (
        "pending", "voice", "es")  # fmt: skip
    texts = db.session.scalars(sa.select(OutboxMessage.body)).all()
    assert len(texts) == 1  # the double opt-in text went out, in Spanish
    assert "Responda" in texts[0]
    assert "hear a choice" not in caller.text()  # back at the main menu, not a retry

    Phone(client, "+17135550142").send("SI")  # the SMS channel finishes the opt-in
    db.session.expire_all()
    assert db.session.scalar(sa.select(Subscriber.status)) == "active"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingRecording)) == 0

    caller.post("/voice/menu?lang=es", Digits="1", CallStatus="completed")  # hangs up
    assert len(expiring_entries("voice:call:")) <= 1
