"""A moderator's "mask more": a word redaction missed is replaced by a placeholder like the
redaction's own ([name], [phone] …), wherever it occurs in the review. The review's text is
changed in place, so the phrase is kept nowhere — not in the row, not in the audit (which
records the kind and how many were masked)."""

import re

from organize import audit
from organize.extensions import db
from organize.models import Organizer, Review
from organize.plumbing.i18n import N_
from organize.plumbing.text import clean
from organize.redaction.labels import PLACEHOLDERS, placeholders_for

MASK_KINDS = tuple(kind for kind, label in PLACEHOLDERS.items() if label)


class MaskError(ValueError):
    """Refused; `message` is an untranslated msgid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _pattern(phrase: str) -> re.Pattern[str]:
    """The phrase as typed, case-insensitive, any run of spaces for a space; whole words
    where the phrase starts or ends with a letter or digit ("Ana" does not mask "Banana")."""
    words = [re.escape(word) for word in phrase.split()]
    body = r"\s+".join(words)
    start = r"(?<!\w)" if phrase[:1].isalnum() else ""
    end = r"(?!\w)" if phrase[-1:].isalnum() else ""
    return re.compile(start + body + end, re.IGNORECASE)


def mask_more(*, review: Review, phrase: str, kind: str, actor: Organizer) -> int:
    """Replace every occurrence of `phrase` by the placeholder of `kind` in the review's
    language; count it in the redaction report; audit it. Returns how many were masked."""
    phrase = clean(phrase)
    if kind not in MASK_KINDS:
        raise MaskError(N_("Choose what the words are."))
    if len(phrase) < 2 or len(phrase) > 200:
        raise MaskError(N_("Type or select the words to mask (2 to 200 characters)."))
    placeholder = placeholders_for(review.locale)[kind]
    masked, count = _pattern(phrase).subn(placeholder, review.text)
    if not count:
        raise MaskError(N_("Those words are not in the review."))
    review.text = masked
    report = dict(review.redaction_report or {})
    report[kind] = int(report.get(kind, 0)) + count
    review.redaction_report = report
    audit.record(
        actor=actor,
        action="review.mask",
        target_type="review",
        target_id=review.id,
        detail={"kind": kind, "count": count},
    )
    db.session.flush()
    return count
