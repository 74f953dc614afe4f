"""The SMS issue's "done means", end to end in Spanish through the signed webhook."""

from xml.etree import ElementTree

import sqlalchemy as sa

from organize.extensions import db
from organize.models import Review, Subscriber
from tests.sms.conftest import reply_text, signed_post


def test_a_spanish_speaker_from_rights_to_alto(seeded, client, phone):
    topics = phone.send("DERECHOS")
    assert "Responda con un número" in topics or "Responda con un numero" in topics
    topic = phone.send("5")
    assert "/rights/" in topic

    phone.send("RESEÑA")
    phone.send("Sunrise Cleaning, Houston")
    phone.send("1")
    for answer in ["1", "2", "SALTAR", "2", "1", "SI", "SI", "SI"]:
        phone.send(answer)
    phone.send("Mi supervisor Jorge Medina me quitó el pasaporte.")
    phone.send("Su cel es (713) 555-0187, llámenlo si no me creen.")
    preview = phone.send("LISTO")
    assert "Jorge" not in preview
    assert "Medina" not in preview
    assert "555-0187" not in preview
    assert "[nombre]" in preview
    assert "[teléfono]" in preview or "[telefono]" in preview
    assert "gracias" in phone.send("SI").lower()
    review = db.session.scalar(sa.select(Review).where(Review.channel == "sms"))
    assert review.status == "pending"

    phone.send("UNIRSE")
    phone.send("SI")
    db.session.expire_all()
    assert db.session.scalar(sa.select(Subscriber.status)) == "active"

    params = {"From": phone.number, "To": "+15005550006", "Body": "ALTO", "MessageSid": "SMalto"}
    response = signed_post(client, params)
    messages = ElementTree.fromstring(response.data).findall("./Message")
    assert len(messages) == 1  # exactly one confirmation
    assert "START" in reply_text(response.data)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Subscriber.status)) == "opted_out"
