"""Strip personal data from review text before any human sees it.

``redact(text, locale)`` returns the redacted text, the spans it removed (over the input) and
counts by kind. See ``pipeline.py`` for the stages and ``spans.py`` for the merge rule.
"""

from organize.redaction.pipeline import Redaction, redact
from organize.redaction.spans import KINDS, Span

__all__ = ["KINDS", "Redaction", "Span", "redact"]
