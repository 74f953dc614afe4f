"""Text normalization shared by search, dedup and keyword matching."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_LEGAL_SUFFIXES = {"llc", "inc", "co", "corp", "ltd", "company", "sa", "de", "cv", "srl"}


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'José  ÁLVAREZ' → 'jose alvarez'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def name_key(name: str) -> str:
    """Key for deduplicating employer names: folded, with trailing legal suffixes dropped."""
    words = fold(name).split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def slugify(text: str) -> str:
    """URL slug from folded text."""
    return fold(text).replace(" ", "-")[:200] or "employer"


def clean(text: str) -> str:
    """NFC-normalize and drop control, surrogate and private-use characters; keep line breaks."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs", "Co"}
    ).strip()


_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry, so TwiML always parses."""
    return _XML_INVALID.sub("", text)
