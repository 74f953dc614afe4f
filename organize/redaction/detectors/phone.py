"""Phone numbers, found by libphonenumber across the regions our members call from.

Recall first: ``Leniency.POSSIBLE`` accepts any number of a plausible length, so the filters
below throw out the digit runs reviews are full of that are not phones (money, year ranges,
dates, clock times, counts with a unit).
"""

from __future__ import annotations

import re
from functools import lru_cache

from organize.redaction.spans import Span

REGIONS: tuple[str, ...] = ("US", "MX", "GT", "SV", "HN", "NI", "CR", "PA")

# Cheap pre-filter: the library is only run on windows that hold 7+ digits in a phone-ish run.
_WINDOW = re.compile(r"[+(]?\d[\d\s().\-/]{5,}\d")
_MONEY_BEFORE = re.compile(r"(?:[$€£]|\b(?:us|usd|mxn|q)\$?)\s*$", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"\s*(?:dollars?|d[oó]lares|bucks|pesos|quetzal(?:es)?|lempiras?|c[oó]lones|usd|mxn|"
    r"cents?|centavos|hours?|hrs?|horas?|days?|d[ií]as|weeks?|semanas?|months?|meses|"
    r"years?|a[nñ]os|miles|millas|km|lbs?|libras|am|pm|a\.m\.|p\.m\.|%)\b",
    re.IGNORECASE,
)
_NOT_A_PHONE = re.compile(
    r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)?\d\d"  # a span of years
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # ISO-style date
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2}|\d{4})"  # day/month/year
    r"|\d{1,3}(?:,\d{3})+(?:\.\d\d)?"  # an amount with thousands separators
)


@lru_cache(maxsize=1)
def _plan() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Regions to always try, and ``(country code, region)`` pairs to try on a prefix match.

    With POSSIBLE leniency a national number matches when its length is possible for the
    region, so a region without national-prefix rules whose lengths are a subset of another's
    adds only time. What it still adds is reading its own country code written without "+"
    ("52 55 1234 5678"), hence the second list. Computed from the library's metadata.
    """
    import phonenumbers

    profiles: dict[str, tuple[frozenset[int], bool]] = {}
    codes: list[tuple[str, str]] = []
    for region in REGIONS:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if meta is None or meta.general_desc is None:
            continue
        desc = meta.general_desc
        lengths = frozenset(desc.possible_length) | frozenset(desc.possible_length_local_only)
        profiles[region] = (lengths, bool(meta.national_prefix or meta.national_prefix_for_parsing))
        codes.append((str(meta.country_code), region))
    always = [
        region
        for region, (lengths, has_prefix) in profiles.items()
        if has_prefix
        or not any(
            lengths < other or (lengths == other and name < region)
            for name, (other, _) in profiles.items()
            if name != region
        )
    ]
    return tuple(always), tuple(codes)


def _is_phone(text: str, start: int, end: int) -> bool:
    raw = text[start:end]
    digits = sum(ch.isdigit() for ch in raw)
    if not 7 <= digits <= 15 or ":" in raw:
        return False
    if _NOT_A_PHONE.fullmatch(raw.strip("()")):
        return False
    if start and text[start - 1].isalpha() and not "\u3400" <= text[start - 1] <= "\u9fff":
        return False  # part of a code: A-numbers, order numbers like AB1234567
    return not (
        _MONEY_BEFORE.search(text, max(0, start - 8), start) or _UNIT_AFTER.match(text, end)
    )


def find_phones(text: str) -> list[Span]:
    """Spans of phone numbers in ``text``."""
    from phonenumbers import Leniency, PhoneNumberMatcher

    spans: set[Span] = set()
    for window in _WINDOW.finditer(text):
        if sum(ch.isdigit() for ch in window.group()) < 7:
            continue
        # A little context on the left lets the matcher see a "+", nothing more is needed.
        lo, hi = max(0, window.start() - 1), window.end()
        chunk = text[lo:hi]
        always, codes = _plan()
        digits = re.sub(r"\D", "", chunk)
        extra = [
            region for code, region in codes if digits.startswith(code) and region not in always
        ]
        for region in (*always, *extra):
            for match in PhoneNumberMatcher(chunk, region, leniency=Leniency.POSSIBLE):
                start, end = lo + match.start, lo + match.end
                if _is_phone(text, start, end):
                    spans.add(Span(start, end, "phone"))
    return sorted(spans)
