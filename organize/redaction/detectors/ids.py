"""Government identifiers: SSN/ITIN (reported as ``ssn``) and immigration A-numbers.

Both are nine digits at heart, as are many phone numbers; the merge rule gives these kinds
precedence over ``phone`` for the same characters, so the label says what was there.
"""

from __future__ import annotations

import re

from organize.redaction.spans import Span

_SEP = r"[-.\s]?"
# ddd-dd-dddd with a consistent-looking separator; ITINs (9xx-[5-9]x-xxxx) share the shape.
_SSN_SHAPE = re.compile(r"(?<![\d-])\d{3}([-.\s])\d{2}\1\d{4}(?![\d-])")
_SSN_CUE = re.compile(
    r"\b(?:ssn|ss#|s\.s\.n?\.?|social(?:\s+security)?|seguro\s+social|itin|tax\s+id"
    r"|n[uú]mero\s+de\s+(?:seguro|identificaci[oó]n)|tin)\b"
    rf"[^\d\n]{{0,25}}?(\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# A + 8 or 9 digits: A018427393, A-123-456-789, A# 12345678, "número A 123456789".
_A_NUMBER = re.compile(
    r"(?<![\w-])(?:A|a(?=[-#\d]))\s?[-#:.]?\s?(?:\d{3}[-\s]?\d{3}[-\s]?\d{3}|\d{8})(?![\d-])"
)
_A_CUE = re.compile(
    r"\b(?:a[-\s]?(?:number|num|no|#)|alien\s+(?:registration\s+)?(?:number|no|#)"
    r"|n[uú]mero\s+(?:de\s+)?(?:a|extranjero|alien|de\s+registro)|uscis\s*(?:number|no|#)?)"
    r"\b[^\d\n]{0,20}?((?:\d{3}[-\s]?\d{3}[-\s]?\d{3}|\d{8}))(?![\d-])",
    re.IGNORECASE,
)


def find_ssns(text: str) -> list[Span]:
    """Spans of SSNs and ITINs: the ddd-dd-dddd shape, or nine digits after a cue word."""
    spans = [Span(m.start(), m.end(), "ssn") for m in _SSN_SHAPE.finditer(text)]
    spans += [Span(m.start(1), m.end(1), "ssn") for m in _SSN_CUE.finditer(text)]
    return spans


def find_anumbers(text: str) -> list[Span]:
    """Spans of A-numbers, written with the A or announced by a cue ("alien number ...")."""
    spans = [Span(m.start(), m.end(), "anumber") for m in _A_NUMBER.finditer(text)]
    spans += [Span(m.start(1), m.end(1), "anumber") for m in _A_CUE.finditer(text)]
    return spans
