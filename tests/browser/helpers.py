"""What the browser tests share besides fixtures: accounts, sign-in, the simulated phone."""

from typing import Any

import pyotp
import sqlalchemy as sa
from playwright.sync_api import Locator, Page, expect

from organize import privacy
from organize.extensions import db
from organize.models import Organizer
from tests.factories import PASSWORD

SERVED: dict[str, Any] = {}  # the live server's app (set by the live_server fixture)

ACCOUNTS = {
    "admin": "admin@organize.test",
    "moderator": "mod@organize.test",
    "organizer": "org@organize.test",
    "panel": "panel@organize.test",  # a worker member of the workers' panel
}


def current_code(email: str) -> str:
    """The account's TOTP code now, computed with pyotp as a phone would. A code opens the
    console once per 30-second step; the tests sign in faster than that, so the step last used
    is forgotten first (a person would wait for the next code)."""
    with SERVED["app"].app_context():
        organizer = db.session.scalar(sa.select(Organizer).where(Organizer.email == email))
        organizer.totp_last_step = None
        secret = privacy.decrypt(organizer.totp_cipher)
        db.session.commit()
    return pyotp.TOTP(secret).now()


def sign_in(page: Page, role: str) -> None:
    """Sign in through the real forms (CSRF and all): password, then the authenticator code."""
    page.goto("/organizer/login")
    page.fill("input[name=email]", ACCOUNTS[role])
    page.fill("input[name=password]", PASSWORD)
    page.click("[type=submit][name=submit]")
    page.wait_for_url("**/organizer/login/code")
    page.fill("input[name=code]", current_code(ACCOUNTS[role]))
    page.click("[type=submit][name=submit]")
    page.wait_for_url(lambda url: "/organizer/" in url and "/login" not in url)


def phone(page: Page, n: int) -> Locator:
    """The n-th simulated phone (1-based) on the simulator page."""
    return page.locator("section.phone").nth(n - 1)


def text(device: Locator, body: str) -> None:
    """Send one text from a simulated phone and wait for its answer (or "(no reply)")."""
    said = device.locator(".chat").first.locator("li:not(.push)")
    before = said.count()
    device.locator(".compose textarea").fill(body)
    device.locator(".compose button").click()
    expect(said).to_have_count(before + 2)


def replies_after_last_text(device: Locator) -> list[str]:
    """What the service sent since this phone last texted (replies and pushes)."""
    return device.locator(".chat").first.evaluate(
        """chat => {
            const items = [...chat.children];
            const last = items.map(li => li.classList.contains("out")).lastIndexOf(true);
            return items.slice(last + 1).map(li => li.querySelector(".text").textContent);
        }"""
    )


PHONE_VIEWPORT = {"width": 360, "height": 740}


def fits(page: Page, width: int | None = None) -> None:
    """Readable without scrolling sideways."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= (width or page.viewport_size["width"]), page.url


def set_number(device: Locator, number: str) -> None:
    """Choose the phone's number (the page resets the chat on change)."""
    field = device.locator("input.number")
    field.fill(number)
    field.dispatch_event("change")


def press(device: Locator, key: str) -> None:
    """Once the line listens (a key before that is lost, as on a real call), press a key and
    wait for the line's next words."""
    expect(device.locator(".silence")).to_be_enabled()  # enabled while a <Gather> listens
    lines = device.locator(".transcript li")
    before = lines.count()
    device.locator(f"[data-key='{key}']").click()
    expect(lines).not_to_have_count(before)
