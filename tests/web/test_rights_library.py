"""Every rights topic page shows an official source, who reviewed it and when, and the
not-legal-advice line naming whom to call, in the reader's language (issue 11)."""

import pytest

from organize import rights
from organize.cli import seed_rights
from organize.extensions import db
from tests.htmltools import visible_text

ADVICE = {
    "en": "This is not legal advice. For help with your case, call a worker center",
    "es": "Esto no es asesoría legal. Para ayuda con su caso, llame a un centro de trabajadores",
}
REVIEWED = {"en": "Last reviewed", "es": "Revisado por última vez"}


@pytest.fixture
def library(app):
    seed_rights()
    db.session.commit()
    return [t.slug for t in rights.topics(locale="en")]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_topic_page_shows_source_reviewer_and_advice_line(client, library, lang):
    assert len(library) >= 13
    for slug in library:
        html = client.get(f"/rights/{slug}?lang={lang}").get_data(as_text=True)
        text = visible_text(html)
        assert ADVICE[lang] in text, slug
        assert "1-866-487-9243" in text, slug
        assert REVIEWED[lang] in text, slug
        assert "organize volunteer team (not a lawyer)" in text, slug
        assert 'href="https://www.dol.gov' in html or ".gov" in html, slug


def test_the_reviewer_is_what_a_person_entered_not_derived(app):
    rights.upsert(
        slug="t", category="pay", position=0, reviewed_on=None, reviewed_by="",
        sources=[], texts={"en": {"title": "T", "summary": "s", "body": "b"}},
    )  # fmt: skip
    db.session.commit()
    assert rights.topic(slug="t", locale="en").reviewed_by == ""
    rights.upsert(
        slug="t", category="pay", position=0, reviewed_on=None,
        reviewed_by="Legal Aid Clinic staff attorney",
        sources=[], texts={"en": {"title": "T", "summary": "s", "body": "b"}},
    )  # fmt: skip
    db.session.commit()
    assert rights.topic(slug="t", locale="en").reviewed_by == "Legal Aid Clinic staff attorney"


def test_spanish_fmla_says_spouse_not_partner(client, library):
    text = visible_text(client.get("/rights/paid-sick-leave?lang=es").get_data(as_text=True))
    assert "cónyuge" in text
    assert "su pareja" not in text


def test_spanish_overtime_says_private_employers_must_pay(client, library):
    text = visible_text(client.get("/rights/overtime?lang=es").get_data(as_text=True))
    assert "Los empleadores privados tienen que pagar" in text


def test_home_care_agency_rule_is_stated_as_in_flux(client, library):
    en = visible_text(client.get("/rights/domestic-workers-bill-of-rights").get_data(as_text=True))
    for words in ("in flux", "2025-4", "State law", "New Jersey", "District of Columbia", "2026"):
        assert words in en
    es = visible_text(
        client.get("/rights/domestic-workers-bill-of-rights?lang=es").get_data(as_text=True)
    )
    for words in ("está cambiando", "2025-4", "Nueva Jersey"):
        assert words in es


def test_document_confiscation_gives_the_hotlines(client, library):
    for lang in ("en", "es", "zh"):
        page = client.get(f"/rights/immigration-status-at-work?lang={lang}")
        text = visible_text(page.get_data(as_text=True))
        for number in ("1-888-373-7888", "233733", "1-800-255-7688"):
            assert number in text, (lang, number)


def test_heat_and_workers_comp_name_the_states(client, library):
    heat = visible_text(client.get("/rights/safety-and-heat").get_data(as_text=True))
    assert "As of November 2026, there is no final federal heat standard" in heat
    for state in ("California", "Washington", "Oregon", "Colorado", "Minnesota", "Nevada"):
        assert state in heat
    comp = visible_text(client.get("/rights/workplace-injury?lang=es").get_data(as_text=True))
    assert "Texas" in comp
    assert "non-subscribers" in comp
