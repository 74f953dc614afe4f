"""The panel decides: majority of those who vote in the window, a quorum, organizers excluded;
an overturned appeal is published (still behind k); rule changes take effect when adopted."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from organize import reviews
from organize.extensions import db
from organize.governance import appeals, panel, rules
from organize.models import AuditEvent, Review
from tests.factories import make_employer, make_organizer, make_review
from tests.governance.conftest import make_panel


@pytest.fixture(autouse=True)
def quorum_of_two(app):
    app.config["PANEL_QUORUM"] = 2


def test_an_overturned_appeal_is_published_but_only_once_k_are_visible(app, rejected):
    review = rejected.review
    case = appeals.appeal(review=review, reason="It is about the night shift here.", locale="en")
    first, second, _third = make_panel(3)
    panel.vote(case=case, member=first, yes=True)
    assert case.status == "open"  # one vote: no quorum yet
    panel.vote(case=case, member=second, yes=True)
    db.session.commit()
    assert case.status == "overturned"  # 2 of 3: the third cannot change it
    assert review.status == "approved"
    assert review.text
    review.publish_after = review.publish_after - timedelta(days=30)  # past its random delay
    db.session.commit()
    employer = review.employer
    assert reviews.visible_reviews(employer=employer) == []  # alone, it is below k
    make_review(employer, status="approved")
    make_review(employer, status="approved")
    assert review in reviews.visible_reviews(employer=employer)
    decided = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "panel.decide.appeal")
    ).one()
    assert decided.detail == {"outcome": "overturned", "yes": 2, "no": 0}
    votes = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "panel.vote"))
    assert all(event.detail == {} for event in votes)  # who voted, never how


@pytest.mark.parametrize("role", ["admin", "organizer", "moderator"])
def test_organizers_cannot_decide_appeals(app, rejected, role):
    case = appeals.appeal(review=rejected.review, reason="", locale="en")
    staff = make_organizer(f"{role}@example.org", role=role)
    with pytest.raises(appeals.CaseError):
        panel.vote(case=case, member=staff, yes=True)
    assert case.votes_yes == 0


def test_a_tie_when_the_window_closes_keeps_the_rejection_and_drops_the_text(app, rejected):
    case = appeals.appeal(review=rejected.review, reason="", locale="en")
    members = make_panel(5)
    panel.vote(case=case, member=members[0], yes=True)
    panel.vote(case=case, member=members[1], yes=False)
    assert case.status == "open"  # three members have not voted yet
    assert panel.close_due(on=case.closes_on) == 1
    db.session.commit()
    assert case.status == "upheld"
    assert rejected.review.status == "rejected"
    assert rejected.review.text == ""
    assert case.decided_on == case.closes_on


def test_without_a_quorum_the_window_is_extended(app, rejected):
    case = appeals.appeal(review=rejected.review, reason="", locale="en")
    panel.vote(case=case, member=make_panel(4)[0], yes=True)
    closes = case.closes_on
    panel.close_due(on=closes)
    assert case.status == "open"
    assert case.closes_on == closes + timedelta(days=app.config["PANEL_VOTE_DAYS"])


def test_a_member_votes_once(app, rejected):
    case = appeals.appeal(review=rejected.review, reason="", locale="en")
    member = make_panel(3)[0]
    panel.vote(case=case, member=member, yes=False)
    with pytest.raises(appeals.CaseError):
        panel.vote(case=case, member=member, yes=True)


def test_one_appeal_per_review(app, rejected):
    appeals.appeal(review=rejected.review, reason="", locale="en")
    with pytest.raises(appeals.CaseError):
        appeals.appeal(review=rejected.review, reason="again", locale="en")


def test_the_appeal_reason_is_redacted(app, rejected):
    case = appeals.appeal(
        review=rejected.review, reason="Call me at 713-555-0142, Maria Gonzalez.", locale="en"
    )
    assert "555" not in case.reason
    assert "Gonzalez" not in case.reason


def test_a_rule_change_takes_effect_when_the_panel_adopts_it(app):
    proposer = make_organizer("organizer@example.org", role="organizer")
    case = panel.propose(
        actor=proposer,
        key="boss-gossip",
        texts={
            "en": {"title": "Gossip about a boss's private life", "explanation": "Work only."},
            "es": {
                "title": "Chismes sobre la vida privada del jefe",
                "explanation": "Solo trabajo.",
            },
        },
    )
    assert not rules.in_force("boss-gossip")
    for member in make_panel(3)[:2]:
        panel.vote(case=case, member=member, yes=True)
    db.session.commit()
    assert case.status == "adopted"
    assert rules.in_force("boss-gossip")
    review = make_review(make_employer())
    reviews.reject(review=review, actor=make_organizer(), reason="boss-gossip")
    assert [r.version for r in rules.history() if r.key == "boss-gossip"] == [1]


def test_retiring_a_rule(app):
    case = panel.propose(actor=make_organizer(), key="spam", texts={}, retire=True)
    for member in make_panel(2):
        panel.vote(case=case, member=member, yes=True)
    assert not rules.in_force("spam")
    assert "spam" in rules.titles()  # old decisions still name it


def test_a_flag_upheld_by_the_panel_takes_a_review_down(app):
    employer = make_employer()
    published = [make_review(employer, status="approved") for _ in range(3)]
    target = published[0]
    assert target in reviews.visible_reviews(employer=employer)
    case = appeals.flag(review=target, rule_key="personal-data", reason="That is me.", locale="en")
    assert appeals.flag(review=target, rule_key="spam", reason="", locale="en") is case
    for member in make_panel(2):
        panel.vote(case=case, member=member, yes=True)
    db.session.commit()
    assert case.status == "removed"
    assert target.status == "rejected"
    assert target.text == ""
    assert reviews.visible_reviews(employer=employer) == []  # two left: below k


def test_pending_reviews_cannot_be_flagged(app):
    review = make_review(make_employer())
    with pytest.raises(appeals.CaseError):
        appeals.flag(review=review, rule_key="spam", reason="", locale="en")
    assert db.session.get(Review, review.id).status == "pending"
