"""Name gazetteers, built once on first use from Faker's locale providers and our lists.

``data/gazetteer_first.txt`` and ``gazetteer_last.txt`` add the names of the countries our
members come from (written by ``scripts/build_gazetteer.py`` from ``names-dataset``).

Faker's import costs ~0.1 s, so nothing here runs at import time; ``gazetteer()`` builds the
sets on the first call and caches them (``bench/redaction.py`` prints the one-off cost).
Lookups use ``fold``: lower-case without accents, so "Jose", "José" and "JOSÉ" match alike.
"""

from __future__ import annotations

import importlib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# en_US for the US; es_MX, es_CO, es_ES, es_AR and es_CL cover the Spanish-speaking members'
# naming; the Central American locales are not in Faker, and these overlap them heavily.
_LOCALES = ("en_US", "es_MX", "es_CO", "es_ES", "es_AR", "es_CL")
_DATA = Path(__file__).resolve().parent / "data"


def fold(word: str) -> str:
    """Lower-case ``word`` and strip accents, the key every list here is stored under."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(filename: str) -> frozenset[str]:
    """One folded word per line of ``data/<filename>``; ``#`` starts a comment."""
    text = (_DATA / filename).read_text(encoding="utf-8")
    return frozenset(fold(w) for line in text.splitlines() for w in line.split("#", 1)[0].split())


def _built(filename: str) -> set[str]:
    """The names in a list written by ``scripts/build_gazetteer.py`` (already folded)."""
    text = (_DATA / filename).read_text(encoding="utf-8")
    if text.startswith("#"):  # the one header line
        text = text.partition("\n")[2]
    return set(text.split())  # one word a line: split() runs in C


@dataclass(frozen=True)
class Gazetteer:
    """Folded name lists and the common words that must not be read as names on their own."""

    first: frozenset[str]
    last: frozenset[str]
    known: frozenset[str]  # first | last, precomputed: it is consulted for every word
    #: Names that are also everyday words ("Will", "Rosa", "Domingo", "Brown"): a name only in
    #: context (after a cue, an honorific or next to an unambiguous name).
    ambiguous: frozenset[str]
    #: Words that are never a name: months, weekdays, role words, short function words.
    never: frozenset[str]
    #: Frequent words that are never a name when written in lower case ("said", "may").
    common: frozenset[str]


def _provider_names(locale: str, attribute: str) -> set[str]:
    module = importlib.import_module(f"faker.providers.person.{locale}")
    values = module.Provider.__dict__.get(attribute, ())  # own attribute, not the inherited one
    if not isinstance(values, tuple | list | dict):
        return set()  # some providers compute the list in a property; the others cover it
    if attribute == "last_names":  # compound surnames: "De la Cruz" adds "cruz"
        return {fold(part) for value in values for part in str(value).split()}
    # Multi-word first names ("Juan Ignacio") list their parts on their own too; splitting
    # them would add strays like a "Smith" from "John Smith".
    return {fold(str(value)) for value in values if " " not in str(value)}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build (once) the first-name and surname sets from Faker plus our own word lists."""
    from faker.providers.lorem.en_US import Provider as EnglishWords

    first: set[str] = set()
    last: set[str] = set()
    for locale in _LOCALES:
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            first |= _provider_names(locale, attribute)
        last |= _provider_names(locale, "last_names")
    first |= _words("nicknames.txt") | _built("gazetteer_first.txt")
    last |= _built("gazetteer_last.txt")
    never = _words("not_names.txt")
    particles = {"de", "del", "la", "las", "los", "y", "i", "e", "van", "von", "da", "di"}
    first -= never | particles
    last -= never | particles
    common = {fold(word) for word in EnglishWords.word_list} | _words("ambiguous_names.txt")
    known = frozenset(first).union(last)  # one union, reused: these sets hold ~70,000 names
    return Gazetteer(
        first=frozenset(first),
        last=frozenset(last),
        known=known,
        ambiguous=frozenset(common & known),
        never=never,
        common=_words("common_words.txt"),
    )
