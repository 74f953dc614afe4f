"""What needs an organizer's attention, for the console's first page.

`attention_counts()` is the hook: one `Attention` per kind of waiting work, with a count and a
link. Other parts of the console add theirs here (the reply inbox adds "replies unanswered" in
`_replies_unanswered`); a kind with nothing to count returns None and is left off the page.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import ngettext

from organize import rights
from organize.campaign import inbox
from organize.extensions import db
from organize.models import ActionNotice, Alert, Organizer, Review


@dataclass(frozen=True)
class Attention:
    """One line of the dashboard: what waits (already in the organizer's language), how many,
    and where to act on it."""

    key: str
    label: str
    count: int
    url: str


def _count(stmt: sa.Select[Any]) -> int:
    return int(db.session.scalar(stmt) or 0)


def topics_due_for_review(*, today: date | None = None) -> list[rights.DueForReview]:
    """Rights topics never reviewed, reviewed longer ago than RIGHTS_REVIEW_MAX_AGE_DAYS, or
    whose sources changed since their review (`organize.rights.due_for_review`)."""
    return rights.due_for_review(today=today)


def _replies_unanswered() -> int | None:
    """Replies to alerts waiting for an answer (the reply inbox's threads)."""
    return inbox.unanswered_replies()


def attention_counts(organizer: Organizer) -> list[Attention]:
    """What this organizer's roles let them act on, with counts (zero included) and links."""
    count = sa.select(sa.func.count())
    items: list[Attention] = []
    if organizer.can("moderator"):
        num = _count(count.select_from(Review).where(Review.status == "pending"))
        label = ngettext(
            "%(num)d review is waiting for moderation.",
            "%(num)d reviews are waiting for moderation.",
            num,
        )
        items.append(Attention("reviews", label, num, url_for("organizer.moderation")))
    if organizer.can("organizer"):
        num = _count(count.select_from(ActionNotice).where(ActionNotice.status == "pending"))
        label = ngettext(
            "%(num)d action report is waiting for verification.",
            "%(num)d action reports are waiting for verification.",
            num,
        )
        items.append(Attention("notices", label, num, url_for("organizer.notice_queue")))
        replies = _replies_unanswered()
        if replies is not None:
            label = ngettext(
                "%(num)d reply is waiting for an answer.",
                "%(num)d replies are waiting for an answer.",
                replies,
            )
            items.append(Attention("replies", label, replies, url_for("organizer.inbox_list")))
        sending = Alert.status.in_(("sending", "scheduled"))
        num = _count(count.select_from(Alert).where(sending))
        label = ngettext(
            "%(num)d alert is sending or scheduled.",
            "%(num)d alerts are sending or scheduled.",
            num,
        )
        items.append(Attention("alerts", label, num, url_for("organizer.alert_list")))
    num = len(topics_due_for_review())
    label = ngettext(
        "%(num)d rights topic is due for review.", "%(num)d rights topics are due for review.", num
    )
    items.append(Attention("topics", label, num, url_for("organizer.dashboard", _anchor="topics")))
    return items
