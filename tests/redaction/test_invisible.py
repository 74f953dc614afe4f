"""Invisible and look-alike characters must not walk personal data past redaction.

The fuzz tests hide known PII behind zero-width characters, soft hyphens, non-breaking and
narrow spaces, Unicode dashes and fullwidth digits, at random places inside and around it, in
sentences of each language: it must still be redacted, and no invisible character may stay in
the stored text. Text without PII comes back as typed, less its invisible characters.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organize.redaction import redact
from organize.redaction.normalize import fold
from organize.redaction.scoring import is_redacted

FORMAT_CHARS = (
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # BOM / zero-width no-break space
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u202a",  # left-to-right embedding
    "\u2062",  # invisible times
)
SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007", "\u2002", "\u3000", "\u205f")
DASHES = ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d")

# (kind as scored, value): each is caught when typed plainly (asserted below).
PII = (
    ("PHONE", "832-555-0199"),
    ("PHONE", "(713) 555-0142"),
    ("PHONE", "917 461 1626"),
    ("SSN", "234-17-6796"),
    ("ANUMBER", "A 087 654 321"),
    ("EMAIL", "maria.lopez@gmail.com"),
    ("EMAIL", "tony88@yahoo.com"),
    ("PERSON", "Maria Lopez"),
    ("PERSON", "Carmen Reyes"),
    ("ADDRESS", "1520 Rosewood Ln Apt 3"),
)
SENTENCES = (
    ("en", "My supervisor told us to call {} if anyone asks about the overtime."),
    ("es", "La encargada dijo que hablaramos con {} si alguien pregunta por las horas."),
    ("en", "they never paid the overtime, write to {} for details"),
    ("es", "No nos pagaban las horas extra. Datos: {}. Gracias."),
    ("tl", "Hindi kami binabayaran ng overtime, tawagan si {} para sa detalye."),
    ("ht", "Patwon an pa peye nou, rele {} pou plis enfòmasyon."),
    ("zh", "老板不给加班费，请联系{}了解情况。"),
)
CLEAN = (
    "Golden Wok paid $7.25 an hour, 60 hours a week, March 2024, in Los Angeles.",
    "La tienda El Sol no paga horas extra desde 2019\u20132021 y nadie dice nada.",
    "The night shift at Bright Star Laundry runs 10pm\u20136am, no breaks, no water.",
    "我们每天工作十二个小时，老板不给加班费。",
    "Patwon an pa peye nou depi twa semèn, nou travay 60 èdtan.",
    "Hindi kami binabayaran ng overtime sa pabrika sa Queens.",
)


def _variant(draw: st.DrawFn, value: str) -> str:
    """``value`` with look-alikes swapped in and invisible characters sprinkled through it."""
    chars: list[str] = []
    for ch in value:
        if ch == " " and draw(st.booleans()):
            ch = draw(st.sampled_from(SPACES))
        elif ch == "-" and draw(st.booleans()):
            ch = draw(st.sampled_from(DASHES))
        elif ch.isdigit() and draw(st.integers(0, 3)) == 0:
            ch = chr(0xFF10 + int(ch))  # fullwidth digit
        chars.append(ch)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(chars)))
        chars.insert(position, draw(st.sampled_from(FORMAT_CHARS)))
    return "".join(chars)


@st.composite
def hidden_pii(draw: st.DrawFn) -> tuple[str, str, str, str]:
    kind, value = draw(st.sampled_from(PII))
    lang, sentence = draw(st.sampled_from(SENTENCES))
    return kind, value, lang, sentence.format(_variant(draw, value))


@st.composite
def sprinkled(draw: st.DrawFn) -> str:
    text = list(draw(st.sampled_from(CLEAN)))
    for _ in range(draw(st.integers(1, 6))):
        text.insert(draw(st.integers(0, len(text))), draw(st.sampled_from(FORMAT_CHARS)))
    return "".join(text)


def _invisible(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) == "Cf"]


def test_every_value_is_caught_when_typed_plainly() -> None:
    for kind, value in PII:
        for lang, sentence in SENTENCES:
            output = redact(sentence.format(value), lang).text
            assert is_redacted(kind, value, output), (value, output)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden_pii())
def test_hidden_pii_is_still_redacted(case: tuple[str, str, str, str]) -> None:
    kind, value, lang, text = case
    output = redact(text, lang).text
    # Judge what a reader sees: fullwidth digits read as digits, spaces as spaces.
    assert is_redacted(kind, value, fold(output)[0]), output
    assert _invisible(output) == [], output


@settings(max_examples=200, deadline=None)
@given(sprinkled())
def test_text_without_pii_only_loses_its_invisible_characters(text: str) -> None:
    expected = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    assert redact(text).text == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_no_format_character_survives_outside_emoji(text: str) -> None:
    output = redact(text).text
    for position, ch in enumerate(output):
        if unicodedata.category(ch) == "Cf":
            assert ch == "\u200d", repr(output)
            neighbours = output[max(0, position - 1) : position + 2]
            allowed = {"So", "Sk", "Mn", "Me", "Cf"}
            assert all(unicodedata.category(c) in allowed for c in neighbours)


def test_spans_cover_the_whole_original_run() -> None:
    text = "Mi jefe Ma\u200bria Lo\u00adpez, tel 832\u2011555\u20130199."
    result = redact(text, "es")
    pieces = [text[s.start : s.end] for s in result.spans if s.kind != "markup"]
    assert pieces == ["Ma\u200bria Lo\u00adpez", "832\u2011555\u20130199"]
    assert "\u200b" not in result.text
    assert "\u00ad" not in result.text


def test_dropped_invisible_characters_are_not_reported_as_removed_code() -> None:
    result = redact("good\u200b boss\u00ad, call Ma\u200bria")
    assert result.text == "good boss, call [name]"
    assert result.report == {"person": 1}


def test_emoji_sequences_keep_their_joiners() -> None:
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    assert redact(f"good team {family}").text == f"good team {family}"


def test_cyrillic_look_alikes_inside_a_latin_name_are_read_as_latin() -> None:
    assert redact("my boss M\u0430ria L\u043epez yells").text == "my boss [name] yells"
    # A word wholly in Cyrillic is left as it is.
    assert redact("Москва").text == "Москва"


def test_a_hidden_character_cannot_assemble_a_tag() -> None:
    output = redact("<\u200bscript>alert(1)</script>").text
    assert "<script" not in output.casefold()
