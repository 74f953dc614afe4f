"""Every keyword in every listed language, with case, accents and punctuation ignored."""

import pytest

from sms.keywords import KEYWORDS, match

REQUIRED = {
    "opt_out": [
        "STOP",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPTOUT",
        "ALTO",
        "PARAR",
        "BAJA",
        "CANCELAR",
    ],
    "opt_in": ["START", "UNSTOP", "JOIN", "ALERTS", "UNIRSE", "ALTA", "ALERTAS"],
    "yes": ["YES", "SI", "SÍ"],
    "help": ["HELP", "INFO", "AYUDA"],
    "menu": ["MENU", "MENÚ", "0"],
    "rights": ["RIGHTS", "DERECHOS"],
    "review": ["REVIEW", "RESEÑA", "RESENA", "OPINION", "OPINIÓN"],
    "near": ["NEAR", "CERCA"],
    "language": ["LANG", "LANGUAGE", "IDIOMA"],
    "forget": ["DELETE", "FORGET", "BORRAR", "ELIMINAR"],
}
CASES = [(intent, word) for intent, words in REQUIRED.items() for word in words]


@pytest.mark.parametrize(("intent", "word"), CASES)
@pytest.mark.parametrize("dress", ["{}", "{} ", "  {}.", "¡{}!", "{}?"])
def test_required_keywords(intent, word, dress):
    assert match(dress.format(word)).intent == intent
    assert match(dress.format(word.lower())).intent == intent
    assert match(dress.format(word.title())).intent == intent


@pytest.mark.parametrize(
    ("intent", "word"), [(i, w) for i, words in KEYWORDS.items() for w in words]
)
def test_every_table_entry_matches_itself(intent, word):
    assert match(word).intent == intent


@pytest.mark.parametrize(
    ("word", "locale"),
    [
        ("DERECHOS", "es"),
        ("Reseña", "es"),
        ("ALTO", "es"),
        ("AYUDA", "es"),
        ("RIGHTS", "en"),
        ("STOP", None),
        ("HELP", None),
        ("START", None),
        ("MENU", None),
        ("权利", "zh"),
    ],
)
def test_language_comes_from_the_keyword(word, locale):
    assert match(word).locale == locale


@pytest.mark.parametrize(
    "phrase",
    [
        "stop texting me",
        "Stop texting me!",
        "no more messages",
        "Remove me",
        "stop please",
        "STOP STOP",
        "ya no me manden mensajes",
        "No más mensajes",
        "dame de baja",
    ],
)
def test_opt_out_phrases(phrase):
    assert match(phrase).intent == "opt_out"


@pytest.mark.parametrize(
    "text",
    [
        "they would stop paying us on fridays",
        "stop was not an option for us at that job",
        "stopped",
        "the end",
        "cancelled shifts every week",
        "hello",
    ],
)
def test_ordinary_sentences_are_not_opt_outs(text):
    assert match(text).intent != "opt_out"


def test_numbers_are_read():
    assert match(" 3 ").number == 3
    assert match("12").number == 12
    assert match("3 please").number is None
