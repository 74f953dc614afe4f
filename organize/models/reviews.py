"""Anonymous reviews: redacted text only, coarse dates, no trace of who wrote them."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base, UTCDateTime
from organize.models.employers import Employer

RATING_FIELDS = ("pay", "hours", "safety", "respect", "recommend")
FLAG_FIELDS = ("wage_theft", "documents_withheld", "immigration_threats")
STATUSES = ("pending", "approved", "rejected")
CHANNELS = ("web", "sms", "voice")


class Review(Base):
    """One worker's review. `text` is always the redacted text; raw text never reaches this row.

    There is no exact timestamp: only the month of submission, and `publish_after` (set at
    approval to approval time plus a random delay) so the moment of writing cannot be inferred.
    """

    __tablename__ = "review"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    employer_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    channel: so.Mapped[str] = so.mapped_column(sa.String(10), default="web")
    locale: so.Mapped[str] = so.mapped_column(sa.String(10), default="en")
    pay: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    hours: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    safety: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    respect: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    recommend: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    wage_theft: so.Mapped[bool | None] = so.mapped_column(sa.Boolean)
    documents_withheld: so.Mapped[bool | None] = so.mapped_column(sa.Boolean)
    immigration_threats: so.Mapped[bool | None] = so.mapped_column(sa.Boolean)
    text: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    redaction_report: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default="pending", index=True)
    rejection_reason: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    submitted_month: so.Mapped[date] = so.mapped_column(sa.Date)
    publish_after: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Set at submit when the text is nearly the same as an earlier review of the same employer
    # (from any channel): held back from the k count until a moderator decides.
    duplicate_of_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("review.id", ondelete="SET NULL")
    )
    # A random token minted at preview time: a double-clicked submit inserts once.
    submission_key: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)

    # Keyed hash (`governance.codes.digest`) of the random status code the worker was given:
    # it finds the review from the code, never the code (or anyone) from the review.
    status_code_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    # The day a rejection was decided: its redacted text waits APPEAL_DAYS for an appeal.
    rejected_on: so.Mapped[date | None] = so.mapped_column(sa.Date)

    employer: so.Mapped[Employer] = so.relationship()

    def __repr__(self) -> str:
        return f"<Review {self.id} {self.status}>"
