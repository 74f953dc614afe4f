"""What a status code shows, appeals of a rejection, and flags on published reviews.

A case (`PanelCase`) holds the review it is about, the rule, a short reason (redacted like a
review) and days — never who raised it: no number, no session, no address, no exact time. An
employer may flag a review too, and learns nothing about who wrote it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from organize.extensions import db
from organize.governance import rules
from organize.models import PanelCase, Review
from organize.ops.retention import register_purge
from organize.plumbing.i18n import N_
from organize.plumbing.text import clean
from organize.redaction import redact

REASON_MAX = 500


class CaseError(ValueError):
    """The appeal or flag cannot be taken; `message` is an untranslated msgid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Status:
    """What a code may tell: the review's state, the rule it broke, its appeal. No text, no
    employer, no date: a code found by chance must not reveal the review."""

    state: str  # "waiting", "approved" or "rejected"
    rule: str | None  # the broken rule's title, in the reader's language
    appeal: str | None  # None, "open", "overturned" or "upheld"
    can_appeal: bool


def today() -> date:
    """The day, in UTC (cases keep days only)."""
    return datetime.now(UTC).date()


def _appeal_of(review: Review) -> PanelCase | None:
    return db.session.scalar(
        sa.select(PanelCase).where(PanelCase.kind == "appeal", PanelCase.review_id == review.id)
    )


def status_of(review: Review) -> Status:
    """The review's status as its code shows it."""
    case = _appeal_of(review)
    appeal = case.status if case is not None else None
    if review.status == "rejected":
        rule = rules.titles().get(review.rejection_reason or "", review.rejection_reason)
        return Status("rejected", rule, appeal, case is None and bool(review.text))
    return Status(review.status if review.status == "approved" else "waiting", None, appeal, False)


def _reason(text: str, locale: str) -> str:
    return redact(clean(text)[:REASON_MAX], locale).text.strip()


def open_case(**values: object) -> PanelCase:
    """A case for the panel, open for PANEL_VOTE_DAYS from today."""
    opened = today()
    days = int(current_app.config["PANEL_VOTE_DAYS"])
    case = PanelCase(opened_on=opened, closes_on=opened + timedelta(days=days), **values)
    db.session.add(case)
    db.session.flush()
    return case


def appeal(*, review: Review, reason: str, locale: str) -> PanelCase:
    """Appeal a rejection (once per review, while its text is still kept)."""
    if not status_of(review).can_appeal:
        raise CaseError(N_("This review cannot be appealed."))
    return open_case(
        kind="appeal",
        review_id=review.id,
        rule_key=review.rejection_reason,
        reason=_reason(reason, locale),
        locale=locale,
    )


def flaggable(review: Review) -> bool:
    """Only reviews the public can see may be flagged (by anyone)."""
    now = datetime.now(UTC)
    return (
        review.status == "approved"
        and review.publish_after is not None
        and review.publish_after <= now
    )


def flag(*, review: Review, rule_key: str, reason: str, locale: str) -> PanelCase:
    """Flag a published review as breaking a rule; while one flag is open, more join it."""
    if not flaggable(review) or not rules.in_force(rule_key):
        raise CaseError(N_("This review cannot be flagged."))
    waiting = db.session.scalar(
        sa.select(PanelCase).where(
            PanelCase.kind == "flag", PanelCase.review_id == review.id, PanelCase.status == "open"
        )
    )
    if waiting is not None:
        return waiting
    return open_case(
        kind="flag",
        review_id=review.id,
        rule_key=rule_key,
        reason=_reason(reason, locale),
        locale=locale,
    )


def purge_unappealed(now: datetime) -> int:
    """Drop the redacted text of rejected reviews nobody appealed within APPEAL_DAYS."""
    cutoff = now.date() - timedelta(days=int(current_app.config["APPEAL_DAYS"]))
    appealed = sa.select(PanelCase.review_id).where(
        PanelCase.kind == "appeal", PanelCase.status == "open", PanelCase.review_id.is_not(None)
    )
    result = db.session.execute(
        sa.update(Review)
        .where(
            Review.status == "rejected",
            Review.text != "",
            sa.or_(Review.rejected_on.is_(None), Review.rejected_on < cutoff),
            Review.id.not_in(appealed),
        )
        .values(text="")
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


register_purge("unappealed-texts", purge_unappealed)
