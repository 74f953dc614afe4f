"""The console: every route needs login, roles gate moderation, decisions are audited."""

import re

import pytest

from organize import create_app
from organize.extensions import db
from organize.models import AuditEvent, Review
from tests.conftest import make_config
from tests.factories import login, make_employer, make_organizer, make_review


def organizer_routes(app):
    """Every /organizer rule except the login page, as (method, path), read from the url map."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/organizer") or rule.endpoint == "organizer.login":
            continue
        path = re.sub(r"<int:\w+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path))
    return routes


# Read at collection time from a throwaway app, so each route is its own test case.
ROUTES = organizer_routes(create_app(make_config("sqlite://")))


def test_route_list_is_not_empty():
    assert len(ROUTES) >= 5


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_organizer_route_requires_login(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 302
    assert "/organizer/login" in response.headers["Location"]


def test_login_with_wrong_password_fails(client):
    make_organizer()
    response = client.post(
        "/organizer/login", data={"email": "mod@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "Wrong email or password" in response.get_data(as_text=True)


def test_login_does_not_redirect_offsite(client):
    make_organizer()
    assert login(client, next="//evil.example/x") == "/organizer/"


def test_plain_organizer_cannot_moderate(client):
    make_organizer(role="organizer")
    login(client)
    assert client.get("/organizer/").status_code == 200
    assert client.get("/organizer/moderation").status_code == 403
    assert client.get("/organizer/audit").status_code == 403


def test_moderator_sees_redacted_queue_with_report(client):
    make_organizer()
    make_review(make_employer(), text="Boss Pedro Ramirez, call 713-555-0142")
    login(client)
    html = client.get("/organizer/moderation").get_data(as_text=True)
    assert "Ramirez" not in html
    assert "0142" not in html
    assert "1 phone number" in html


@pytest.mark.parametrize(
    ("data", "status", "action"),
    [
        ({"approve": "1"}, "approved", "review.approve"),
        ({"reject": "1", "reason": "spam"}, "rejected", "review.reject"),
    ],
)
def test_decisions_are_applied_and_audited(client, data, status, action):
    moderator = make_organizer()
    review = make_review(make_employer())
    login(client)
    client.post(f"/organizer/moderation/{review.id}", data=data)
    db.session.expire_all()
    assert db.session.get(Review, review.id).status == status
    event = db.session.query(AuditEvent).filter_by(action=action).one()
    assert event.actor_id == moderator.id
    assert event.target_id == review.id


def test_reject_without_reason_changes_nothing(client):
    make_organizer()
    review = make_review(make_employer())
    login(client)
    client.post(f"/organizer/moderation/{review.id}", data={"reject": "1"})
    db.session.expire_all()
    assert db.session.get(Review, review.id).status == "pending"


def test_admin_sees_audit_log(client):
    make_organizer(email="admin@example.org", role="admin")
    login(client, "admin@example.org")
    html = client.get("/organizer/audit").get_data(as_text=True)
    assert "organizer.login" in html
