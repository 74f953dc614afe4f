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
