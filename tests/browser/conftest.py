"""Browser fixtures: the app served on a loopback port, driven by Debian's Chromium.

The server runs the real app (CSRF on, jobs in-process, no Redis) on a fresh SQLite file seeded
like `flask seed-demo`, once per session; tests add what they need through the browser.
Without Chromium the directory is skipped locally, but fails in CI (`CI` set): a browser that
silently never ran proves nothing.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from organize import create_app, organizers
from organize.cli import seed_employers_and_reviews, seed_resources, seed_rights
from organize.extensions import db
from organize.models import Base
from tests.browser.helpers import ACCOUNTS, SERVED
from tests.conftest import make_config
from tests.factories import PASSWORD, enrol

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """CHROMIUM_PATH as given (a path or a command on PATH), if it exists."""
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    return shutil.which(CHROMIUM)


@pytest.fixture(scope="session", autouse=True)
def chromium() -> str:
    """Skip (locally) or fail (CI) before any browser fixture tries to launch."""
    found = chromium_path()
    if found:
        return found
    message = (
        f"no Chromium at {CHROMIUM!r}: install it (apt-get install chromium) or set CHROMIUM_PATH"
    )
    if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}:
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(f"browser tests skipped: {message}")


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium: str
) -> dict[str, Any]:
    """Debian's Chromium, never a downloaded one (`playwright install` is not used)."""
    return {**browser_type_launch_args, "executable_path": chromium, "args": FLAGS}


@dataclass
class Server:
    """The app and where it listens."""

    app: Flask
    url: str


def _seed(app: Flask) -> None:
    with app.app_context():
        Base.metadata.create_all(db.engine)
        for role, email in ACCOUNTS.items():
            enrol(organizers.create(email=email, password=PASSWORD, role=role))
        db.session.commit()
        seed_rights()
        seed_resources()
        seed_employers_and_reviews()
        db.session.commit()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[Server]:
    """The app on 127.0.0.1:<free port>, threaded, on its own SQLite file."""
    database = tmp_path_factory.mktemp("browser") / "organize.db"
    app = create_app(
        make_config(
            f"sqlite:///{database}",
            WTF_CSRF_ENABLED=True,
            REDIS_URL=None,
            RATELIMIT_STORAGE_URI="memory://",
            SEND_RATE=1000.0,  # the in-process throttle would otherwise sleep a second a text
            CALL_RATE=1000.0,
            HOTLINE_NUMBER="+15555550100",  # so "0" on the line is a <Dial> (fictional number)
            AUDIO_DIR=str(tmp_path_factory.mktemp("audio")),  # the editor test uploads one
        )
    )
    _seed(app)
    SERVED["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield Server(app=app, url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server: Server) -> str:
    """pytest-playwright resolves `page.goto("/path")` against this."""
    return live_server.url


@dataclass
class Opened:
    """A page and what it said that a test must not ignore."""

    page: Any
    dialogs: list[str]
    errors: list[str]


@pytest.fixture
def open_page(browser: Any, base_url: str) -> Iterator[Any]:
    """Open pages in fresh contexts (own cookies, locale, viewport); script errors fail."""
    opened: list[Opened] = []

    def factory(**options: Any) -> Any:
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        seen = Opened(page=page, dialogs=[], errors=[])
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        opened.append(seen)
        return page

    yield factory
    for seen in opened:
        seen.page.context.close()
    assert [s.errors for s in opened if s.errors] == [], "script errors in the page"
    assert [s.dialogs for s in opened if s.dialogs] == [], "a dialog opened"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The accessibility and weight results, per page, whatever `-s` says."""
    from tests.browser.test_accessibility import A11Y_REPORT

    found = config.stash.get(A11Y_REPORT, None)
    if not found:
        return
    path, results = found
    terminalreporter.section("accessibility and weight")
    for name, r in sorted(results.items()):
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r["violations"].items())) or "none"
        terminalreporter.write_line(
            f"{name:38} axe: {counts:32} html+css {r['html_css_bytes']:>6} B"
            f"  js {r['script_bytes']:>6} B  width {r['scroll_width']}px"
        )
    public = {name: r for name, r in results.items() if r["public"]}
    if public:
        name = max(public, key=lambda n: public[n]["html_css_bytes"])
        terminalreporter.write_line(
            f"heaviest public page: {name} {public[name]['url']}"
            f" ({public[name]['html_css_bytes']} B HTML + CSS)"
        )
    terminalreporter.write_line(f"report: {path}")
