"""What /transparency counts of the panel's work, per quarter: appeals received, upheld and
overturned, the median days to a decision, flags by outcome and rule changes."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import median

import sqlalchemy as sa

from organize.extensions import db
from organize.models import PanelCase


def quarter(day: date) -> str:
    """ "2026 Q4"."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


@dataclass
class Quarter:
    """One quarter's counts (decisions count in the quarter they were made)."""

    name: str
    received: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    days: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        """Median days from an appeal to its decision, or None without decisions."""
        return median(self.days) if self.days else None


def by_quarter() -> list[Quarter]:
    """Every quarter with a case in it, newest first."""
    quarters: dict[str, Quarter] = {}

    def at(day: date) -> Quarter:
        return quarters.setdefault(quarter(day), Quarter(quarter(day)))

    for case in db.session.scalars(sa.select(PanelCase)):
        at(case.opened_on).received[case.kind] += 1
        if case.decided_on is not None:
            decided = at(case.decided_on)
            decided.outcomes[case.status] += 1
            if case.kind == "appeal":
                decided.days.append((case.decided_on - case.opened_on).days)
    return [quarters[name] for name in sorted(quarters, reverse=True)]
