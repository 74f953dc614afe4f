"""Issue 9, web edges: hostile query strings, the error page, redirects, headers, sessions, logs."""

import logging

import pytest

from organize.plumbing import logscrub
from tests.factories import login, make_employer, make_organizer

HOSTILE_QUERIES = ["endpoint=x", "_method=POST", "slug=", "_external=1", "_anchor=x", "_scheme=x"]


@pytest.fixture
def live_app(app_factory):
    """An app that handles its own errors, as in production (tests normally let them raise)."""
    return app_factory(TESTING=False)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("path", ["/", "/employers", "/employers/sunrise-cleaning-houston"])
def test_hostile_query_strings_do_not_crash_pages(client, path, query):
    make_employer()
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert "lang=es" in response.get_data(as_text=True)


def test_language_links_keep_the_query_and_stay_on_this_site(client):
    html = client.get("/employers?q=wok&lang=en").get_data(as_text=True)
    assert 'href="/employers?q=wok&amp;lang=es"' in html
    # A path that starts with two slashes (the test client would read it as a host otherwise)
    off_site = client.get("/", environ_overrides={"PATH_INFO": "//evil.example/x"})
    assert off_site.status_code == 404
    html = off_site.get_data(as_text=True)
    assert 'href="//evil' not in html
    assert 'href="/evil.example/x?lang=es"' in html


def test_the_error_page_survives_its_own_failure(live_app, monkeypatch):
    from organize.web import templating

    def broken(code):
        raise RuntimeError("boom")

    monkeypatch.setattr(templating, "lang_url", broken)
    response = live_app.test_client().get("/", headers={"Accept-Language": "es"})
    assert response.status_code == 500
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Algo salió mal" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "/%09/evil.example",
        "/\t/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "/ /evil.example",
        "evil.example",
    ],
)
def test_login_never_redirects_off_site(client, target):
    make_organizer()
    assert login(client, next=target) == "/organizer/"


def test_login_keeps_a_local_next(client):
    make_organizer()
    assert login(client, next="/organizer/moderation?page=2") == "/organizer/moderation?page=2"


def test_hsts_only_in_production(app_factory):
    assert "Strict-Transport-Security" not in app_factory().test_client().get("/").headers
    production = app_factory(ENV_NAME="production").test_client()
    assert production.get("/").headers["Strict-Transport-Security"].startswith("max-age=")


def test_organizer_pages_are_never_cached(client):
    make_organizer()
    assert client.get("/organizer/login").headers["Cache-Control"] == "no-store"
    login(client)
    assert client.get("/organizer/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_a_session_cookie_captured_before_logout_is_dead_after_it(app_factory):
    # Its own app and no app context held open: a shared context would cache the user in `g`
    # and hide what the cookie alone does.
    app = app_factory()
    with app.app_context():
        make_organizer()
    client = app.test_client()
    login(client)
    assert client.get("/organizer/").status_code == 200
    captured = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", captured)
    assert thief.get("/organizer/").status_code == 200  # the copy works while signed in …
    client.post("/organizer/logout")
    thief = app.test_client()
    thief.set_cookie("session", captured)
    response = thief.get("/organizer/")  # … and not after the sign-out
    assert response.status_code == 302
    assert "/organizer/login" in response.headers["Location"]
    login(client)  # signing in again works
    assert client.get("/organizer/").status_code == 200


def _access_line(query: str) -> logging.LogRecord:
    line = f'127.0.0.1 - - [29/Nov/2026 10:00:00] "GET /employers?{query} HTTP/1.1" 200 -'
    return logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "%s", (line,), None)


def test_access_log_reads_encoded_numbers():
    record = _access_line("q=%2B1%20713%20555%200142")
    logscrub.ScrubFilter().filter(record)
    message = record.getMessage()
    assert "713" not in message
    assert "0142" not in message


def test_access_log_drops_query_strings_in_production():
    record = _access_line("q=maria%40example.com+Garcia")
    logscrub.ScrubFilter(strip_queries=True).filter(record)
    message = record.getMessage()
    assert '"GET /employers HTTP/1.1" 200' in message
    assert "maria" not in message
    assert "Garcia" not in message


def test_production_app_installs_the_query_stripping_scrub(app_factory):
    app_factory(ENV_NAME="production")
    werkzeug = logging.getLogger("werkzeug")
    assert any(getattr(f, "strip_queries", False) for f in werkzeug.filters)
    app_factory()
    assert not any(getattr(f, "strip_queries", False) for f in werkzeug.filters)
