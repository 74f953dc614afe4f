"""Issue 13: a moderator masks one more word instead of only rejecting: the words become a
placeholder like the redaction's, the report counts them, the audit says so without them, and
the words are kept nowhere."""

import sqlalchemy as sa

from organize.extensions import db
from organize.models import AuditEvent, Review
from tests.factories import dump_database, login, make_employer, make_organizer, make_review
from tests.htmltools import visible_text

STORY = "Everyone calls him El Flaco. el flaco kept our tips at the store on the corner."


def _moderator(client):
    make_organizer(email="mod@example.org", role="moderator")
    login(client, "mod@example.org")


def test_mask_more_replaces_every_occurrence_and_keeps_the_words_nowhere(client):
    review = make_review(make_employer(), STORY)
    assert "El Flaco" in review.text  # a nickname redaction cannot know
    _moderator(client)
    page = client.get("/organizer/moderation").get_data(as_text=True)
    assert f'action="/organizer/moderation/{review.id}/mask"' in page  # a plain form, no JS needed
    response = client.post(
        f"/organizer/moderation/{review.id}/mask", data={"phrase": "El  Flaco", "kind": "person"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert review.text.count("[name]") >= 2
    assert "flaco" not in review.text.lower()
    assert review.redaction_report.get("person", 0) >= 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "review.mask"))
    assert event.target_id == review.id
    assert event.detail == {"kind": "person", "count": 2}
    assert "flaco" not in dump_database().lower()
    shown = visible_text(client.get("/organizer/moderation").get_data(as_text=True))
    assert "Removed by redaction:" in shown
    assert "2 names" in shown


def test_whole_words_only_and_missing_words_refused(client):
    review = make_review(make_employer(), "Ana said the banana stand owner Ana Lee owed us.")
    _moderator(client)
    client.post(f"/organizer/moderation/{review.id}/mask", data={"phrase": "ana", "kind": "person"})
    db.session.expire_all()
    text = db.session.get(Review, review.id).text
    assert "banana" in text
    page = client.post(
        f"/organizer/moderation/{review.id}/mask",
        data={"phrase": "Zeppelin", "kind": "person"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "not in the review" in page


def test_a_spanish_review_gets_the_spanish_placeholder(client):
    review = make_review(make_employer(), "El jefe nos debe dinero en la tienda La Palmita.")
    review.locale = "es"
    db.session.commit()
    _moderator(client)
    client.post(
        f"/organizer/moderation/{review.id}/mask",
        data={"phrase": "tienda La Palmita", "kind": "address"},
    )
    db.session.expire_all()
    assert "[dirección]" in db.session.get(Review, review.id).text


def test_only_moderators_mask(client):
    review = make_review(make_employer(), STORY)
    make_organizer(email="org@example.org", role="organizer")
    login(client, "org@example.org")
    response = client.post(
        f"/organizer/moderation/{review.id}/mask", data={"phrase": "El  Flaco", "kind": "person"}
    )
    assert response.status_code == 403
