"""The pure builders, by parsing the XML they produce: languages, recordings, no dead ends."""

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from ivr import hours, prompts, twiml
from ivr.screens import menus, rights
from ivr.speak import Line, chunks, voice_for
from organize import audio


def xml(response) -> ElementTree.Element:
    return ElementTree.fromstring(str(response))


@pytest.mark.parametrize(
    ("locale", "language"),
    [("en", "en-US"), ("es", "es-MX"), ("zh", "cmn-CN"), ("tl", "fil-PH"), ("ht", "fr-FR")],
)
def test_the_main_menu_speaks_the_callers_language(app, locale, language):
    root = xml(menus.main_menu(voice_for(locale), "/voice/menu?lang=" + locale))
    gather = root.find("./Gather")
    assert gather.attrib["numDigits"] == "1"
    assert {say.attrib["language"] for say in gather.iter("Say")} == {language}
    assert root.find("./Redirect").text == gather.attrib["action"]  # the timeout path


def test_haitian_creole_plays_recordings_and_reads_its_own_words_for_the_rest(
    app_factory, tmp_path
):
    (tmp_path / "ht").mkdir()
    (tmp_path / "ht" / "main_menu.mp3").write_bytes(b"ID3")
    app = app_factory(AUDIO_DIR=str(tmp_path), AUDIO_BASE_URL="https://cdn.example.org/audio/")
    with app.app_context():
        voice = voice_for("ht")
        root = xml(menus.main_menu(voice, "/voice/menu?lang=ht", notice="not_an_option"))
    plays = [p.text for p in root.iter("Play")]
    assert plays == ["https://cdn.example.org/audio/ht/main_menu.mp3"]
    # No recording of the notice yet: its Kreyòl words, read by the nearest voice, never Spanish.
    says = list(root.iter("Say"))
    # (the notice, the status-code option and the language choice)
    assert [s.attrib["language"] for s in says] == ["fr-FR", "fr-FR", "fr-FR"]
    assert "Padon" in says[0].text


def test_without_audio_base_url_no_recording_is_used(app):
    assert voice_for("ht").recordings == {}
    assert voice_for("ht").say_locale == "ht"


def test_fallback_locale_is_configurable(app_factory):
    app = app_factory(VOICE_FALLBACK_LOCALE="es")
    with app.app_context():
        voice = voice_for("ko")  # not a language of this line
    assert (voice.say_locale, voice.language) == ("es", "es-MX")


def test_each_language_option_is_spoken_in_its_own_language(app):
    choices = [(voice_for(code), code) for code in ("en", "es", "zh", "tl", "ht")]
    root = xml(menus.language_menu(voice_for("en"), choices, "/voice/language"))
    options = root.find("./Gather").findall("./Say")
    assert [s.attrib["language"] for s in options] == [
        "en-US",
        "es-MX",
        "cmn-CN",
        "fil-PH",
        "fr-FR",
    ]


def test_a_topic_with_audio_plays_the_novella(app):
    voice = voice_for("es")
    spoken = rights.Spoken("Salario", "texto", voice, "https://cdn.example.org/novela.mp3")
    root = xml(rights.topic(voice, spoken, "/voice/topic?lang=es&t=x"))
    assert root.find("./Gather/Play").text == "https://cdn.example.org/novela.mp3"


def test_markdown_is_spoken_as_plain_sentences(app):
    text = rights.plain_text(
        "## Pay\n\nYou must be **paid**. See [the law](https://dol.gov).\n\n- one\n- two"
    )
    assert text == "Pay.\nYou must be paid. See the law.\none.\ntwo."


def test_long_text_is_split_for_twilio():
    pieces = chunks("A sentence. " * 600, limit=1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert len(pieces) > 5


def test_goodbye_hangs_up_and_apology_is_bilingual(app):
    root = xml(twiml.goodbye(voice_for("tl")))
    assert [v.tag for v in root] == ["Say", "Hangup"]
    apology = xml(twiml.apology([voice_for("en"), voice_for("es")]))
    assert [s.attrib["language"] for s in apology.iter("Say")] == ["en-US", "es-MX"]
    assert apology[-1].tag == "Hangup"


def test_every_recordable_prompt_has_words_and_a_key():
    assert set(prompts.TEXTS) == set(audio.PROMPT_KEYS)


def test_lines_with_nothing_to_say_are_dropped(app):
    response = twiml.say_then(voice_for("en"), [Line("   ")], "/voice/main?lang=en")
    assert [v.tag for v in xml(response)] == ["Redirect"]


def test_hotline_hours():
    staffed = hours.parse("Mon-Fri 09:00-17:00, Sat 22:00-02:00 America/Chicago")
    tuesday_noon = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # 12:00 in Chicago
    tuesday_night = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 20:00
    sunday_1am = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)  # 01:00, Saturday's late shift
    assert hours.is_open(staffed, tuesday_noon)
    assert not hours.is_open(staffed, tuesday_night)
    assert hours.is_open(staffed, sunday_1am)
    with pytest.raises(ValueError, match="HOTLINE_HOURS"):
        hours.parse("weekdays 9 to 5")


def test_hours_are_said_in_words(app):
    text = hours.describe(hours.parse("Mon-Fri 09:00-17:00 America/Chicago"), "en")
    assert "Monday" in text
    assert "Friday" in text
    assert "9:00" in text
    assert "Central" in text
