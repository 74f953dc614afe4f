"""Issue 13 in a real browser: answering a reply from the inbox, editing a draft then sending
it, and moderating with "mask more" (the words chosen by selecting them in the text)."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import phone, set_number, sign_in, text

NICKNAME_STORY = "Everyone calls him El Flaco. el flaco kept our tips every single week."


def _subscribed_phone(sim: Page, number: str):
    sim.goto("/simulator/")
    device = phone(sim, 1)
    set_number(device, number)
    text(device, "JOIN")
    text(device, "YES")
    return device


def _compose(organizer: Page, title: str, body: str) -> None:
    organizer.goto("/organizer/alerts/new")
    organizer.fill("[name=title_en]", title)
    organizer.fill("[name=body_en]", body)
    organizer.check("[name=urgent]")  # quiet hours must not hold the test back at night
    organizer.locator("[type=submit][name=save]").click()
    organizer.wait_for_url(re.compile(r"/organizer/alerts/\d+$"))


def _send(organizer: Page) -> None:
    organizer.locator("[type=submit][name=send]").click()
    organizer.wait_for_function(
        "() => { const bar = document.getElementById('progress-bar');"
        " return bar && bar.value > 0 && bar.value === bar.max; }"
    )


def test_an_organizer_answers_a_reply_from_the_inbox(open_page):
    sim = open_page()
    device = _subscribed_phone(sim, "+1 713 555 0131")
    organizer = open_page()
    sign_in(organizer, "organizer")
    _compose(organizer, "Picket Monday", "Picket at the north gate Monday 6am.")
    _send(organizer)
    expect(device.locator(".chat li.push")).to_contain_text("north gate", timeout=10_000)

    text(device, "Can I bring my cousin? Call me at 713-555-0188")
    expect(device.locator(".chat li").last).to_contain_text("An organizer will read")

    organizer.goto("/organizer/inbox")
    row = organizer.locator("tr", has_text="+1•••••••31")
    expect(row).to_contain_text("Picket Monday")
    expect(row).not_to_contain_text("0188")
    row.get_by_role("link").click()
    thread = organizer.locator("ol.thread")
    expect(thread).to_contain_text("[phone]")
    expect(thread).not_to_contain_text("713-555-0188")
    organizer.fill("textarea[name=text]", "Yes, bring them. See you at 6.")
    organizer.locator("[type=submit][name=send]").click()
    expect(organizer.locator(".flash")).to_contain_text("Answer sent")
    expect(thread.locator("li.out")).to_contain_text("Yes, bring them.")
    expect(device.locator(".chat li.push").last).to_contain_text("Yes, bring them.", timeout=10_000)


def test_a_draft_is_edited_and_the_edited_text_is_sent(open_page):
    sim = open_page()
    device = _subscribed_phone(sim, "+1 713 555 0132")
    organizer = open_page()
    sign_in(organizer, "organizer")
    _compose(organizer, "March Saturday", "March at noon from the park.")
    organizer.get_by_role("link", name="Edit draft").click()
    expect(organizer.locator("[name=body_en]")).to_have_value("March at noon from the park.")
    organizer.fill("[name=body_en]", "March at 1pm from the library steps.")
    organizer.locator("[type=submit][name=save]").click()
    organizer.wait_for_url(re.compile(r"/organizer/alerts/\d+$"))
    expect(organizer.locator(".flash")).to_contain_text("Draft saved")
    expect(organizer.locator(".preview").first).to_contain_text("library steps")
    _send(organizer)
    expect(device.locator(".chat li.push").last).to_contain_text("library steps", timeout=10_000)
    expect(device.locator(".chat:not(.transcript)")).not_to_contain_text("from the park")


def test_a_moderator_masks_a_nickname_by_selecting_it(open_page):
    worker = open_page()
    worker.goto("/")
    worker.fill("#q", "sunrise")
    worker.locator("form.search [type=submit]").click()
    worker.get_by_role("link", name="Sunrise Cleaning").click()
    worker.locator("a.button[href*='/review?employer=']").click()
    worker.check("input[name=pay][value='2']")
    worker.fill("textarea[name=text]", NICKNAME_STORY)
    worker.locator("[type=submit][name=preview]").click()
    worker.locator("[type=submit][name=confirm]").click()
    worker.wait_for_url("**/review/thanks**")

    moderator = open_page()
    sign_in(moderator, "moderator")
    moderator.goto("/organizer/moderation")
    mine = moderator.locator("article.review", has_text="kept our tips every single week")
    expect(mine).to_have_count(1)
    words = mine.locator("[data-maskable]")
    words.evaluate(
        """el => {
            const node = el.firstChild, at = node.textContent.indexOf("El Flaco");
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + "El Flaco".length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            el.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
        }"""
    )
    expect(mine.locator("input[name=phrase]")).to_have_value("El Flaco")
    mine.locator("[type=submit][name=mask]").click()
    expect(moderator.locator(".flash")).to_contain_text("Masked 2 times")
    mine = moderator.locator("article.review", has_text="kept our tips every single week")
    expect(mine.locator("[data-maskable]")).to_contain_text("[name]")
    expect(mine.locator("[data-maskable]")).not_to_contain_text("Flaco")
    expect(mine).to_contain_text("2 names")
