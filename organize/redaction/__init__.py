"""Strip personal data from review text before any human sees it.

``redact(text, locale)`` returns the redacted text, the spans it removed (over the input),
counts by kind, and ``warnings``: what may still point at the writer (advice, never a block).
See ``pipeline.py`` for the stages and ``spans.py`` for the merge rule.
"""

from organize.redaction.pipeline import Redaction, redact
from organize.redaction.quasi import QuasiWarning
from organize.redaction.spans import KINDS, Span

__all__ = ["KINDS", "QuasiWarning", "Redaction", "Span", "redact"]
