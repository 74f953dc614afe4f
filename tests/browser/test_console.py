"""The console in a real browser: a first sign-in that sets up the second factor (the code
computed with pyotp, as the phone would), a later sign-in with a code, and a CSV import."""

import re
import time
from typing import Any

import pyotp
import sqlalchemy as sa
from playwright.sync_api import expect

from organize import organizers
from organize.extensions import db
from organize.models import AuditEvent, Organizer
from tests.browser.helpers import fits, sign_in
from tests.factories import PASSWORD

EMAIL = "first-time@organize.test"


def _password(page: Any, email: str) -> None:
    page.goto("/organizer/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("[type=submit][name=submit]")


def test_first_sign_in_sets_up_the_authenticator_and_the_next_needs_a_code(open_page, live_server):
    with live_server.app.app_context():
        organizers.create(email=EMAIL, password=PASSWORD, role="organizer")
        db.session.commit()
    page = open_page(viewport={"width": 320, "height": 700})
    page.goto("/organizer/")
    expect(page).to_have_url(re.compile(r"/organizer/login"))  # nothing without signing in
    _password(page, EMAIL)
    expect(page).to_have_url(re.compile(r"/organizer/login/enrol$"))
    expect(page.locator("figure.qr svg[role=img]")).to_be_visible()
    fits(page)
    key = page.locator("code.secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(key)
    page.goto("/organizer/")  # still closed: the password alone opens nothing
    expect(page).to_have_url(re.compile(r"/organizer/login"))
    _password(page, EMAIL)
    page.fill("input[name=code]", totp.now())
    page.click("[type=submit][name=submit]")
    codes = page.locator("ul.codes code")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name="I have saved them: continue").click()
    expect(page.locator("h1")).to_have_text("Console")

    page.get_by_role("button", name="Sign out").click()
    _password(page, EMAIL)
    expect(page).to_have_url(re.compile(r"/organizer/login/code$"))
    page.fill("input[name=code]", "000000")
    page.click("[type=submit][name=submit]")
    expect(page.locator(".error")).to_contain_text("That code is not right")
    # The code of the next 30-second step (accepted for clock drift): the one used at enrolment
    # may not open the console twice.
    page.fill("input[name=code]", totp.at(time.time() + totp.interval))
    page.click("[type=submit][name=submit]")
    expect(page.locator("h1")).to_have_text("Console")
    with live_server.app.app_context():
        actions = set(
            db.session.scalars(
                sa.select(AuditEvent.action)
                .join(Organizer, AuditEvent.actor_id == Organizer.id)
                .where(Organizer.email == EMAIL)
            )
        )
    assert {"organizer.2fa-enrol", "organizer.login"} <= actions


CSV_WITH_A_MISTAKE = "phone,language,state,tags\n713-555-0160,es,TX,bakery\n555,es,TX,\n"
CSV = (
    "phone,language,state,tags\n"
    "713-555-0160,es,TX,bakery\n"
    '713-555-0161,zh,TX,"bakery, night shift"\n'
    "713-555-0162,,CA,\n"
)


def _upload(page: Any, text: str) -> None:
    page.goto("/organizer/contacts/import")
    upload = {"name": "people.csv", "mimeType": "text/csv", "buffer": text.encode()}
    page.set_input_files("[name=file]", files=[upload])
    page.fill("[name=consent_source]", "Bakery workers' meeting, sign-up sheet")
    page.click("[type=submit][name=preview]")


def test_a_csv_import_is_checked_then_imported_whole(open_page):
    page = open_page(viewport={"width": 320, "height": 700})
    sign_in(page, "organizer")
    _upload(page, CSV_WITH_A_MISTAKE)
    expect(page.locator("tr.error")).to_contain_text("Not a valid phone number.")
    expect(page.locator("[name=confirm]")).to_have_count(0)  # one wrong row: nothing to import
    fits(page)

    _upload(page, CSV)
    expect(page.locator("tr.new")).to_have_count(3)
    assert "0160" not in page.content()
    page.click("[type=submit][name=confirm]")
    expect(page).to_have_url(re.compile(r"/organizer/contacts$"))
    expect(page.locator(".flash")).to_contain_text("3 added")
    table = page.locator("table.stack tbody")
    expect(table).to_contain_text("+1•••••••60")
    expect(table).to_contain_text("+1•••••••62")
    assert "555" not in page.content()
    expect(page.locator("section[aria-labelledby=by-tag]")).to_contain_text("bakery: 2")
    fits(page)
    page.get_by_role("link", name="night shift").click()
    expect(page.locator("table.stack tbody tr")).to_have_count(1)
