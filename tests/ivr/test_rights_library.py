"""By phone, every topic ends with the not-legal-advice line and whom to call, spoken in the
topic's language (issue 11)."""

import pytest

from organize import rights

ADVICE = {
    "en": "This is not legal advice. For help with your case, call a worker center",
    "es": "Esto no es asesoría legal. Para ayuda con su caso, llame a un centro de trabajadores",
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_topic_by_phone_ends_with_the_advice_line(seeded, client, lang):
    from tests.ivr.conftest import Caller

    count = len(rights.topics(locale=lang))
    assert count >= 13
    for index in range(count):
        caller = Caller(client)
        caller.post(f"/voice/menu?lang={lang}", Digits="1")
        for _page in range(index // 8):
            caller.press("9")
        root = caller.press(str(index % 8 + 1))
        said = [(s.text or "", s.attrib.get("language", "")) for s in root.iter("Say")]
        advice = [lang_code for text, lang_code in said if ADVICE[lang] in text]
        assert advice, (index, said[:2])
        assert advice[0].startswith(lang), advice


def _topic(client, lang, slug):
    from tests.ivr.conftest import Caller

    index = [t.slug for t in rights.topics(locale=lang)].index(slug)
    caller = Caller(client)
    caller.post(f"/voice/menu?lang={lang}", Digits="1")
    for _page in range(index // 8):
        caller.press("9")
    return caller, caller.press(str(index % 8 + 1))


def _said(root):
    return [(s.text or "", s.attrib.get("language", "")) for s in root.iter("Say")]


def test_a_zip_code_keyed_after_a_topic_gives_the_states_note_in_the_callers_language(
    seeded, client
):
    caller, root = _topic(client, "es", "safety-and-heat")
    assert any("Para las reglas de su estado, oprima 3." in t for t, _ in _said(root))
    asked = caller.press("3")
    assert any("código postal de cinco dígitos" in t for t, _ in _said(asked))
    assert asked.find("./Gather").attrib.get("numDigits") == "5"
    root = caller.press("94110")  # San Francisco
    said = _said(root)
    note = [lang for text, lang in said if "California: quien trabaja afuera" in text]
    assert note, said
    assert note[0].startswith("es"), said
    assert any(ADVICE["es"] in text for text, _ in said)
    assert any("oprima 1" in text for text, _ in said)  # the topic's options again


def test_an_unknown_zip_is_asked_again_and_a_state_without_a_note_is_told(seeded, client):
    caller, _root = _topic(client, "en", "overtime")
    caller.press("3")
    again = caller.press("00000")
    said = " ".join(text for text, _ in _said(again))
    assert "not an option" in said
    assert "five-digit ZIP code" in said
    told = caller.press("05401")  # Burlington, Vermont: no overtime note
    assert "We have no note for your state on this topic yet." in " ".join(
        text for text, _ in _said(told)
    )


def test_a_topic_without_state_notes_offers_no_state_key(seeded, client):
    caller, root = _topic(client, "en", "discrimination")
    assert not any("rules in your state" in text for text, _ in _said(root))
    after = caller.press("3")
    assert any("not an option" in text for text, _ in _said(after))
