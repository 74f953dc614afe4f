"""The issue's scenarios 1–3 in a real browser: a worker's review from a phone, moderation, an
alert broadcast reaching simulated phones, STOP in Spanish, and a call in Spanish."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    PHONE_VIEWPORT,
    fits,
    phone,
    press,
    replies_after_last_text,
    set_number,
    sign_in,
    text,
)

STORY = (
    "El supervisor Jorge Medina nos gritaba y no pagaba las horas extra. "
    "Si quieren saber más llámenme al 713-555-0142."
)


def test_a_spanish_speaking_worker_reviews_from_a_phone_and_a_moderator_approves(open_page):
    page = open_page(locale="es-MX", viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    fits(page)
    page.fill("#q", "sunrise")
    page.locator("form.search [type=submit]").click()
    page.get_by_role("link", name="Sunrise Cleaning").click()
    fits(page)
    page.locator("a.button[href*='/review?employer=']").click()
    page.check("input[name=pay][value='1']")
    page.check("input[name=respect][value='2']")
    page.check("input[name=wage_theft][value=yes]")
    page.fill("textarea[name=text]", STORY)
    fits(page)
    page.locator("[type=submit][name=preview]").click()

    preview = page.locator("blockquote.preview")
    expect(preview).to_contain_text("[teléfono]")
    expect(preview).to_contain_text("[nombre]")
    expect(preview).not_to_contain_text("713")
    expect(preview).not_to_contain_text("Medina")
    fits(page)
    page.locator("[type=submit][name=confirm]").click()
    page.wait_for_url("**/review/thanks**")
    fits(page)

    moderator = open_page()
    sign_in(moderator, "moderator")
    moderator.goto("/organizer/moderation")
    mine = moderator.locator("article.review", has_text="[nombre] nos gritaba")
    expect(mine).to_have_count(1)
    expect(mine).not_to_contain_text("Medina")
    mine.locator("[type=submit][name=approve]").click()
    expect(moderator.locator(".flash")).to_contain_text("Approved")
    expect(moderator.locator("article.review", has_text="[nombre] nos gritaba")).to_have_count(0)


def test_an_alert_reaches_three_phones_and_alto_gets_one_confirmation(open_page):
    sim = open_page()
    sim.goto("/simulator/")
    sim.click("#add-phone")
    sim.click("#add-phone")
    phones = [phone(sim, n) for n in (1, 2, 3)]
    for n, device in enumerate(phones, start=11):
        set_number(device, f"+1 713 555 01{n}")
    text(phones[0], "JOIN")
    text(phones[0], "YES")
    text(phones[1], "ALERTAS")
    text(phones[1], "SÍ")
    text(phones[2], "join")
    text(phones[2], "y")
    assert "alertas" in replies_after_last_text(phones[1])[0]  # the confirmation, in Spanish

    organizer = open_page()
    sign_in(organizer, "organizer")
    organizer.goto("/organizer/alerts/new")
    organizer.fill("[name=title_en]", "Rally Friday")
    organizer.fill("[name=body_en]", "Rally at city hall on Friday at 5pm. Bring a coworker.")
    organizer.fill("[name=title_es]", "Marcha el viernes")
    organizer.fill("[name=body_es]", "Marcha en el ayuntamiento el viernes a las 5pm.")
    organizer.check("[name=urgent]")  # quiet hours must not hold the test back at night
    organizer.locator("[type=submit][name=save]").click()
    organizer.wait_for_url(re.compile(r"/organizer/alerts/\d+$"))
    organizer.locator("[type=submit][name=send]").click()
    expect(organizer.locator("#progress-bar")).to_be_visible()  # not an error page
    organizer.wait_for_function(
        "() => { const bar = document.getElementById('progress-bar');"
        " return bar.value > 0 && bar.value === bar.max; }"
    )
    expect(organizer.locator("#progress-text")).to_have_text(re.compile(r"^(\d+) / \1$"))

    wanted = ["Rally at city hall", "Marcha en el ayuntamiento", "Rally at city hall"]
    for device, words in zip(phones, wanted, strict=True):
        expect(device.locator(".chat li.push")).to_contain_text(words, timeout=10_000)

    text(phones[1], "ALTO")
    sim.wait_for_timeout(3000)  # one more outbox poll: nothing else may arrive
    answers = replies_after_last_text(phones[1])
    assert len(answers) == 1, answers


def test_a_call_in_spanish_reaches_a_rights_topic_and_sends_it_by_text(open_page):
    sim = open_page(locale="es-MX")
    sim.goto("/simulator/")
    device = phone(sim, 1)
    set_number(device, "+1 713 555 0121")
    device.locator("[role=tab][id^=ph-tab-call]").click()
    device.locator(".aloud").uncheck()
    device.locator("button.start").click()
    transcript = device.locator(".transcript")
    expect(transcript).to_contain_text("Español")
    press(device, "2")  # Spanish
    expect(transcript.locator("[lang=es-MX]").last).to_be_visible()
    press(device, "1")  # your rights
    expect(transcript).to_contain_text("Descansos y comidas")
    press(device, "1")  # the first topic
    topic = transcript.locator("[lang=es-MX]", has_text="La ley federal")
    expect(topic).to_have_count(1)
    press(device, "2")  # send it to me by text
    device.locator("button.hangup").click()
    expect(device.locator(".call-state")).not_to_have_text("")
    device.locator("[role=tab][id^=ph-tab-sms]").click()
    expect(device.locator(".chat li.push")).to_contain_text("Descansos", timeout=10_000)


def test_the_call_screen_follows_dial_redirects_silence_and_hangup(open_page):
    sim = open_page()
    sim.goto("/simulator/")
    device = phone(sim, 1)
    set_number(device, "+1 713 555 0122")
    device.locator("[role=tab][id^=ph-tab-call]").click()
    device.locator(".aloud").uncheck()
    device.locator("button.start").click()
    state = device.locator(".call-state")
    press(device, "1")  # English
    press(device, "0")  # an organizer: the line would dial a person
    dial = device.locator(".dial-buttons")
    expect(dial).to_be_visible()
    expect(device.locator(".keypad button").first).to_be_enabled()
    dial.locator("[data-dial=no-answer]").click()
    expect(dial).to_be_hidden()
    expect(device.locator(".transcript")).to_contain_text("no organizer")  # then the menu again
    expect(device.locator(".silence")).to_be_enabled()
    for _ in range(3):  # the timeout path, until the line gives up and hangs up
        if device.locator(".silence").is_disabled():
            break
        lines = device.locator(".transcript li").count()
        device.locator(".silence").click()
        expect(device.locator(".transcript li")).not_to_have_count(lines)
    expect(device.locator("button.start")).to_be_enabled()
    expect(state).to_have_text("Call ended")
    expect(device.locator(".keypad button").first).to_be_disabled()
