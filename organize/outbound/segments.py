"""SMS length: encoding (GSM-7 or UCS-2) and segment counts, with the gsm0338 codec.

GSM-7 fits 160 characters in one segment, 153 per part when split; anything outside it (á, í,
ó, ú, Chinese, emoji) makes the whole message UCS-2: 70, then 67 per part (UTF-16 code units).
Extension characters (€, [, ] …) take two GSM-7 septets.
"""

from dataclasses import dataclass

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec

MAX_BODY = 1600
GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# Look-alikes that silently force UCS-2; "smart encoding" swaps them for GSM-7 ones.
SMART_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "-",
}


@dataclass(frozen=True)
class Segments:
    """How a body travels: its encoding, length in units, and number of segments."""

    encoding: str
    units: int
    count: int


def _alphabet() -> tuple[frozenset[str], frozenset[str]]:
    """GSM-7's basic and extension characters, read from the codec once (not a hand table):
    every basic septet decodes alone; extension characters are ESC (0x1B) + a septet."""
    basic = {bytes([b]).decode("gsm03.38", errors="ignore") for b in range(128) if b != 0x1B}
    extension = {
        ch
        for b in range(128)
        if (ch := bytes([0x1B, b]).decode("gsm03.38", errors="ignore")) and len(ch) == 1
    } - basic
    return frozenset(c for c in basic if len(c) == 1), frozenset(extension)


_BASIC, _EXTENSION = _alphabet()
_ALL = _BASIC | _EXTENSION


def is_gsm7(text: str) -> bool:
    """True when every character has a GSM 03.38 encoding."""
    return all(ch in _ALL for ch in text)


def measure(text: str) -> Segments:
    """Encoding, units (septets or UTF-16 code units) and segment count of a body."""
    if is_gsm7(text):
        units = len(text) + sum(1 for ch in text if ch in _EXTENSION)
        single, part, encoding = GSM7_SINGLE, GSM7_PART, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "UCS-2"
    count = 1 if units <= single else -(-units // part)
    return Segments(encoding=encoding, units=units, count=count)


def smart_encode(text: str) -> str:
    """Swap typographic look-alikes for their GSM-7 equivalents."""
    return "".join(SMART_REPLACEMENTS.get(ch, ch) for ch in text)


def fits(text: str, max_segments: int = 3) -> bool:
    """Within the segment budget and Twilio's 1,600-character body limit."""
    return len(text) <= MAX_BODY and measure(text).count <= max_segments


def split_pages(text: str, budget: int) -> list[str]:
    """Cut text into pages of at most `budget` units each, at word boundaries when possible."""
    pages: list[str] = []
    rest = text.strip()
    while rest:
        if measure(rest).units <= budget:
            pages.append(rest)
            break
        cut = _longest_prefix(rest, budget)
        space = rest.rfind(" ", 0, cut)
        if space > cut // 2:
            cut = space
        pages.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return pages


def _longest_prefix(text: str, budget: int) -> int:
    """Largest n such that text[:n] measures within budget (binary search)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]).units <= budget:
            low = middle
        else:
            high = middle - 1
    return low


# Accented vowels GSM-7 lacks (it has é, ñ, ü, ¿, ¡). Texting without them is how most people
# write Spanish by SMS, and it keeps a reply in 160-character GSM-7 segments instead of 70.
_PLAIN_VOWELS = str.maketrans("áíóúÁÍÓÚ", "aiouAIOU")


def plain_spelling(text: str) -> str:
    """The GSM-7 spelling of a reply when dropping those accents is all it takes; else as is."""
    if is_gsm7(text):
        return text
    plain = smart_encode(text).translate(_PLAIN_VOWELS)
    return plain if is_gsm7(plain) else text
