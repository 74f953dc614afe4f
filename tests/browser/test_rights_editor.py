"""The rights editor in a real browser (issue 11): an organizer creates a topic, translates it
to Spanish, uploads its recorded audio, publishes it, and a reader sees it on the public page."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in

MP3 = b"\xff\xfb\x90\x64" + bytes(4000)  # an MPEG-1 Layer III frame header, then silence


def test_an_organizer_creates_translates_records_and_publishes_a_topic(open_page):
    page = open_page()
    sign_in(page, "organizer")
    page.goto("/organizer/rights")
    page.get_by_role("link", name="New topic").click()
    page.fill("input[name=slug]", "day-labor-pay")
    page.select_option("select[name=category]", "pay")
    page.fill("input[name=title]", "Pay for day labor")
    page.locator("[type=submit][name=create]").click()
    page.wait_for_url(re.compile(r"/organizer/rights/\d+/en$"))

    page.fill("textarea[name=summary]", "You must be paid for every hour, even by the day.")
    expect(page.locator("#seg-summary")).to_contain_text("GSM-7")  # the live counter
    page.fill("textarea[name=body]", "## Every hour counts\n\nKeep a note of your hours.")
    page.fill("textarea[name=voice]", "You must be paid for every hour you work.")
    page.locator("[type=submit][name=save]").click()
    expect(page.locator("#sms-segments")).to_contain_text("segment")
    topic_url = page.locator("h1 a").get_attribute("href")

    page.goto(f"{topic_url}/es")
    page.fill("input[name=title]", "Pago por trabajo de día")
    page.fill("textarea[name=summary]", "Le deben pagar cada hora, aunque le paguen por día.")
    page.fill("textarea[name=body]", "## Cada hora cuenta\n\nAnote sus horas.")
    page.locator("[type=submit][name=save]").click()
    expect(page.locator(".flash")).to_be_visible()

    page.set_input_files(
        "input[name=recording]",
        files=[{"name": "novela.mp3", "mimeType": "audio/mpeg", "buffer": MP3}],
    )
    page.locator("[type=submit][name=upload]").click()
    expect(page.locator("audio")).to_have_attribute(
        "src", re.compile(r"/voice/audio/es/topic-day-labor-pay\.mp3\?v=")
    )

    page.goto(topic_url)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash")).to_contain_text("Published")

    reader = open_page(locale="es-MX")
    reader.goto("/rights/day-labor-pay?lang=es")
    expect(reader.locator("article h1")).to_have_text("Pago por trabajo de día")
    expect(reader.locator("article h2")).to_have_text("Cada hora cuenta")
    expect(reader.locator("article")).to_contain_text("Esta traducción es un borrador")
    reader.goto("/rights?lang=es")
    expect(reader.get_by_role("link", name="Pago por trabajo de día")).to_be_visible()
