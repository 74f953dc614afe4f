"""The redaction pipeline: run each detector, merge their spans, write the placeholders.

Markup is found first on the raw input; the other detectors then see a copy in which every
markup character is blanked to a space (so ``<b>Maria</b> Smith`` reads as the name it shows)
and invisible and look-alike characters are folded (``normalize.py``: "Ma\u200bria",
"917\u2011461\u20131626"). Their spans are mapped back to the input, so a placeholder
replaces the whole original run; format characters are dropped from the output everywhere.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3

from organize.redaction.detectors.address import find_addresses
from organize.redaction.detectors.chinese import find_chinese_names
from organize.redaction.detectors.contact import find_emails, find_urls
from organize.redaction.detectors.ids import find_anumbers, find_ssns
from organize.redaction.detectors.markup import find_markup
from organize.redaction.detectors.person import find_people
from organize.redaction.detectors.phone import find_phones
from organize.redaction.labels import placeholders_for
from organize.redaction.normalize import fold, invisible_spans, is_invisible, to_input
from organize.redaction.quasi import QuasiWarning, quasi_identifiers
from organize.redaction.spans import Span, merge_spans

Detector = Callable[[str], list[Span]]

_STRAY_OPENERS = re.compile(r"<+(?=[A-Za-z!/?])")

#: Detectors run on the masked text, in this order (the order does not affect the result).
STAGES: tuple[Detector, ...] = (
    find_emails,
    find_urls,
    find_ssns,
    find_anumbers,
    find_phones,
    find_addresses,
    find_people,
    find_chinese_names,
)


@dataclass(frozen=True)
class Redaction:
    """The redacted ``text``, the merged ``spans`` over the input, and counts by kind.

    ``warnings`` name what may still point at the writer (``quasi.py``), in the requested
    language, for the preview to show: advice, never a reason to refuse the text.
    """

    text: str
    spans: list[Span] = field(default_factory=list)
    report: dict[str, int] = field(default_factory=dict)
    warnings: tuple[QuasiWarning, ...] = ()


def _mask(text: str, spans: list[Span]) -> str:
    """``text`` with the characters of ``spans`` blanked, keeping line breaks and offsets."""
    if not spans:
        return text
    chars = list(text)
    for span in spans:
        for i in range(span.start, span.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _stray_tag_openers(text: str, markup: list[Span]) -> list[Span]:
    """One-character spans for each ``<`` that would open a tag once the markup is removed.

    ``a<b`` or ``<<b></b>script>`` are not tags to the parser, but ``<b`` or ``<script>`` could
    become one downstream; dropping the ``<`` is the smallest change that rules that out.
    A whole run (``<<<b``) goes at once, so one pass is enough; the loop only proves it.
    """
    extra: list[Span] = []
    while True:
        removed = merge_spans([*markup, *extra])
        kept: list[int] = []
        position = 0
        for span in removed:
            kept.extend(range(position, span.start))
            position = span.end
        kept.extend(range(position, len(text)))
        collapsed = "".join(text[i] for i in kept)
        found = [
            Span(kept[i], kept[i] + 1, "markup")
            for m in _STRAY_OPENERS.finditer(collapsed)
            for i in range(m.start(), m.end())
        ]
        if not found:
            return extra
        extra.extend(found)


def _render(text: str, spans: list[Span], labels: dict[str, str]) -> str:
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(labels[span.kind])
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def _report(text: str, spans: list[Span]) -> dict[str, int]:
    """Counts by kind for the preview; dropped invisible characters are not "code" removed."""
    return dict(
        Counter(
            s.kind
            for s in spans
            if s.kind != "markup" or not all(is_invisible(ch) for ch in text[s.start : s.end])
        )
    )


def redact(text: str, locale: str = "en") -> Redaction:
    """Remove markup and personal data from ``text``, labelling each removal for ``locale``.

    Works without a Flask app: jobs and benchmarks call it directly.
    """
    markup = find_markup(text)
    invisible = invisible_spans(text)
    if "<" in text:
        # Dropped invisible characters count as removed: "<\u200bb>" must not become "<b>".
        markup += _stray_tag_openers(text, markup + invisible)
    folded, index = fold(_mask(text, markup))
    detected: list[Span] = []
    for detect in STAGES:
        detected.extend(detect(folded))
    spans = merge_spans([*markup, *invisible, *to_input(detected, index)])
    output = _render(text, spans, placeholders_for(locale))
    if "<" in output and nh3.is_html(output):
        # Safety net, not expected to fire: never hand back something a browser would parse.
        output = output.replace("<", "‹")
    return Redaction(
        text=output,
        spans=spans,
        report=_report(text, spans),
        warnings=quasi_identifiers(folded, locale),
    )
