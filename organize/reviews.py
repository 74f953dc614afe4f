"""Reviews: redact, submit, moderate and decide what the public may see (DESIGN.md §4.3).

Every channel (web, SMS, voice) goes through `prepare` then `submit`, so the redaction,
k-threshold and random publication delay apply to all of them alike.
"""

import difflib
import re
import secrets
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from organize import audit
from organize.extensions import db
from organize.governance import codes, rules
from organize.models import FLAG_FIELDS, RATING_FIELDS, Employer, Organizer, Review
from organize.plumbing.i18n import N_
from organize.plumbing.text import clean
from organize.redaction import redact
from organize.redaction.labels import PLACEHOLDERS, placeholders_for

# The built-in reasons (the rules' version 1, `governance.rules`); the panel may change them.
REJECTION_REASONS: dict[str, str] = {
    "personal-data": N_("Identifies a person despite redaction"),
    "threat-or-hate": N_("Threats, hate or harassment"),
    "not-about-work": N_("Not about working there"),
    "spam": N_("Spam or advertising"),
    "duplicate": N_("Duplicate of another review"),
    "other": N_("Other"),
}
# Two texts at least this similar (0–1, `similarity`) are one story told twice.
DUPLICATE_SIMILARITY = 0.8
# How many of the employer's latest reviews a new one is compared with.
DUPLICATE_CANDIDATES = 200


class ReviewError(ValueError):
    """The review cannot be taken as it is; `message` is an untranslated msgid for the worker."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Draft:
    """What the worker is shown before submitting: redacted text and what was removed."""

    text: str
    report: dict[str, int]
    locale: str
    #: Advice (in the worker's language) on what may still point at them; shown, not enforced.
    warnings: tuple[str, ...] = ()


@dataclass
class Summary:
    """What an employer page may show: counts and averages, never who or when exactly.

    Below k (DESIGN §4.10) only `some` is set: with one or two reviews, an average *is* a
    review's rating and a flag count names what one worker said, so nothing derived from the
    reviews is shown except that they exist.
    """

    count: int
    averages: dict[str, float | None] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    reviews_shown: bool = False
    some: bool = False


def clean_text(text: str) -> str:
    """The review's text, cleaned of binary junk (see `organize.plumbing.text.clean`)."""
    return clean(text)


def prepare(*, text: str, locale: str) -> Draft:
    """Clean and redact a story so the worker can see exactly what would be stored."""
    cleaned = clean_text(text)
    limit = current_app.config["REVIEW_MAX_CHARS"]
    if not cleaned:
        raise ReviewError(N_("Please tell us about this workplace."))
    if len(cleaned) > limit:
        raise ReviewError(
            N_("Your review is too long (%(count)d characters). Please keep it under %(limit)d."),
            count=len(cleaned),
            limit=limit,
        )
    result = redact(cleaned, locale)
    text_out = result.text.strip()
    if not text_out:
        raise ReviewError(N_("Please tell us about this workplace."))
    return Draft(
        text=text_out,
        report=dict(result.report),
        locale=locale,
        warnings=tuple(w.message for w in result.warnings),
    )


def placeholder_report(text: str, locale: str) -> dict[str, int]:
    """What redaction removed, counted from the placeholders left in the text. SMS and voice
    redact each piece as it arrives (nothing raw waits in conversation state), so by the time
    the story is submitted only its placeholders still say what went."""
    tables = (placeholders_for(locale), placeholders_for("en"))
    counts: dict[str, int] = {}
    for kind in PLACEHOLDERS:
        marks = {table[kind] for table in tables if table.get(kind)}
        if count := sum(text.count(mark) for mark in marks):
            counts[kind] = count
    return counts


def removed(review: Review) -> dict[str, int]:
    """The redaction report to show a moderator, for every channel (rows stored before the
    report was counted from placeholders get it counted now)."""
    counted = placeholder_report(review.text, review.locale)
    stored = review.redaction_report or {}
    return {k: max(int(stored.get(k, 0)), counted.get(k, 0)) for k in {*stored, *counted}}


def new_submission_key() -> str:
    """A random key minted at preview; submitting twice with it inserts one review."""
    return secrets.token_urlsafe(24)


def _check_values(ratings: dict[str, int | None], flags: dict[str, bool | None]) -> None:
    for name, value in ratings.items():
        if name not in RATING_FIELDS or (value is not None and not 1 <= value <= 5):
            raise ReviewError(N_("Ratings go from 1 to 5."))
    for name in flags:
        if name not in FLAG_FIELDS:
            raise ReviewError(N_("Unknown question."))


def submit(
    *,
    employer: Employer,
    text: str,
    locale: str,
    channel: str,
    ratings: dict[str, int | None],
    flags: dict[str, bool | None],
    submission_key: str,
    report: dict[str, int] | None = None,
    status_code: str | None = None,
) -> Review:
    """Store a pending review. `text` is what the worker confirmed; it is redacted again here
    as a safety net, so no channel can store raw text by mistake. Idempotent on the key.
    `status_code` (`codes.mint`, shown to the worker) is kept only as its keyed hash."""
    existing = db.session.scalar(sa.select(Review).where(Review.submission_key == submission_key))
    if existing is not None:
        return existing
    _check_values(ratings, flags)
    draft = prepare(text=text, locale=locale)
    merged = Counter(report or {})
    merged.update(draft.report)
    for kind, count in placeholder_report(draft.text, locale).items():
        merged[kind] = max(merged[kind], count)
    today = datetime.now(UTC).date()
    review = Review(
        duplicate_of_id=_duplicate_of(employer.id, draft.text),
        employer_id=employer.id,
        channel=channel,
        locale=locale,
        text=draft.text,
        redaction_report=dict(merged),
        status="pending",
        submitted_month=date(today.year, today.month, 1),
        submission_key=submission_key,
        status_code_hash=codes.digest(status_code) if status_code else None,
        **ratings,
        **flags,
    )
    db.session.add(review)
    db.session.flush()
    return review


def _words(text: str) -> list[str]:
    """Lower-case words without accents or placeholders: one story typed, texted and spoken
    differs in case, punctuation, accents and in which placeholder redaction wrote."""
    text = re.sub(r"\[[^\]]*\]", " ", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"\w+", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _alike(a: list[str], b: list[str], *, at_least: float = 0.0) -> float:
    """`similarity` on word lists; below `at_least` it may return any lower bound instead
    (difflib's cheap upper bound skips the quadratic match when it cannot reach it)."""
    if not a or not b:
        return 0.0
    jaccard = len(set(a) & set(b)) / len(set(a) | set(b))
    if jaccard >= at_least > 0:
        return jaccard
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return jaccard
    return max(jaccard, matcher.ratio())


def similarity(first: str, second: str) -> float:
    """How alike two redacted texts are (0–1): the better of word-sequence similarity and
    word-set overlap (Jaccard), so a reordered retelling is caught as well as a re-typed one."""
    return _alike(_words(first), _words(second))


def _duplicate_of(employer_id: int, text: str) -> int | None:
    """The earlier review of this employer (any channel, not rejected) telling the same story."""
    rows = db.session.execute(
        sa.select(Review.id, Review.text)
        .where(Review.employer_id == employer_id, Review.status != "rejected")
        .order_by(Review.id.desc())
        .limit(DUPLICATE_CANDIDATES)
    ).all()
    words = _words(text)
    best, best_id = 0.0, None
    for review_id, other in rows:
        score = _alike(words, _words(other), at_least=max(best, DUPLICATE_SIMILARITY))
        if score > best:
            best, best_id = score, review_id
    return best_id if best >= DUPLICATE_SIMILARITY else None


def pending(*, limit: int = 50) -> list[Review]:
    """The moderation queue, oldest first."""
    stmt = sa.select(Review).where(Review.status == "pending").order_by(Review.id).limit(limit)
    return list(db.session.scalars(stmt))


def _publication_delay() -> timedelta:
    low, high = current_app.config["REVIEW_PUBLISH_DELAY_HOURS"]
    hours = low + (high - low) * secrets.SystemRandom().random()
    return timedelta(hours=hours)


def approve(*, review: Review, actor: Organizer, distinct: bool = False) -> None:
    """Approve; the review becomes visible after a random delay and once k are visible. A
    review flagged as a near-duplicate stays out of the count until the moderator says it is
    a different story (`distinct`): one person cannot reach k alone over three channels."""
    if review.status != "pending":
        raise ReviewError(N_("This review was already decided."))
    review.status = "approved"
    review.publish_after = datetime.now(UTC) + _publication_delay()
    detail = None
    if distinct and review.duplicate_of_id is not None:
        detail = {"not_duplicate_of": review.duplicate_of_id}
        review.duplicate_of_id = None
    audit.record(
        actor=actor,
        action="review.approve",
        target_type="review",
        target_id=review.id,
        detail=detail,
    )
    db.session.flush()


def reject(*, review: Review, actor: Organizer, reason: str) -> None:
    """Reject under a rule in force; the reason is counted. The redacted text waits
    APPEAL_DAYS for an appeal to the workers' panel, then is dropped (`governance.appeals`)."""
    if not rules.in_force(reason):
        raise ReviewError(N_("Choose a reason."))
    if review.status != "pending":
        raise ReviewError(N_("This review was already decided."))
    review.status, review.rejection_reason = "rejected", reason
    review.rejected_on = datetime.now(UTC).date()
    audit.record(
        actor=actor,
        action="review.reject",
        target_type="review",
        target_id=review.id,
        detail={"reason": reason},
    )
    db.session.flush()


def reinstate(*, review: Review) -> None:
    """The workers' panel overturned a rejection: approved as a moderator would (random delay,
    still subject to k). The panel's decision is audited by `governance.panel`."""
    review.status, review.rejection_reason, review.rejected_on = "approved", None, None
    review.publish_after = datetime.now(UTC) + _publication_delay()
    db.session.flush()


def _eligible(employer_id: int, now: datetime) -> sa.Select[Review]:
    """Approved reviews past their delay, of an employer an organizer has approved (a review
    written against a pending employer waits with it), not held back as a near-duplicate."""
    return (
        sa.select(Review)
        .join(Employer, Employer.id == Review.employer_id)
        .where(
            Review.employer_id == employer_id,
            Review.status == "approved",
            Review.publish_after <= now,
            Review.duplicate_of_id.is_(None),
            Employer.status == "approved",
        )
    )


def _reaches_k(count: int) -> bool:
    return count >= int(current_app.config["REVIEW_K_THRESHOLD"])


def visible_reviews(*, employer: Employer, now: datetime | None = None) -> list[Review]:
    """Approved reviews past their delay, but only once there are at least k of them."""
    now = now or datetime.now(UTC)
    reviews = list(
        db.session.scalars(
            _eligible(employer.id, now).order_by(Review.submitted_month.desc(), Review.id.desc())
        )
    )
    return reviews if _reaches_k(len(reviews)) else []


def summarize(*, employer: Employer, now: datetime | None = None) -> Summary:
    """Counts and per-dimension averages over reviews past their delay, once there are k;
    before that, only whether there are any (see `Summary`)."""
    now = now or datetime.now(UTC)
    reviews = list(db.session.scalars(_eligible(employer.id, now)))
    if not _reaches_k(len(reviews)):
        return Summary(
            count=0,
            averages=dict.fromkeys(RATING_FIELDS),
            flags=dict.fromkeys(FLAG_FIELDS, 0),
            some=bool(reviews),
        )
    averages: dict[str, float | None] = {}
    for name in RATING_FIELDS:
        values = [v for r in reviews if (v := getattr(r, name)) is not None]
        averages[name] = round(sum(values) / len(values), 1) if values else None
    flags = {name: sum(1 for r in reviews if getattr(r, name)) for name in FLAG_FIELDS}
    return Summary(
        count=len(reviews), averages=averages, flags=flags, reviews_shown=True, some=True
    )


def moderation_counts() -> dict[str, Any]:
    """Decisions by outcome and rejection reason, for the public transparency page."""
    by_status = dict(
        db.session.execute(sa.select(Review.status, sa.func.count()).group_by(Review.status)).all()
    )
    by_reason = dict(
        db.session.execute(
            sa.select(Review.rejection_reason, sa.func.count())
            .where(Review.status == "rejected")
            .group_by(Review.rejection_reason)
        ).all()
    )
    return {"status": by_status, "reasons": by_reason}
