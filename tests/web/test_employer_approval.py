"""Issue 9.3 and 9.4 on the web: new employers wait, and below k a page shows nothing derived."""

import re

import pytest

from organize.extensions import db
from organize.models import AuditEvent, Employer, Review
from tests.factories import login, make_employer, make_organizer, make_review
from tests.htmltools import input_value

TYPED = {"name": "Karen Whitfield 713-555-0142 karen@example.com", "city": "1234 Westheimer Rd"}
LEAKS = ("713", "555-0142", "karen@", "example.com", "1234", "Westheimer")


def _add(client, **fields):
    return client.post("/employers/new", data={"industry": "care", **TYPED, **fields})


def _review_and_confirm(client, location):
    """Write a review from wherever adding the employer led, and confirm it."""
    form = client.get(location).get_data(as_text=True)
    employer_field = input_value(form, "employer")
    preview = client.post(
        "/review", data={"employer": employer_field, "pay": "1", "text": "Paid late, always."}
    )
    payload = input_value(preview.get_data(as_text=True), "payload")
    return client.post("/review/confirm", data={"payload": payload})


def test_a_new_employer_is_redacted_and_not_public_until_approved(client):
    response = _add(client)
    assert response.status_code == 302
    location = response.headers["Location"]
    for leak in LEAKS:
        assert leak not in location
    employer = db.session.query(Employer).one()
    assert employer.status == "pending"
    assert client.get(f"/employers/{employer.slug}").status_code == 404
    listing = client.get("/employers?q=whitfield").get_data(as_text=True)
    assert "Whitfield" not in listing
    assert "Whitfield" not in client.get("/employers").get_data(as_text=True)
    # guessing the slug does not open a review form for it either
    picker = client.get(f"/review?employer={employer.slug}").get_data(as_text=True)
    assert 'name="q"' in picker


def test_the_worker_reviews_the_pending_employer_and_the_review_waits(client):
    location = _add(client).headers["Location"]
    thanks = _review_and_confirm(client, location)
    assert thanks.status_code == 302
    employer = db.session.query(Employer).one()
    assert employer.slug not in thanks.headers["Location"]
    review = db.session.query(Review).one()
    assert review.employer_id == employer.id


def test_the_console_lists_it_and_approval_publishes_it(client):
    _add(client)
    make_organizer()
    login(client)
    queue = client.get("/organizer/employers").get_data(as_text=True)
    assert "Karen Whitfield" in queue
    for leak in LEAKS:
        assert leak not in queue
    employer = db.session.query(Employer).one()
    answer = client.post(f"/organizer/employers/{employer.id}", data={"approve": "1"})
    assert answer.status_code == 302
    assert client.get(f"/employers/{employer.slug}").status_code == 200
    assert "Karen Whitfield" in client.get("/employers?q=whitfield").get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action="employer.approve").count() == 1


def test_the_queue_needs_a_moderator(client):
    make_organizer(role="organizer")
    login(client)
    assert client.get("/organizer/employers").status_code == 403


def test_new_employers_per_client_are_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, EMPLOYER_CREATE_LIMIT="2 per day")
    client = app.test_client()
    with app.app_context():
        make_employer("Golden Wok", "Houston")
    assert _add(client, name="Casa Uno").status_code == 302
    for _ in range(3):  # finding a listed one costs nothing …
        assert _add(client, name="Golden Wok", city="Houston").status_code == 302
    assert _add(client, name="Casa Dos").status_code == 302
    # … a third new one is refused
    assert _add(client, name="Casa Tres").status_code == 429
    with app.app_context():
        assert db.session.query(Employer).filter_by(status="pending").count() == 2


def test_the_notice_form_redacts_the_employer(client):
    from organize.models import ActionNotice

    client.post(
        "/actions/report",
        data={"what": "Walk-out at noon", "place": "Houston", "employer": TYPED["name"]},
    )
    notice = db.session.query(ActionNotice).one()
    assert notice.employer_name == "Karen Whitfield"


# Issue 9.4: below k, the page must not change when a review's answers change.


def _page(client, employer):
    html = client.get(f"/employers/{employer.slug}").get_data(as_text=True)
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


@pytest.mark.parametrize("below_k", [1, 2])
def test_below_k_the_page_is_identical_whatever_the_answers(client, below_k):
    employer = make_employer()
    written = [make_review(employer, status="approved", pay=1) for _ in range(below_k)]
    before = _page(client, employer)
    for review in written:
        review.pay, review.hours, review.safety, review.respect, review.recommend = 5, 5, 5, 5, 5
        review.wage_theft, review.documents_withheld, review.immigration_threats = (
            False,
            True,
            True,
        )
    db.session.commit()
    assert _page(client, employer) == before
    assert "immigration" not in before
    assert "of 5" not in before


def test_below_k_the_page_says_only_that_some_exist(client):
    employer = make_employer()
    empty = _page(client, employer)
    make_review(employer, status="approved")
    some = _page(client, employer)
    assert empty != some
    make_review(employer, status="approved")
    assert _page(client, employer) == some  # one or two: the same page


def test_at_k_the_aggregates_show(client):
    employer = make_employer()
    for _ in range(3):
        make_review(employer, status="approved", pay=2)
    page = _page(client, employer)
    assert "3 reviews" in page
    assert "2 of 5" in page
    assert "3 workers say they kept money owed." in page
