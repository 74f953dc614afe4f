"""Score redaction on a labeled corpus, by the rules of ``shared/pii/README.md``.

Shared by ``tests/redaction/test_corpus.py`` and ``bench/redaction.py`` so the floors the tests
enforce and the figures the benchmark prints can never disagree.

Recall, per labeled item, counted per type:
- PHONE, SSN, ANUMBER: the item's digits (the last 7 for phones) no longer occur in the
  output's digits-only string;
- EMAIL: the local part no longer occurs (case-insensitive);
- ADDRESS: neither the whole value nor "house number + first street word" occurs. For the
  number-first form that is ``285 Main``; for the number-last form ("Calle Hidalgo 123") it is
  the first word followed, on the same line, by the number;
- PERSON: no token of the name survives as a whole word (case-sensitive: a lower-case "linda"
  elsewhere is a different word), honorifics and the particles de/la/del excepted;
- URL (only in our own cases): the value no longer occurs (case-insensitive).
Chinese has no spaces between words, so a "whole word" there is any occurrence.
Precision: of the words of 4+ letters outside every labeled span, the share still present as
whole words in the output. Separately, every ``keep`` word must survive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STRUCTURED = ("PHONE", "EMAIL", "SSN", "ANUMBER", "ADDRESS")
TYPES = (*STRUCTURED, "PERSON")
_EXEMPT = {"mr.", "mrs.", "ms.", "don", "doña", "sr.", "sra.", "de", "la", "del"}
_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class Case:
    """One labeled review: ``pii`` holds ``{"type", "value", "start", "end"}`` items."""

    id: str
    lang: str
    text: str
    pii: list[dict[str, Any]]
    keep: list[str]


def load_cases(path: Path) -> list[Case]:
    """Read a JSON-lines corpus in the ``dev.jsonl`` format."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(Case(row["id"], row["lang"], row["text"], row["pii"], row["keep"]))
    return cases


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _has_word(word: str, text: str, flags: int = 0) -> bool:
    if _CJK.search(word):  # Chinese runs have no spaces: a word is any occurrence
        return word in text
    # A Chinese character next to a Latin word is a boundary ("工头Michael说").
    edge = r"[^\W\u3400-\u9fff]"
    return re.search(rf"(?<!{edge}){re.escape(word)}(?!{edge})", text, flags) is not None


def is_redacted(kind: str, value: str, output: str) -> bool:
    """Whether the labeled ``value`` of ``kind`` is gone from ``output``."""
    if kind in ("PHONE", "SSN", "ANUMBER"):
        digits = _digits(value)
        return (digits[-7:] if kind == "PHONE" else digits) not in _digits(output)
    if kind == "EMAIL":
        local = re.split(r"@|\s*[\[(]?\b(?:at|arroba)\b", value, maxsplit=1)[0].strip()
        return local.casefold() not in output.casefold()
    if kind == "ADDRESS":
        if value in output:
            return False
        words = re.findall(r"\w+", value)
        number = next((w for w in words if w.isdigit()), None)
        if number is None or len(words) < 2:
            return True
        if words[0] == number:
            probe = rf"(?<!\w){number}\s+{re.escape(words[1])}(?!\w)"
        else:
            probe = rf"(?<!\w){re.escape(words[0])}(?!\w)[^\n]{{0,40}}?(?<!\d){number}(?!\d)"
        return re.search(probe, output) is None
    if kind == "PERSON":
        tokens = [t for t in value.split() if t.casefold() not in _EXEMPT]
        return not any(_has_word(t.strip(".,"), output) for t in tokens if t.strip(".,"))
    return value.casefold() not in output.casefold()


@dataclass
class Score:
    """Recall per type, precision, and what went wrong, for printing and asserting."""

    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    kept_words: int = 0
    all_words: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    lost_words: list[tuple[str, str]] = field(default_factory=list)
    lost_keep: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, kind: str) -> float | None:
        """Share of ``kind`` items redacted; None when the corpus has none."""
        total = self.total.get(kind, 0)
        return self.found.get(kind, 0) / total if total else None

    @property
    def precision(self) -> float:
        """Share of ordinary 4+-letter words that survived."""
        return self.kept_words / self.all_words if self.all_words else 1.0


def score(cases: Iterable[Case], redact: Callable[[str, str], str]) -> Score:
    """Run ``redact(text, lang)`` over ``cases`` and score the outputs."""
    result = Score()
    for case in cases:
        output = redact(case.text, case.lang)
        for item in case.pii:
            kind = item["type"]
            result.total[kind] = result.total.get(kind, 0) + 1
            if is_redacted(kind, item["value"], output):
                result.found[kind] = result.found.get(kind, 0) + 1
            else:
                result.misses.append((case.id, kind, item["value"]))
        outside = list(case.text)
        for item in case.pii:
            outside[item["start"] : item["end"]] = " " * (item["end"] - item["start"])
        survivors = set(_WORD.findall(output))
        for word in _WORD.findall("".join(outside)):
            result.all_words += 1
            if word in survivors:
                result.kept_words += 1
            else:
                result.lost_words.append((case.id, word))
        result.lost_keep += [(case.id, w) for w in case.keep if not _has_word(w, output)]
    return result
