"""The workers' panel in a real browser: a rejected review appealed by its code, the panel
member's vote publishes it, an organizer cannot vote, and the public pages count it."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

STORY = "The night crew never got the overtime on the schedule, week after week."


@pytest.fixture
def panel_of_one(live_server: Any):
    """One panel member (the seeded account), so one vote is a majority; restored after."""
    before = live_server.app.config["PANEL_QUORUM"]
    live_server.app.config["PANEL_QUORUM"] = 1
    yield
    live_server.app.config["PANEL_QUORUM"] = before


def test_a_rejected_review_is_appealed_by_code_and_the_panel_publishes_it(open_page, panel_of_one):
    worker = open_page()
    worker.goto("/employers?q=sunrise")
    worker.get_by_role("link", name="Sunrise Cleaning").click()
    worker.locator("a.button[href*='/review?employer=']").click()
    worker.check("input[name=pay][value='2']")
    worker.fill("textarea[name=text]", STORY)
    worker.locator("[type=submit][name=preview]").click()
    worker.locator("[type=submit][name=confirm]").click()
    worker.wait_for_url("**/review/thanks**")
    code = worker.locator(".code strong").inner_text()
    assert re.fullmatch(r"\d{5} \d{5}", code)

    moderator = open_page()
    sign_in(moderator, "moderator")
    moderator.goto("/organizer/moderation")
    mine = moderator.locator("article.review", has_text="night crew")
    mine.locator("input[name=reason][value=not-about-work]").check()
    mine.locator("[type=submit][name=reject]").click()
    expect(moderator.locator(".flash")).to_contain_text("Rejected")

    worker.goto("/review/status")
    worker.fill("input[name=code]", code)
    worker.locator("[type=submit][name=check]").click()
    expect(worker.locator("#status")).to_contain_text("Not about working there")
    worker.fill("textarea[name=reason]", "It is about the overtime we were owed.")
    worker.locator("[type=submit][name=send]").click()
    expect(worker.locator(".flash")).to_contain_text("workers' panel")

    organizer = open_page()
    sign_in(organizer, "admin")
    organizer.goto("/organizer/panel")
    case = organizer.locator("article.review", has_text="night crew")
    expect(case).to_have_count(1)
    expect(case.locator("[type=submit][name=yes]")).to_have_count(0)  # organizers do not vote
    expect(organizer.locator(".notice")).to_contain_text("Only panel members vote")

    member = open_page()
    sign_in(member, "panel")
    member.goto("/organizer/panel")
    case = member.locator("article.review", has_text="night crew")
    expect(case).to_contain_text("overtime we were owed")
    case.locator("[type=submit][name=yes]").click()
    expect(member.locator(".flash")).to_contain_text("Your vote was counted")
    expect(member.locator("article.review", has_text="night crew")).to_have_count(0)
    expect(member.locator("li", has_text="Overturned")).not_to_have_count(0)

    worker.goto("/review/status")
    worker.fill("input[name=code]", code)
    worker.locator("[type=submit][name=check]").click()
    expect(worker.locator("#status")).to_contain_text("Overturned")
    worker.goto("/transparency")
    expect(worker.locator("#panel-caption")).to_be_visible()
