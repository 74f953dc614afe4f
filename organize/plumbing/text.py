"""Text normalization shared by search, dedup and keyword matching."""

import re
import unicodedata
from functools import cache

from organize.plumbing.confusables import skeleton

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_LEGAL_SUFFIXES = ("llc", "inc", "co", "corp", "ltd", "company", "sa", "de", "cv", "srl")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'José  ÁLVAREZ' → 'jose alvarez'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def match_key(text: str) -> str:
    """`fold`, then Unicode's confusable skeleton: the key employer dedup and search share.

    The skeleton is taken of the upper case (so Cyrillic 'Н', 'н' and Latin 'H', 'h' all meet at
    'h', and 'I', 'i', 'l', 'L' at 'l'), then folded again; invisible format characters (zero-width
    space, joiners) are dropped first. Keys are for matching, never shown.
    """
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # zero-width etc.
    return fold(skeleton(fold(visible).upper()))


@cache
def _legal_suffix_keys() -> frozenset[str]:
    return frozenset(match_key(suffix) for suffix in _LEGAL_SUFFIXES)  # 'llc' → 'iic'


def name_key(name: str) -> str:
    """Key for deduplicating employer names: `match_key`, trailing legal suffixes dropped."""
    words = match_key(name).split()
    while len(words) > 1 and words[-1] in _legal_suffix_keys():
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
