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
