"""The workers' panel: rule versions, cases (appeals, flags, rule proposals) and votes.

Nothing here ties a case to a person who raised it: no number, session, address or exact time
(days only). A vote is stored under a keyed hash of case and member, so each member votes once
without the table saying who voted how; only counts are public.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base
from organize.models.reviews import Review

CASE_KINDS = ("appeal", "flag", "rule")
# What a "yes" and a "no" majority mean for each kind (and the case's status once decided).
OUTCOMES = {
    "appeal": ("overturned", "upheld"),
    "flag": ("removed", "kept"),
    "rule": ("adopted", "declined"),
}


class RuleVersion(Base):
    """One version of one moderation rule, as the panel adopted it. Built-in rules (version 1)
    live in the catalogs (`governance.rules.BUILT_IN`); later versions carry their own text per
    language, since a panel vote cannot wait for a release of the catalogs."""

    __tablename__ = "rule_version"
    __table_args__ = (sa.UniqueConstraint("key", "version"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(30), index=True)
    version: so.Mapped[int] = so.mapped_column(sa.SmallInteger)
    # {locale: {"title": …, "explanation": …}}; English at least.
    texts: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    retired: so.Mapped[bool] = so.mapped_column(default=False)
    effective_on: so.Mapped[date] = so.mapped_column(sa.Date)
    case_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("panel_case.id", ondelete="SET NULL")
    )


class PanelCase(Base):
    """Something the panel decides: an appeal of a rejection, a flag on a published review, or
    a proposed rule change. `reason` is redacted text; `proposal` holds a rule change."""

    __tablename__ = "panel_case"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(10), index=True)
    review_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("review.id", ondelete="CASCADE"), index=True
    )
    rule_key: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    locale: so.Mapped[str] = so.mapped_column(sa.String(10), default="en")
    proposal: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default="open", index=True)
    opened_on: so.Mapped[date] = so.mapped_column(sa.Date)
    closes_on: so.Mapped[date] = so.mapped_column(sa.Date)
    decided_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
    votes_yes: so.Mapped[int] = so.mapped_column(default=0)
    votes_no: so.Mapped[int] = so.mapped_column(default=0)

    review: so.Mapped[Review | None] = so.relationship()


class PanelVote(Base):
    """One member's vote on one case. `ballot` is a keyed hash of the case and the member
    (`governance.panel.ballot`): enough to let each member vote once, not to read who voted
    how from the table. The public sees counts only."""

    __tablename__ = "panel_vote"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("panel_case.id", ondelete="CASCADE"), index=True
    )
    ballot: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    yes: so.Mapped[bool] = so.mapped_column()
