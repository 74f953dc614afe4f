"""Accessibility and weight, in English and Spanish, on every public and organizer page.

One visit per page and language, at 320 px wide (the narrowest phone we promise), checks:
axe-core finds no serious or critical violation; the page does not scroll sideways; no request
leaves this server; and, for public pages, HTML + CSS stay within 30 KB. The organizer console
(sign-in and second factor included) is held to more: no axe violation of any impact, at 320 px
and at 1280 px. The per-page results
are written to `a11y-report.json` in pytest's temporary directory and summarized at the end of
the run (see conftest.py).
"""

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Request, Response

from organize import organizers, reviews
from organize.extensions import db
from organize.models import Alert, Employer, Organizer
from tests.browser.helpers import ACCOUNTS, sign_in
from tests.factories import PASSWORD

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}
NEWCOMER = "newcomer@organize.test"  # an account without a second factor yet (enrolment page)
LOCALES = {"en": "en-US", "es": "es-MX"}
PUBLIC_BUDGET = 30_000  # bytes of HTML + CSS
BLOCKING = {"serious", "critical"}
RESULTS: dict[str, dict[str, Any]] = {}
axe = Axe()


@dataclass(frozen=True)
class Target:
    """A page to check: a path, or steps that end on it (pages only a form leads to)."""

    name: str
    public: bool
    path: str = ""
    steps: Callable[[Page], None] | None = None
    console: bool = False  # zero violations of any impact, at both widths


def _preview(page: Page) -> None:
    page.goto("/review?employer=sunrise-cleaning-houston")
    page.fill("textarea[name=text]", "They paid late. Call Ana at 713-555-0142.")
    page.locator("[type=submit][name=preview]").click()
    page.wait_for_selector("blockquote.preview")


def _review_errors(page: Page) -> None:
    page.goto("/review?employer=sunrise-cleaning-houston")
    page.locator("[type=submit][name=preview]").click()
    page.wait_for_selector(".error")


def _action_thanks(page: Page) -> None:
    page.goto("/actions/report")
    page.fill("[name=what]", "A walk-out at the warehouse over unpaid overtime.")
    page.locator("[type=submit][name=submit]").click()
    page.wait_for_load_state()


def _login_error(page: Page) -> None:
    page.goto("/organizer/login")
    page.fill("[name=email]", "nobody@organize.test")
    page.fill("[name=password]", "wrong password")
    page.locator("[type=submit][name=submit]").click()
    page.wait_for_selector(".error")


def _password_step(page: Page, email: str) -> None:
    page.goto("/organizer/login")
    page.fill("[name=email]", email)
    page.fill("[name=password]", PASSWORD)
    page.locator("[type=submit][name=submit]").click()
    page.wait_for_selector("[name=code]")


def _code_page(page: Page) -> None:
    _password_step(page, ACCOUNTS["moderator"])


def _code_error(page: Page) -> None:
    _password_step(page, ACCOUNTS["moderator"])
    page.fill("[name=code]", "000000")
    page.locator("[type=submit][name=submit]").click()
    page.wait_for_selector(".error")


def _enrol_page(page: Page) -> None:
    _password_step(page, NEWCOMER)
    page.wait_for_selector("svg[role=img]")


CSV = (
    "phone,language,state,tags\n713-555-0142,es,TX,warehouse\n12345,xx,TX,\n"
    '713-555-0143,fil,CA,"night shift, warehouse"\n'
)


def _import_preview(page: Page) -> None:
    page.goto("/organizer/contacts/import")
    upload = {"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    page.set_input_files("[name=file]", files=[upload])
    page.fill("[name=consent_source]", "Sign-up sheet, March 3 meeting")
    page.locator("[type=submit][name=preview]").click()
    page.wait_for_selector("table.stack")


PUBLIC_PATHS = {
    "home": "/",
    "employers": "/employers",
    "employers-search": "/employers?q=limpieza",
    "employer-with-reviews": "/employers/{shown}",
    "employer-aggregates-only": "/employers/{hidden}",
    "employer-new": "/employers/new",
    "review-pick-employer": "/review",
    "review-form": "/review?employer={shown}",
    "review-thanks": "/review/thanks?employer={shown}",
    "rights": "/rights",
    "rights-topic": "/rights/minimum-wage",
    "help-near-you": "/help-near-you",
    "actions": "/actions",
    "actions-report": "/actions/report",
    "transparency": "/transparency",
    "rules": "/rules",
    "review-status": "/review/status",
    "privacy": "/privacy",
    "not-found": "/no-such-page",
    "organizer-login": "/organizer/login",
}
ORGANIZER_PATHS = {
    "console": "/organizer/",
    "contacts": "/organizer/contacts",
    "contacts-import": "/organizer/contacts/import",
    "audiences": "/organizer/contacts/audiences",
    "security": "/organizer/security",
    "alerts": "/organizer/alerts",
    "alert-new": "/organizer/alerts/new",
    "alert": "/organizer/alerts/{alert_id}",
    "alert-edit": "/organizer/alerts/{alert_id}/edit",
    "inbox": "/organizer/inbox",
    "my-phone": "/organizer/phone",
    "moderation": "/organizer/moderation",
    "action-reports": "/organizer/notices",
    "audit": "/organizer/audit",
    "rights-topics": "/organizer/rights",
    "rights-new": "/organizer/rights/new",
    "rights-topic": "/organizer/rights/1",
    "rights-text": "/organizer/rights/1/es",
    "rights-notes": "/organizer/rights/1/notes",
    "resources": "/organizer/resources",
    "resource": "/organizer/resources/1",
    "resource-import": "/organizer/resources/import",
    "panel": "/organizer/panel",
    "rule-propose": "/organizer/rules/propose",
    "simulator": "/simulator/",
}
TARGETS = [
    *(Target(name, True, path) for name, path in PUBLIC_PATHS.items() if "organizer" not in name),
    Target("review-preview", True, steps=_preview),
    Target("review-errors", True, steps=_review_errors),
    Target("actions-thanks", True, steps=_action_thanks),
    Target("organizer-login", True, "/organizer/login", console=True),
    Target("organizer-login-error", True, steps=_login_error, console=True),
    Target("organizer-code", True, steps=_code_page, console=True),
    Target("organizer-code-error", True, steps=_code_error, console=True),
    Target("organizer-enrol", True, steps=_enrol_page, console=True),
    *(
        Target(name, False, path, console=name != "simulator")
        for name, path in ORGANIZER_PATHS.items()
    ),
    Target("contacts-import-preview", False, steps=_import_preview, console=True),
]
# Console pages are checked at both widths, the public ones at the narrow one.
VISITS = [(t, width) for t in TARGETS for width in (("320", "1280") if t.console else ("320",))]


@pytest.fixture(scope="module")
def slugs(live_server: Any, alert_id: int) -> dict[str, Any]:
    """A seeded employer whose review texts show, one that shows aggregates only, the alert."""
    with live_server.app.app_context():
        shown = hidden = ""
        for employer in db.session.scalars(sa.select(Employer).order_by(Employer.id)):
            if reviews.visible_reviews(employer=employer):
                shown = shown or employer.slug
            else:
                hidden = hidden or employer.slug
        assert shown, "the seed should have an employer whose reviews show"
        assert hidden, "the seed should have an employer with aggregates only"
        return {"shown": shown, "hidden": hidden, "alert_id": alert_id}


@pytest.fixture(scope="module")
def alert_id(live_server: Any, browser: Any) -> int:
    """A draft alert (with a Spanish text) and an action report waiting for verification."""
    with live_server.app.app_context():
        if db.session.scalar(sa.select(Organizer.id).where(Organizer.email == NEWCOMER)) is None:
            organizers.create(email=NEWCOMER, password=PASSWORD, role="organizer")
            db.session.commit()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    _action_thanks(page)
    sign_in(page, "admin")
    page.goto("/organizer/alerts/new")
    page.fill("[name=title_en]", "Wage theft clinic")
    page.fill("[name=body_en]", "Free help with unpaid wages, Saturday 10am.")
    page.fill("[name=title_es]", "Clínica de robo de salario")
    page.fill("[name=body_es]", "Ayuda gratis con salarios no pagados, sábado 10am.")
    page.locator("[type=submit][name=save]").click()
    page.wait_for_url("**/organizer/alerts/*")
    context.close()
    with live_server.app.app_context():
        return int(db.session.scalar(sa.select(sa.func.max(Alert.id))) or 0)


@pytest.fixture(scope="module")
def contexts(browser: Any, live_server: Any) -> Iterator[dict[tuple[str, bool, str], Page]]:
    """A signed-out and a signed-in (admin) page per language and width."""
    pages: dict[tuple[str, bool, str], Page] = {}
    for lang, locale in LOCALES.items():
        for width, viewport in (("320", NARROW), ("1280", WIDE)):
            for public in (True, False):
                context = browser.new_context(
                    base_url=live_server.url, locale=locale, viewport=viewport
                )
                context.set_default_timeout(10_000)
                page = context.new_page()
                if not public:
                    sign_in(page, "admin")
                pages[(lang, public, width)] = page
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.fixture(scope="module", autouse=True)
def report(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[None]:
    """Write what was measured, for the terminal summary and for whoever reads the run."""
    yield
    path = tmp_path_factory.getbasetemp() / "a11y-report.json"
    path.write_text(json.dumps(RESULTS, indent=2, sort_keys=True))
    request.config.stash[A11Y_REPORT] = (str(path), dict(RESULTS))


A11Y_REPORT = pytest.StashKey[tuple[str, dict[str, dict[str, Any]]]]()


def _visit(page: Page, target: Target, origin: str) -> tuple[list[str], list[Response]]:
    requests: list[str] = []
    responses: list[Response] = []

    def on_request(req: Request) -> None:
        requests.append(req.url)

    def on_response(response: Response) -> None:
        responses.append(response)

    page.on("request", on_request)
    page.on("response", on_response)
    try:
        if target.steps is not None:
            target.steps(page)
        else:
            page.goto(target.path)
        page.wait_for_load_state("load")
    finally:
        page.remove_listener("request", on_request)
        page.remove_listener("response", on_response)
    foreign = [
        url for url in requests if url.startswith("http") and not url.startswith(origin + "/")
    ]
    return foreign, responses


ASSET_SIZES: dict[str, int] = {}
ASSETS = """kind => [...document.querySelectorAll(
    kind === "css" ? "link[rel=stylesheet]" : "script[src]")].map(e => e.href || e.src)"""


def _weight(page: Page, responses: list[Response]) -> dict[str, int]:
    """Bytes of the page's final document, of its stylesheets and of its scripts (counted
    whether or not the browser had them cached)."""
    documents = [
        r for r in responses if r.request.resource_type == "document" and not 300 <= r.status < 400
    ]
    sizes = {"document": len(documents[-1].body()) if documents else 0}
    for kind in ("css", "js"):
        total = 0
        for url in page.evaluate(ASSETS, kind):
            if url not in ASSET_SIZES:
                ASSET_SIZES[url] = len(page.request.get(url).body())
            total += ASSET_SIZES[url]
        sizes[kind] = total
    return sizes


@pytest.mark.parametrize(("target", "width"), VISITS, ids=[f"{t.name}-{w}" for t, w in VISITS])
@pytest.mark.parametrize("lang", list(LOCALES))
def test_page(
    lang: str,
    target: Target,
    width: str,
    contexts: dict[tuple[str, bool, str], Page],
    live_server: Any,
    slugs: dict[str, Any],
) -> None:
    page = contexts[(lang, target.public, width)]
    target = Target(
        target.name, target.public, target.path.format(**slugs), target.steps, target.console
    )
    foreign, responses = _visit(page, target, live_server.url)
    checked = axe.run(page).response
    violations = checked["violations"]
    assert len(checked["passes"]) > 10, "axe did not check this page"
    weight = _weight(page, responses)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    url = urlsplit(page.url)
    measured = RESULTS[f"{target.name} [{lang} {width}px]"] = {
        "url": url.path + (f"?{url.query}" if url.query else ""),
        "public": target.public,
        "violations": dict(Counter(v["impact"] or "minor" for v in violations)),
        "rules": sorted(f"{v['id']} ({v['impact']})" for v in violations),
        "html_css_bytes": weight["document"] + weight["css"],
        "script_bytes": weight["js"],
        "scroll_width": scroll_width,
        "foreign_requests": foreign,
    }
    blocking = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in violations
        if v["impact"] in BLOCKING or target.console
    ]
    assert blocking == [], blocking
    assert page.evaluate("document.documentElement.lang") == lang
    assert foreign == [], foreign
    assert scroll_width <= int(width), f"{page.url} is {scroll_width}px wide at {width}px"
    if target.public:
        size = measured["html_css_bytes"]
        assert 0 < size <= PUBLIC_BUDGET, f"{page.url}: {size} bytes of HTML + CSS"
