"""Fold invisible and look-alike characters before detecting, and map spans back.

A zero-width space inside a phone number, a soft hyphen inside a name, a non-breaking hyphen
or an en dash between digits, fullwidth digits, a Cyrillic "а" inside "Maria": each defeats a
detector that reads the text as typed. Detectors therefore read a *folded* copy, and every
span they report is mapped back to the characters of the input it came from, so the
placeholder replaces the whole original run, invisible characters included.

Folding, per input character:
- format characters (category Cf: zero-width space/joiner/non-joiner, word joiner, soft
  hyphen, BOM, bidi controls ...) are dropped;
- NFKC (fullwidth digits and letters, ligatures, superscripts, compatibility spaces);
- every space separator becomes " ", line/paragraph separators "\\n", dashes and minus "-";
- a space is added where ideographs meet Latin letters or digits ("联系maria@x.com了解"),
  so detectors see the word boundary Chinese writes without;
- a Cyrillic or Greek letter that looks Latin becomes that Latin letter when its word also
  holds Latin letters ("Mаria" with a Cyrillic а), so genuine Cyrillic or Greek words stay.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from organize.redaction.spans import Span

_DASHES = frozenset("\u2212\u2043\ufe63\uff0d\u00ad")
# Cyrillic and Greek letters that render like Latin ones (a small, common subset of
# Unicode's confusables: enough for a name or an e-mail typed to dodge a filter).
_CONFUSABLES: dict[str, str] = {
    cyr: lat
    for pair in (
        "АA ВB ЕE КK МM НH ОO РP СC ТT ХX аa еe оo рp сc уy хx іi јj ѕs ԁd ӏl кk"
        " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX οo νv ρp"
    ).split()
    for cyr, lat in [tuple(pair)]
}
# A run of letters that mixes Latin with Cyrillic/Greek look-alikes.
_MIXED_WORD = re.compile(
    r"[^\W\d_]*(?:[A-Za-zÀ-ɏ][^\W\d_]*[" + "".join(_CONFUSABLES) + r"]"
    r"|[" + "".join(_CONFUSABLES) + r"][^\W\d_]*[A-Za-zÀ-ɏ])[^\W\d_]*"
)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """What one input character reads as to the detectors ("" when it is dropped)."""
    category = unicodedata.category(ch)
    if category == "Cf":
        return ""
    if category == "Zs":
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Pd" or ch in _DASHES:
        return "-"
    folded = unicodedata.normalize("NFKC", ch)
    if folded == ch:
        return ch
    return "".join(_fold_char(c) if c != ch else c for c in folded)


def _ideographic(ch: str) -> bool:
    """Chinese, Japanese kana or Korean: scripts written without spaces between words."""
    return "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff"


def _latin_edge(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "@+(#")


def is_invisible(ch: str) -> bool:
    """Whether ``ch`` is a format character, dropped both for detection and from the output."""
    return not ch.isascii() and unicodedata.category(ch) == "Cf"


def fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` as the detectors read it, and the input offset of each folded character.

    The offsets list has one extra entry, ``len(text)``, so an end offset maps too. It is
    ``None`` when folding changed nothing (all-ASCII text, the common case): offsets agree.
    """
    if text.isascii():
        return text, None
    parts: list[str] = []
    index: list[int] = []
    changed = False
    previous = " "
    for position, ch in enumerate(text):
        folded = _fold_char(ch) if not ch.isascii() else ch
        if folded != ch:
            changed = True
        if folded and (_ideographic(previous) != _ideographic(folded[0])):
            if _latin_edge(previous) or _latin_edge(folded[0]):
                # "联系maria@gmail.com了解": Chinese has no spaces, so a word boundary is
                # made visible where Latin letters or digits meet ideographs.
                parts.append(" ")
                index.append(position)
                changed = True
        parts.append(folded)
        index.extend([position] * len(folded))
        if folded:
            previous = folded[-1]
    folded_text = "".join(parts)
    if any(c in _CONFUSABLES for c in folded_text):
        chars = list(folded_text)
        for match in _MIXED_WORD.finditer(folded_text):
            for i in range(match.start(), match.end()):
                chars[i] = _CONFUSABLES.get(chars[i], chars[i])
        swapped = "".join(chars)
        changed = changed or swapped != folded_text
        folded_text = swapped
    if not changed:
        return text, None
    index.append(len(text))
    return folded_text, index


def to_input(spans: list[Span], index: list[int] | None) -> list[Span]:
    """Map spans over the folded text back to the input characters they came from."""
    if index is None:
        return spans
    return [Span(index[s.start], index[s.end - 1] + 1, s.kind) for s in spans if s.end > s.start]


_EMOJI_NEIGHBOURS = frozenset({"So", "Sk", "Mn", "Me"})


def invisible_spans(text: str) -> list[Span]:
    """One-character ``markup`` spans for each format character to drop from the output.

    A zero-width joiner between two emoji (family, profession and skin-tone sequences) is
    kept: it carries no hidden word, and dropping it would split the picture.
    """
    if text.isascii():
        return []
    spans = []
    for position, ch in enumerate(text):
        if not is_invisible(ch):
            continue
        if ch == "\u200d" and 0 < position < len(text) - 1:
            before, after = text[position - 1], text[position + 1]
            if (
                unicodedata.category(before) in _EMOJI_NEIGHBOURS
                and unicodedata.category(after) in _EMOJI_NEIGHBOURS
            ):
                continue
        spans.append(Span(position, position + 1, "markup"))
    return spans
