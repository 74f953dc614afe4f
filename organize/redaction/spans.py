"""Spans over the input text and the rule that merges overlapping detections."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

#: Every kind a detector may report, most specific first.
KINDS: tuple[str, ...] = (
    "markup",
    "email",
    "url",
    "ssn",
    "anumber",
    "phone",
    "address",
    "person",
)

# Lower number wins a tie: a 9-digit SSN is also a "possible" phone number, an A-number is
# too, and a name inside an address is part of the address.
_PRIORITY: dict[str, int] = {kind: rank for rank, kind in enumerate(KINDS)}


class Span(NamedTuple):
    """Half-open ``[start, end)`` range of the *input* string holding one kind of PII."""

    start: int
    end: int
    kind: str

    @property
    def length(self) -> int:
        """Characters covered; used to pick the kind of a merged span."""
        return self.end - self.start


def _stronger(a: Span, b: Span) -> Span:
    """The span whose kind a merge keeps: the longer one, ties broken by ``KINDS`` order."""
    if a.length != b.length:
        return a if a.length > b.length else b
    return a if _PRIORITY[a.kind] <= _PRIORITY[b.kind] else b


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sort spans and merge the ones that overlap.

    Rule: overlapping spans (sharing at least one character) become one span covering their
    union; its kind is the kind of the longest constituent, ties going to the kind listed first
    in ``KINDS``. Spans that merely touch stay separate so each keeps its own placeholder.
    Markup never merges with text PII: it is removed rather than labelled, and swallowing a
    name into a tag (or the reverse) would either leak the name or print a bogus label.
    """
    ordered = sorted((s for s in spans if s.end > s.start), key=lambda s: (s.start, -s.end, s.kind))
    merged: list[Span] = []
    winners: list[Span] = []  # the constituent whose kind each merged span carries
    for span in ordered:
        if not merged or span.start >= merged[-1].end:
            merged.append(span)
            winners.append(span)
            continue
        last = merged[-1]
        if (span.kind == "markup") == (last.kind == "markup"):
            winners[-1] = _stronger(winners[-1], span)
            merged[-1] = Span(last.start, max(last.end, span.end), winners[-1].kind)
        elif span.end > last.end:
            # Markup against text PII: keep the earlier span whole, clip the later one.
            merged.append(Span(last.end, span.end, span.kind))
            winners.append(merged[-1])
    return merged
