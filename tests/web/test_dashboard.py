"""The console's first page says what waits, with counts and links, per role."""

from datetime import UTC, datetime, timedelta

from organize import notices, privacy, subscribers
from organize.alerts import compose
from organize.extensions import db
from organize.models import RightsTopic
from organize.models.campaign import InboxThread
from tests.factories import login, make_employer, make_organizer, make_review
from tests.htmltools import visible_text


def _topic(slug, reviewed_on):
    db.session.add(RightsTopic(slug=slug, category="pay", reviewed_on=reviewed_on))


def test_the_dashboard_counts_what_waits_and_links_to_it(client):
    make_organizer(email="admin@example.org", role="admin")
    employer = make_employer()
    make_review(employer)
    make_review(employer)
    notices.report(what="A walk-out at the warehouse on Friday.")
    alert = compose.create(texts={"en": ("Strike", "Friday 6am")})
    alert.status = "sending"
    today = datetime.now(UTC).date()
    _topic("minimum-wage", today - timedelta(days=400))
    _topic("overtime", None)
    _topic("breaks", today - timedelta(days=30))
    person = subscribers.request_signup(
        phone=privacy.phone("+17135550142"), locale="es", source="sms"
    )
    db.session.flush()
    db.session.add(InboxThread(subscriber_id=person.id, masked="+1•••42", locale="es"))
    db.session.commit()
    login(client, "admin@example.org")
    html = client.get("/organizer/").get_data(as_text=True)
    page = visible_text(html)
    assert "2 reviews are waiting for moderation." in page
    assert "1 action report is waiting for verification." in page
    assert "1 alert is sending or scheduled." in page
    assert "2 rights topics are due for review." in page
    assert 'href="/organizer/moderation">2 reviews' in html
    assert 'href="/organizer/notices">1 action report' in html
    assert "1 reply is waiting for an answer." in page  # the reply inbox's unanswered thread
    assert 'href="/organizer/inbox">1 reply' in html
    assert "/rights/minimum-wage" in html
    assert "/rights/overtime" in html
    assert "/rights/breaks" not in html  # reviewed a month ago
    assert "You have 0 recovery codes left." in page  # the factory enrols without any


def test_a_moderator_sees_only_what_a_moderator_can_act_on(client):
    make_organizer()  # a moderator
    login(client)
    page = visible_text(client.get("/organizer/").get_data(as_text=True))
    assert "0 reviews are waiting for moderation." in page
    assert "action report" not in page
    assert "alerts are sending" not in page
