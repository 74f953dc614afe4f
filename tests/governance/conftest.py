"""Helpers for the workers' panel: a rejected review with a known code, panel members."""

from dataclasses import dataclass

import pytest

from organize import reviews
from organize.extensions import db
from organize.governance import codes
from organize.models import Review
from tests.factories import make_employer, make_organizer


@dataclass
class Rejected:
    review: Review
    code: str


def submit_with_code(employer, text="They paid us late every week, never overtime.", **kw):
    code = codes.mint()
    review = reviews.submit(
        employer=employer,
        text=text,
        locale=kw.pop("locale", "en"),
        channel=kw.pop("channel", "web"),
        ratings={"pay": 2},
        flags={},
        submission_key=reviews.new_submission_key(),
        status_code=code,
    )
    db.session.commit()
    return review, code


@pytest.fixture
def rejected(app) -> Rejected:
    """A review an organizer rejected as "not about work", and its code."""
    moderator = make_organizer()
    review, code = submit_with_code(make_employer())
    reviews.reject(review=review, actor=moderator, reason="not-about-work")
    db.session.commit()
    return Rejected(review, code)


def make_panel(count: int = 3) -> list:
    return [make_organizer(f"panel{i}@example.org", role="panel") for i in range(count)]
