"""Public pages: language, headers, weight, escaping, errors."""

import re

import pytest

from organize import rights
from organize.extensions import db
from tests.factories import make_employer, make_review
from tests.htmltools import parse, visible_text

PUBLIC_PAGES = [
    "/",
    "/employers",
    "/employers/new",
    "/review",
    "/rights",
    "/transparency",
    "/privacy",
]


@pytest.fixture
def topic(app):
    rights.upsert(
        slug="overtime",
        category="pay",
        position=0,
        reviewed_on=None,
        sources=[{"title": "DOL", "url": "https://www.dol.gov/"}],
        texts={
            "en": {
                "title": "Overtime",
                "summary": "s",
                "body": "## Pay\n\n1.5 times <script>x</script>",
            },
            "es": {"title": "Horas extra", "summary": "s", "body": "Se paga **1.5** veces."},
        },
    )
    db.session.commit()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_a_language_switcher_and_landmarks(client, path):
    html = client.get(path).get_data(as_text=True)
    assert "<main" in html
    assert "<nav" in html
    assert "<header" in html
    assert "<footer" in html
    assert 'hreflang="es"' in html
    assert 'hreflang="en"' in html


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/rules", "/review/status"])
def test_every_page_has_one_plain_title(client, path):
    """The tab's (and a screen reader's first) words: text, not markup that slipped into the
    title block (the transparency page's panel table once did)."""
    html = client.get(path).get_data(as_text=True)
    titles = re.findall(r"<title>(.*?)</title>", html, flags=re.S)
    assert len(titles) == 1, titles
    assert "<" not in titles[0]
    assert 0 < len(titles[0].strip()) <= 120


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_are_light_and_load_nothing_from_other_hosts(client, path):
    html = client.get(path).get_data()
    with client.get("/static/style.css") as response:
        css = response.get_data()
    assert len(html) + len(css) <= 30 * 1024
    for link in parse(html.decode()).links:
        assert not re.match(r"^(https?:)?//", link), link


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_locale_precedence(client):
    spanish = {"Accept-Language": "es-MX,es;q=0.9"}
    assert 'lang="es"' in client.get("/", headers=spanish).get_data(as_text=True)
    assert 'lang="en"' in client.get("/?lang=en", headers=spanish).get_data(as_text=True)
    # the choice sticks for the session, over Accept-Language
    assert 'lang="en"' in client.get("/", headers=spanish).get_data(as_text=True)
    assert 'lang="en"' in client.get("/?lang=xx").get_data(as_text=True)


def test_default_locale_without_any_hint(app):
    html = app.test_client().get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_unknown_employer_is_a_spanish_404(client):
    response = client.get("/employers/nope?lang=es")
    assert response.status_code == 404
    assert "Página no encontrada" in visible_text(response.get_data(as_text=True))


def test_rights_pages_render_sanitized_markdown_in_the_locale(client, topic):
    index = client.get("/rights?lang=es").get_data(as_text=True)
    assert "Horas extra" in index
    page = client.get("/rights/overtime?lang=es").get_data(as_text=True)
    assert "<strong>1.5</strong>" in page
    assert "dol.gov" in page
    english = client.get("/rights/overtime?lang=en").get_data(as_text=True)
    assert "<h2>Pay</h2>" in english
    assert "<script>x" not in english
    assert client.get("/rights/nope").status_code == 404


def test_employer_name_with_markup_is_stripped_and_escaped(client):
    employer = make_employer('Tom & Jerry\'s <img src=x onerror="alert(1)">', "Houston")
    assert employer.name == "Tom & Jerry's"
    html = client.get(f"/employers/{employer.slug}").get_data(as_text=True)
    assert "<img" not in html
    assert "onerror" not in html
    assert "Tom &amp; Jerry&#39;s" in html


def test_directory_search_and_employer_page(client):
    employer = make_employer("Limpieza Económica", "San José")
    html = client.get("/employers?q=economica").get_data(as_text=True)
    assert f"/employers/{employer.slug}" in html
    make_review(employer, status="approved")
    text = visible_text(client.get(f"/employers/{employer.slug}").get_data(as_text=True))
    assert "Workers have written about this employer." in text
    assert "1 review" not in text  # below k: not even how many


def test_add_employer_form_dedupes(client):
    make_employer("Golden Wok", "Houston")
    response = client.post(
        "/employers/new", data={"name": "GOLDEN WOK", "city": "houston", "industry": "restaurant"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("golden-wok-houston")


def test_add_employer_errors_are_localized(client):
    html = client.post("/employers/new?lang=es", data={"name": "", "city": ""}).get_data(
        as_text=True
    )
    assert "Por favor escriba el nombre" in visible_text(html)


def test_transparency_lists_reasons_without_text(client):
    employer = make_employer()
    make_review(employer, status="rejected", text="SECRET STORY")
    html = client.get("/transparency").get_data(as_text=True)
    assert "SECRET STORY" not in html
    assert "Spam" in html


def test_csrf_is_enforced_on_forms(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        employer = make_employer()
        response = app.test_client().post(
            "/review", data={"employer": employer.slug, "text": "hello"}
        )
        assert response.status_code == 400


def test_review_posts_are_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, REVIEW_RATE_LIMIT="2 per hour")
    with app.app_context():
        employer = make_employer()
        client = app.test_client()
        codes = [
            client.post("/review", data={"employer": employer.slug, "text": "x"}).status_code
            for _ in range(3)
        ]
        assert codes[:2] == [200, 200]
        assert codes[2] == 429


def test_oversized_body_is_refused(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=1024)
    with app.app_context():
        response = app.test_client().post("/review", data={"text": "x" * 5000})
        assert response.status_code == 413


def test_help_near_you_filters_by_region_and_kind(client):
    from organize import resources

    resources.upsert(name="Center A", region="TX", kind="worker-center", phone="+17135550123")
    resources.upsert(name="Legal B", region="TX", kind="legal-aid", phone="+17135550124")
    resources.upsert(name="Co-op C", region="CA", kind="co-op", phone="+14085550125")
    db.session.commit()
    everything = visible_text(client.get("/help-near-you").get_data(as_text=True))
    assert "Center A" in everything
    assert "Co-op C" in everything
    texas = visible_text(client.get("/help-near-you?region=TX").get_data(as_text=True))
    assert "Center A" in texas
    assert "Co-op C" not in texas
    legal = visible_text(
        client.get("/help-near-you?region=TX&kind=legal-aid").get_data(as_text=True)
    )
    assert "Legal B" in legal
    assert "Center A" not in legal
