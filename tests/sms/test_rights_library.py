"""A topic by text carries the not-legal-advice line in the reader's language and still fits
in three segments (issue 11)."""

import pytest

from organize import rights
from organize.outbound.segments import measure
from tests.factories import conversation_of

ADVICE = {
    "en": "Not legal advice. Help: 1-866-487-9243",
    "es": "No es asesoria legal. Ayuda: 1-866-487-9243",
}


@pytest.mark.parametrize(("keyword", "lang"), [("RIGHTS", "en"), ("DERECHOS", "es")])
def test_every_topic_by_text_has_the_advice_line_within_three_segments(
    seeded, phone_factory, keyword, lang
):
    count = len(rights.topics(locale=lang))
    assert count >= 13
    for number in range(1, count + 1):
        phone = phone_factory(f"+1713555{number:04d}")
        phone.send(keyword)
        if number > 6:
            phone.send("NEXT" if lang == "en" else "MAS")
        if number > 12:
            phone.send("NEXT" if lang == "en" else "MAS")
        reply = phone.send(str(number))
        slug = conversation_of(phone.number).data["slugs"][number - 1]
        assert ADVICE[lang] in reply, slug
        assert f"/rights/{slug}?lang={lang}" in reply, slug
        assert "(MORE" not in reply, slug
        assert "(MAS" not in reply, slug
        assert measure(reply).count <= 3, (slug, measure(reply))


def test_near_for_a_state_with_no_local_entry_gives_national_help_in_spanish(seeded, phone):
    phone.send("CERCA")
    reply = phone.send("WY") or ""
    assert "Ayuda nacional, en todos los estados:" in reply
    assert "(866) 487-9243" in reply
    while "(MAS para seguir)" in reply:
        reply += phone.send("MAS") or ""
    assert "(800) 255-7688" in reply


def _open(phone, keyword, slug):
    phone.send(keyword)
    slugs = conversation_of(phone.number).data["slugs"]
    return phone.send(str(slugs.index(slug) + 1)) or ""


def test_a_subscribers_state_on_file_brings_its_note_in_spanish(seeded, phone_factory):
    from organize import privacy, subscribers
    from organize.extensions import db
    from tests.languages.detect import language_of

    phone = phone_factory("+17135550177")
    subscriber = subscribers.request_signup(
        phone=privacy.phone(phone.number), locale="es", source="sms"
    )
    subscribers.set_preferences(subscriber=subscriber, region="CA")
    db.session.commit()

    topic = _open(phone, "DERECHOS", "safety-and-heat")
    assert topic.endswith("Responda CA: reglas de su estado.")
    assert measure(topic).count <= 3
    note = phone.send("CA") or ""
    assert "California: quien trabaja afuera debe tener agua" in note
    assert ADVICE["es"] in note
    assert "/rights/safety-and-heat?state=CA&lang=es" in note
    assert language_of(note) == "es"
    assert measure(note).count <= 3

    other = _open(phone, "DERECHOS", "discrimination")  # no note for CA: the usual way back
    assert other.endswith("Responda DERECHOS para ver todos los temas.")


def test_any_reader_can_text_a_state_or_zip_after_a_topic(seeded, phone_factory):
    phone = phone_factory("+17135550178")
    _open(phone, "RIGHTS", "overtime")
    note = phone.send("10001") or ""  # a ZIP code in New York
    assert "New York: farmworkers get overtime after 52 hours" in note
    assert ADVICE["en"] in note
    assert phone.send("VT") == (
        "We have no note for VT on this topic yet. Reply RIGHTS for all topics."
    )
    # a state's letters mean nothing special before a topic is open: the list comes back
    phone.send("RIGHTS")
    assert (phone.send("CA") or "").startswith("Your rights:")


def test_near_takes_a_zip_code(seeded, phone):
    phone.send("NEAR")
    reply = phone.send("77002") or ""  # Houston
    assert "Gulf Coast Workers Center" in reply
    assert "Bay Area" not in reply
