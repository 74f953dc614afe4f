"""Topics come up for re-review when their review is old (a configured age, 12 months by
default), was never done, or their sources changed after it (issue 11)."""

from datetime import date, timedelta

from organize import rights
from organize.extensions import db

SOURCES = [{"title": "WHD", "url": "https://www.dol.gov/agencies/whd"}]


def _topic(slug: str, reviewed_on: date | None, sources=SOURCES) -> None:
    rights.upsert(
        slug=slug, category="pay", position=0, reviewed_on=reviewed_on,
        reviewed_by="staff attorney, Example Legal Aid", sources=list(sources),
        texts={"en": {"title": slug.title(), "summary": "s", "body": "b"}},
    )  # fmt: skip
    db.session.commit()


def test_old_never_and_changed_sources_are_due_and_fresh_ones_are_not(app):
    today = date.today()
    _topic("fresh", today - timedelta(days=30))
    _topic("old", today - timedelta(days=400))
    _topic("never", None)
    _topic("moved", today - timedelta(days=30))
    _topic(
        "moved", today - timedelta(days=30), [*SOURCES, {"title": "New", "url": "https://x.gov/"}]
    )

    due = {d.slug: d.reason for d in rights.due_for_review()}
    assert due == {"old": "old", "never": "never", "moved": "sources"}
    first = rights.due_for_review()[0]
    assert first.slug == "never"  # never reviewed comes first, then the oldest review
    assert rights.due_for_review()[1].reviewed_by == "staff attorney, Example Legal Aid"

    _topic("moved", today)  # reviewed again (same sources): off the list
    assert "moved" not in {d.slug for d in rights.due_for_review()}


def test_the_age_is_configured(app):
    today = date.today()
    _topic("recent", today - timedelta(days=100))
    assert rights.due_for_review() == []
    app.config["RIGHTS_REVIEW_MAX_AGE_DAYS"] = 90
    assert [d.slug for d in rights.due_for_review()] == ["recent"]
    assert rights.due_for_review(today=today - timedelta(days=20)) == []


def test_the_seeded_library_is_not_due_yet(app):
    from organize.cli import seed_rights

    seed_rights()
    db.session.commit()
    assert app.config["RIGHTS_REVIEW_MAX_AGE_DAYS"] == 365
    assert rights.due_for_review(today=date(2026, 12, 1)) == []
    assert {d.slug for d in rights.due_for_review(today=date(2028, 1, 1))} >= {"discrimination"}
