"""Scenario 4: stored (and reflected) XSS in every free-text field, web, SMS and voice.

Pages are opened with the CSP bypassed, so what is proven is the escaping itself, not only the
Content-Security-Policy behind it. On every page that shows the text: no dialog, no
`window.__xss`, no event-handler attribute, no `javascript:` link, no script but our own.
"""

import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.browser.helpers import phone, press, set_number, sign_in, text

SHORT = [
    "<script>window.__xss=1;alert(1)</script>",
    "<img src=x onerror=window.__xss=1;alert(2)>",
    "<svg onload=window.__xss=1;alert(3)>",
    '"><img src=x onerror=alert(4)>',
    "javascript:window.__xss=1;alert(5)",
    "<a href=javascript:alert(6)>x</a>",
]
LONG = (
    "Cruel place, no pay for overtime. "
    + " ".join(SHORT)
    + " <svg><script>window.__xss=1</script></svg> [click](javascript:alert(7))"
    + ' <details open ontoggle="window.__xss=1;alert(8)">x</details>'
)
HARMED = """() => {
    const bad = [];
    if (window.__xss !== undefined) bad.push("window.__xss was set");
    for (const el of document.querySelectorAll("*")) {
        for (const attr of el.attributes) {
            if (/^on/i.test(attr.name)) bad.push(`${el.tagName} ${attr.name}`);
            if (/^\\s*javascript:/i.test(attr.value)) bad.push(`${el.tagName} ${attr.name}=js`);
        }
    }
    for (const s of document.scripts) {
        if (!s.src || new URL(s.src).origin !== location.origin) bad.push("foreign script");
    }
    return bad;
}"""


def unharmed(page: Page) -> None:
    """The page ran nothing it was sent (the fixture also fails on any dialog)."""
    page.wait_for_load_state("load")
    assert page.evaluate(HARMED) == [], page.url


def short(i: int) -> str:
    return SHORT[i % len(SHORT)]


def test_no_stored_script_runs_anywhere(open_page):
    worker = open_page(bypass_csp=True)

    # A workplace named with markup, then three reviews of it (k = 3 shows their texts).
    worker.goto("/employers/new?name=" + quote(short(0)))
    unharmed(worker)
    worker.fill("[name=name]", "Acme " + short(1))
    worker.fill("[name=city]", "Houston " + short(2))
    worker.fill("[name=region]", short(3)[:60])
    worker.locator("[type=submit][name=submit]").click()
    # A new workplace waits for an organizer; its adder goes straight on to review it.
    worker.wait_for_url(re.compile(r"/review\?employer=[\w.-]+$"))
    unharmed(worker)
    review_url = worker.url
    for _ in range(3):
        worker.goto(review_url)
        unharmed(worker)
        worker.fill("textarea[name=text]", LONG)
        worker.locator("[type=submit][name=preview]").click()
        unharmed(worker)
        worker.locator("[type=submit][name=confirm]").click()
        unharmed(worker)

    # An action report on the web, one by text, and a spoken review answer.
    worker.goto("/actions/report")
    worker.fill("[name=what]", LONG[:1000])
    worker.fill("[name=employer]", short(4))
    worker.fill("[name=place]", short(5))
    worker.fill("[name=when]", short(0))
    worker.locator("[type=submit][name=submit]").click()
    unharmed(worker)

    sim = open_page(bypass_csp=True)
    sim.goto("/simulator/")
    device = phone(sim, 1)
    set_number(device, "+1 713 555 0151")
    for body in ["ACTION", LONG[:600], short(1), short(2), short(3), short(0), "JOIN", "YES"]:
        text(device, body)
    unharmed(sim)
    sim.click("#add-phone")
    second = phone(sim, 2)
    set_number(second, "+1 713 555 0152")  # a new caller: the line asks for a language first
    second.locator("[role=tab][id^=ph-tab-call]").click()
    second.locator(".aloud").uncheck()
    second.locator("button.start").click()
    expect(second.locator(".transcript li")).not_to_have_count(0)
    press(second, "1")  # English
    press(second, "2")  # review an employer: it asks for the name, by speech
    lines = second.locator(".transcript li").count()
    second.locator(".speech input").fill(short(1) + " " + short(0))
    second.locator(".speech [type=submit]").click()
    expect(second.locator(".transcript li").nth(lines + 1)).to_be_attached()  # the answer
    second.locator("button.hangup").click()
    unharmed(sim)

    # Organizers: moderation (approve the three), action reports (verify all), an alert.
    admin = open_page(bypass_csp=True)
    admin.goto("/organizer/login")
    admin.fill("input[name=email]", short(1))
    admin.fill("input[name=password]", "x")
    admin.locator("[type=submit][name=submit]").click()
    unharmed(admin)
    sign_in(admin, "admin")
    admin.goto("/organizer/employers")
    unharmed(admin)
    admin.locator("article.review", has_text="Acme").first.locator("[name=approve]").click()
    unharmed(admin)
    worker.goto("/employers?q=acme")
    worker.locator("ul.list a", has_text="Acme").first.click()
    employer_url = worker.url
    admin.goto("/organizer/moderation")
    unharmed(admin)
    for _ in range(3):
        admin.locator("article.review", has_text="Acme").first.locator("[name=approve]").click()
        unharmed(admin)
    admin.goto("/organizer/notices")
    unharmed(admin)
    while admin.locator("button[value=verify]").count():
        admin.locator("button[value=verify]").first.click()
        unharmed(admin)

    # An alert kept as a draft (its audience fields too), and one sent to the simulated phone.
    admin.goto("/organizer/alerts/new")
    admin.fill("[name=title_en]", short(2))
    admin.fill("[name=body_en]", short(3))
    admin.fill("[name=tags]", short(2))
    admin.fill("[name=regions]", short(3)[:40])
    admin.locator("[type=submit][name=save]").click()
    unharmed(admin)
    admin.goto("/organizer/alerts/new")
    for locale in ("en", "es", "zh"):
        admin.fill(f"[name=title_{locale}]", short(1)[:200])
        admin.fill(f"[name=body_{locale}]", LONG[:300])
    admin.check("[name=urgent]")
    admin.locator("[type=submit][name=save]").click()
    unharmed(admin)
    admin.locator("[type=submit][name=send]").click()
    unharmed(admin)
    expect(device.locator(".chat li.push")).to_contain_text("<img", timeout=10_000)
    unharmed(sim)
    for path in ["/organizer/alerts", "/organizer/audit", "/organizer/"]:
        admin.goto(path)
        unharmed(admin)

    # Everything public that shows what was written, and what the URL reflects.
    for path in [
        employer_url,
        "/employers",
        "/employers?q=" + quote(short(0)),
        "/employers?q=" + quote(short(3)),
        "/actions",
        "/help-near-you?region=" + quote(short(1)) + "&kind=" + quote(short(2)),
        "/review?employer=" + quote(short(0)),
        "/rights/" + quote(short(1), safe=""),
        "/?lang=" + quote(short(3)),
        "/transparency",
    ]:
        worker.goto(path)
        unharmed(worker)
    worker.goto(employer_url)
    expect(worker.locator("article.review")).to_have_count(3)  # the texts are shown, as text
    expect(worker.locator("h1")).to_have_text("Acme")  # its markup was redacted away
    sim.goto("/simulator/")
    unharmed(sim)
