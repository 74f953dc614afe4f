"""The web: a code on the thanks page, the status page, an appeal, wrong codes limited, flags,
/rules and /transparency."""

import re

import sqlalchemy as sa

from organize import reviews
from organize.extensions import db
from organize.governance import codes, panel
from organize.models import PanelCase, Review
from tests.factories import make_employer, make_organizer, make_review
from tests.governance.conftest import make_panel
from tests.htmltools import input_value, visible_text

STORY = "They never paid overtime and the supervisor yelled every night."


def _write_review(client, employer, lang="en") -> str:
    data = {"employer": employer.slug, "text": STORY, "pay": "2"}
    preview = client.post(f"/review?lang={lang}", data=data).get_data(as_text=True)
    payload = input_value(preview, "payload")
    thanks = client.post("/review/confirm", data={"payload": payload}, follow_redirects=True)
    match = re.search(r'class="code"><strong>(\d{5} \d{5})<', thanks.get_data(as_text=True))
    assert match, "the thanks page shows the review's code"
    return match.group(1)


def _status(client, code, lang="en"):
    return client.post(f"/review/status?lang={lang}", data={"code": code})


def test_web_code_shows_status_and_appeals_a_rejection(client):
    employer = make_employer()
    code = _write_review(client, employer, lang="es")
    page = visible_text(_status(client, code, "es").get_data(as_text=True))
    assert "Esperando" in page  # waiting, in the worker's language
    review = db.session.scalars(sa.select(Review)).one()
    reviews.reject(review=review, actor=make_organizer(), reason="not-about-work")
    db.session.commit()
    response = _status(client, code.replace(" ", "-"), "es")
    html = response.get_data(as_text=True)
    assert "No habla de trabajar ahí" in visible_text(html)  # the rule, translated
    appeal = client.post(
        "/review/status/appeal?lang=es",
        data={
            "code": input_value(html, "code"),
            "reason": "Sí es del trabajo. Soy Maria Gonzalez.",
        },
        follow_redirects=True,
    )
    assert "panel" in visible_text(appeal.get_data(as_text=True))
    case = db.session.scalars(sa.select(PanelCase)).one()
    assert (case.kind, case.review_id, case.rule_key) == ("appeal", review.id, "not-about-work")
    assert "Gonzalez" not in case.reason
    again = visible_text(_status(client, code).get_data(as_text=True))
    assert "Waiting for the panel's vote" in again
    # The panel overturns it; the code then says so.
    for member in make_panel(3):
        panel.vote(case=case, member=member, yes=True)
    db.session.commit()
    assert "Overturned" in visible_text(_status(client, code).get_data(as_text=True))


def test_wrong_codes_look_alike_and_run_out(client, app):
    review = make_review(make_employer())
    right = "0123456789"
    review.status_code_hash = codes.digest(right)
    db.session.commit()
    pages = set()
    for wrong in ["9999999999", "12", "abcdefghij", "0000000000", "1111111111"]:
        response = _status(client, wrong)
        assert response.status_code == 200
        pages.add(visible_text(response.get_data(as_text=True)))
    assert len(pages) == 1  # malformed or unknown: the same answer
    blocked = _status(client, right)
    assert blocked.status_code == 429
    assert "Waiting" not in visible_text(blocked.get_data(as_text=True))


def test_a_right_code_does_not_count_against_the_client(client):
    review = make_review(make_employer())
    review.status_code_hash = codes.digest("5555566666")
    db.session.commit()
    for _ in range(10):
        assert _status(client, "55555 66666").status_code == 200


def test_anyone_may_flag_a_published_review_by_an_opaque_link(client):
    employer = make_employer()
    shown = [make_review(employer, status="approved") for _ in range(3)]
    page = client.get(f"/employers/{employer.slug}").get_data(as_text=True)
    links = re.findall(r'href="(/reviews/flag/[^"]+)"', page)
    assert len(links) == 3
    assert not any(link.endswith(f"/{r.id}") for link in links for r in shown)
    assert 'value="personal-data"' in client.get(links[0]).get_data(as_text=True)
    response = client.post(
        links[0],
        data={"rule": "personal-data", "reason": "x"},
    )
    assert response.status_code == 302
    case = db.session.scalars(sa.select(PanelCase)).one()
    assert case.kind == "flag"
    assert case.rule_key == "personal-data"
    assert client.get("/reviews/flag/not-a-token").status_code == 404


def test_rules_page_shows_rules_changes_and_counts_never_voters(client, app):
    app.config["PANEL_QUORUM"] = 2
    case = panel.propose(
        actor=make_organizer(),
        key="boss-gossip",
        texts={"en": {"title": "Gossip about a boss", "explanation": "Work only."}},
    )
    members = make_panel(3)
    panel.vote(case=case, member=members[0], yes=True)
    panel.vote(case=case, member=members[1], yes=True)
    db.session.commit()
    page = visible_text(client.get("/rules").get_data(as_text=True))
    assert "Not about working there" in page
    assert "Gossip about a boss" in page
    assert "Adopted" in page
    for member in members:
        assert member.email not in page
    assert "Version 2" not in page  # a new rule starts at version 1


def test_transparency_counts_the_panel_per_quarter(client, rejected, app):
    app.config["PANEL_QUORUM"] = 2
    from organize.governance import appeals

    case = appeals.appeal(review=rejected.review, reason="", locale="en")
    for member in make_panel(3)[:2]:
        panel.vote(case=case, member=member, yes=False)
    db.session.commit()
    page = visible_text(client.get("/transparency").get_data(as_text=True))
    assert "Appeals received" in page
    assert "Median days to a decision" in page
    quarter = f"{case.opened_on.year} Q{(case.opened_on.month - 1) // 3 + 1}"
    assert f"{quarter} 1 1 0 0" in page  # 1 received, 1 upheld, 0 overturned, 0 days
