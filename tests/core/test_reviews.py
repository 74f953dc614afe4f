from datetime import UTC, datetime, timedelta

import pytest

from organize import reviews
from organize.extensions import db
from organize.governance import appeals
from organize.models import AuditEvent, Review
from tests.factories import dump_database, make_employer, make_organizer, make_review

RAW = "My supervisor Maria Gonzalez said call her at 713-555-0142 if we complain."


def test_prepare_redacts_name_and_phone(app):
    draft = reviews.prepare(text=RAW, locale="en")
    assert "Gonzalez" not in draft.text
    assert "555" not in draft.text
    assert "[phone]" in draft.text
    assert draft.report.get("phone") == 1
    assert draft.report.get("person", 0) >= 1


def test_prepare_uses_spanish_placeholders(app):
    draft = reviews.prepare(text="Llámenme al 713-555-0142.", locale="es")
    assert "[teléfono]" in draft.text


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x01\x02"])
def test_prepare_refuses_empty(app, text):
    with pytest.raises(reviews.ReviewError):
        reviews.prepare(text=text, locale="en")


def test_prepare_refuses_huge_with_the_count(app):
    with pytest.raises(reviews.ReviewError) as info:
        reviews.prepare(text="a" * 5001, locale="en")
    assert info.value.params == {"count": 5001, "limit": 5000}


def test_submit_stores_only_redacted_text_month_and_no_exact_time(app):
    employer = make_employer()
    review = reviews.submit(
        employer=employer,
        text=RAW,  # even if a channel forgot to redact, submit redacts again
        locale="en",
        channel="sms",
        ratings={"pay": 1, "hours": None},
        flags={"wage_theft": True},
        submission_key="k1",
    )
    db.session.commit()
    assert review.status == "pending"
    assert review.submitted_month.day == 1
    dump = dump_database()
    assert "713-555-0142" not in dump
    assert "5550142" not in dump
    assert "Gonzalez" not in dump
    assert review.publish_after is None


def test_submit_is_idempotent_on_its_key(app):
    employer = make_employer()
    for _ in range(2):
        reviews.submit(
            employer=employer,
            text="Late pay.",
            locale="en",
            channel="web",
            ratings={},
            flags={},
            submission_key="same",
        )
        db.session.commit()
    assert db.session.query(Review).count() == 1


@pytest.mark.parametrize("ratings", [{"pay": 0}, {"pay": 6}, {"color": 3}])
def test_submit_refuses_bad_ratings(app, ratings):
    employer = make_employer()
    with pytest.raises(reviews.ReviewError):
        reviews.submit(
            employer=employer,
            text="ok",
            locale="en",
            channel="web",
            ratings=ratings,
            flags={},
            submission_key="x",
        )


def test_k_threshold_hides_texts_until_k_visible(app):
    employer = make_employer()
    for _ in range(2):
        make_review(employer, status="approved")
    make_review(employer, status="pending")
    make_review(employer, status="rejected")
    assert reviews.visible_reviews(employer=employer) == []
    summary = reviews.summarize(employer=employer)
    assert not summary.reviews_shown
    assert summary.some
    # below k nothing derived from the reviews: no count, no average, no flag (DESIGN §4.10)
    assert summary.count == 0
    assert set(summary.averages.values()) == {None}
    assert set(summary.flags.values()) == {0}
    make_review(employer, status="approved")
    assert len(reviews.visible_reviews(employer=employer)) == 3
    summary = reviews.summarize(employer=employer)
    assert (summary.count, summary.flags["wage_theft"], summary.reviews_shown) == (3, 3, True)


def test_no_visible_review_means_not_even_some(app):
    employer = make_employer()
    make_review(employer, status="pending")
    make_review(employer, status="approved", visible_since=timedelta(hours=-5))
    assert not reviews.summarize(employer=employer).some


def test_reviews_of_a_pending_employer_wait_with_it(app):
    from organize import employers

    moderator = make_organizer()
    employer = make_employer("Casa Whitfield", added_by="worker")
    for _ in range(3):
        make_review(employer, status="approved")
    assert employer.status == "pending"
    assert reviews.visible_reviews(employer=employer) == []
    assert not reviews.summarize(employer=employer).some
    employers.decide(employer=employer, actor=moderator, approve=True)
    assert len(reviews.visible_reviews(employer=employer)) == 3


def test_delay_not_passed_keeps_review_hidden_and_uncounted(app):
    employer = make_employer()
    for _ in range(2):
        make_review(employer, status="approved")
    make_review(employer, status="approved", visible_since=timedelta(hours=-5))
    assert reviews.visible_reviews(employer=employer) == []
    later = datetime.now(UTC) + timedelta(hours=6)
    assert len(reviews.visible_reviews(employer=employer, now=later)) == 3


def test_approve_sets_random_delay_in_configured_range(app_factory):
    app = app_factory(REVIEW_PUBLISH_DELAY="24-168")
    with app.app_context():
        moderator = make_organizer()
        employer = make_employer()
        delays = []
        for _ in range(5):
            review = make_review(employer)
            before = datetime.now(UTC)
            reviews.approve(review=review, actor=moderator)
            db.session.commit()
            delays.append((review.publish_after - before).total_seconds() / 3600)
        assert all(23.99 <= d <= 168.01 for d in delays)
        assert len({round(d, 3) for d in delays}) > 1  # random, not fixed


def test_reject_requires_a_known_reason_keeps_text_for_an_appeal_then_drops_it(app):
    moderator = make_organizer()
    review = make_review(make_employer())
    with pytest.raises(reviews.ReviewError):
        reviews.reject(review=review, actor=moderator, reason="")
    reviews.reject(review=review, actor=moderator, reason="spam")
    db.session.commit()
    assert review.text  # the redacted text waits APPEAL_DAYS for an appeal to the panel …
    assert review.rejection_reason == "spam"
    days = app.config["APPEAL_DAYS"]
    assert appeals.purge_unappealed(datetime.now(UTC) + timedelta(days=days - 1)) == 0
    assert appeals.purge_unappealed(datetime.now(UTC) + timedelta(days=days + 1)) == 1
    db.session.refresh(review)
    assert review.text == ""  # … then it is dropped
    event = db.session.query(AuditEvent).one()
    assert (event.action, event.target_id, event.detail) == (
        "review.reject",
        review.id,
        {"reason": "spam"},
    )


def test_a_decided_review_cannot_be_decided_again(app):
    moderator = make_organizer()
    review = make_review(make_employer())
    reviews.approve(review=review, actor=moderator)
    with pytest.raises(reviews.ReviewError):
        reviews.reject(review=review, actor=moderator, reason="spam")


def test_summary_averages(app):
    employer = make_employer()
    for pay in (1, 2, 4):
        make_review(employer, status="approved", pay=pay)
    summary = reviews.summarize(employer=employer)
    assert summary.averages["pay"] == pytest.approx(2.3)
    assert summary.averages["safety"] is None


def test_moderation_counts(app):
    employer = make_employer()
    make_review(employer, status="approved")
    make_review(employer, status="rejected")
    make_review(employer)
    counts = reviews.moderation_counts()
    assert counts["status"] == {"approved": 1, "rejected": 1, "pending": 1}
    assert counts["reasons"] == {"spam": 1}
