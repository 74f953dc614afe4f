"""Which language a text is in: a small detector over words only one language uses often, and
the exact words a catalog gives a message (so a reply from the wrong catalog is caught)."""

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from organize.plumbing.i18n import TRANSLATIONS_DIR, catalog_name

# Frequent short words of each language that the others rarely use (lower-case, no accents kept
# where they tell the languages apart).
COMMON: dict[str, set[str]] = {
    "en": {
        "the",
        "you",
        "your",
        "to",
        "and",
        "of",
        "for",
        "is",
        "press",
        "reply",
        "with",
        "are",
        "we",
        "not",
        "this",
        "what",
        "hear",
        "rights",
        "it",
        "in",
    },
    "es": {
        "el",
        "la",
        "de",
        "que",
        "su",
        "para",
        "por",
        "usted",
        "los",
        "las",
        "y",
        "con",
        "una",
        "es",
        "del",
        "oprima",
        "responda",
        "sus",
        "derechos",
        "le",
    },
    "tl": {
        "ang",
        "ng",
        "mga",
        "sa",
        "kayo",
        "ninyo",
        "para",
        "hindi",
        "namin",
        "ito",
        "na",
        "ay",
        "at",
        "kung",
        "po",
        "pindutin",
        "sumagot",
        "inyong",
        "karapatan",
        "amo",
    },
    "ht": {
        "ou",
        "nou",
        "pou",
        "yo",
        "ki",
        "pa",
        "ak",
        "nan",
        "se",
        "gen",
        "ankò",
        "epi",
        "oswa",
        "peze",
        "tanpri",
        "mwen",
        "li",
        "dwa",
        "reponn",
        "sou",
    },
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def language_of(text: str) -> str:
    """The language `text` is written in: zh by its characters, others by their common words."""
    cjk = len(_CJK.findall(text))
    latin = [w.lower() for w in _WORD.findall(_CJK.sub(" ", text))]
    if cjk and cjk >= len(latin):
        return "zh"
    scores = {code: sum(word in words for word in latin) for code, words in COMMON.items()}
    return max(scores, key=lambda code: scores[code])


@cache
def _catalog(locale: str) -> dict[str, str]:
    path = Path(TRANSLATIONS_DIR) / catalog_name(locale) / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if isinstance(m.id, str) and m.id}


def translated(locale: str, msgid: str, **params: object) -> str:
    """The catalog's words for `msgid` in `locale` (must differ from the English source)."""
    text = _catalog(locale)[msgid]
    assert text, (locale, msgid)
    assert locale == "en" or text != msgid, (locale, msgid)
    return text % params if params else text


def marker(locale: str, msgid: str) -> str:
    """A stretch of the translation no other language's catalog has (the first line of it)."""
    text = translated(locale, msgid).split("\n")[0].split("%(")[0].strip()
    for other in ("en", "es", "zh", "tl", "ht"):
        if other != locale:
            assert text not in _catalog(other).get(msgid, msgid), (locale, other, msgid)
    return text
