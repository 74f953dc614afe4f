"""The panel's console pages: members vote, organizers and admins cannot; proposals; the
moderation form offers the rules in force."""

import sqlalchemy as sa

from organize.extensions import db
from organize.governance import appeals, panel
from organize.models import AuditEvent, Organizer, PanelCase
from tests.factories import login, make_organizer
from tests.htmltools import visible_text


def test_a_member_votes_from_the_console_and_an_admin_cannot(client, app, rejected):
    app.config["PANEL_QUORUM"] = 1
    case = appeals.appeal(review=rejected.review, reason="It is about the pay.", locale="en")
    db.session.commit()
    make_organizer("admin@example.org", role="admin")
    login(client, "admin@example.org")
    page = visible_text(client.get("/organizer/panel").get_data(as_text=True))
    assert "It is about the pay." in page
    assert "Only panel members vote" in page
    assert client.post(f"/organizer/panel/{case.id}", data={"yes": "Yes"}).status_code == 403
    client.post("/organizer/logout")

    make_organizer("member@example.org", role="panel")
    login(client, "member@example.org")
    response = client.post(f"/organizer/panel/{case.id}", data={"yes": "Yes"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status == "overturned"
    page = visible_text(client.get("/organizer/panel").get_data(as_text=True))
    assert "1 for, 0 against" in page
    assert db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "panel.decide.appeal")
    )


def test_a_proposal_from_the_console_reaches_the_moderation_form_once_adopted(client, app):
    app.config["PANEL_QUORUM"] = 1
    make_organizer("mod@example.org", role="moderator")
    login(client, "mod@example.org")
    assert client.get("/organizer/rules/propose").status_code == 200
    response = client.post(
        "/organizer/rules/propose",
        data={"key": "Boss gossip", "title_en": "Gossip about a boss", "title_es": "Chismes"},
    )
    assert response.status_code == 302
    case = db.session.scalars(sa.select(PanelCase)).one()
    assert case.proposal["key"] == "boss-gossip"
    assert "Gossip about a boss" not in client.get("/organizer/moderation").get_data(as_text=True)
    panel.vote(case=case, member=make_organizer("p@example.org", role="panel"), yes=True)
    db.session.commit()
    from tests.factories import make_employer, make_review

    make_review(make_employer())
    assert "Gossip about a boss" in client.get("/organizer/moderation").get_data(as_text=True)
    es = visible_text(client.get("/rules?lang=es").get_data(as_text=True))
    assert "Chismes" in es


def test_an_admin_creates_a_panel_member_from_the_command_line(runner, client):
    from tests.factories import PASSWORD, enrol

    result = runner.invoke(
        args=["create-organizer", "Member@Example.org", "--role", "panel"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    first = client.post(
        "/organizer/login", data={"email": "member@example.org", "password": PASSWORD}
    )
    assert first.headers["Location"] == "/organizer/login/enrol"  # the same second factor
    member = db.session.scalar(sa.select(Organizer).where(Organizer.email == "member@example.org"))
    enrol(member)  # what the enrolment page leaves (tests/web/test_second_factor.py)
    db.session.commit()
    login(client, "member@example.org")  # the organizers' sign-in, both factors
    assert "Only panel members vote" not in client.get("/organizer/panel").get_data(as_text=True)
    assert client.get("/organizer/moderation").status_code == 403  # a member does not moderate
