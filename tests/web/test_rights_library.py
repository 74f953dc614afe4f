"""Every rights topic page shows an official source, who reviewed it and when, and the
not-legal-advice line naming whom to call, in the reader's language (issue 11)."""

import pytest

from organize import rights
from organize.cli import seed_rights
from organize.extensions import db
from tests.htmltools import parse, visible_text
from tests.languages.detect import language_of

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


LOCALES = ("en", "es", "zh", "tl", "ht")
NEW_TOPICS = (
    "trafficking-and-forced-labor",
    "visa-workers-h2a-h2b",
    "discrimination",
    "pay-stubs-and-payday",
    "document-confiscation",
)


def test_eighteen_topics_in_five_languages_each_sourced_reviewed_and_with_the_line(app, library):
    assert len(library) >= 18
    assert set(NEW_TOPICS) <= set(library)
    for locale in LOCALES:
        for view in rights.topics(locale=locale):
            assert view.locale == locale, (view.slug, locale)  # no English fallback
            assert view.title, (view.slug, locale)
            assert view.summary, (view.slug, locale)
            assert view.body, (view.slug, locale)
            assert any(".gov/" in s["url"] for s in view.sources), view.slug
            assert view.reviewed_on is not None, view.slug
            assert view.reviewed_by, view.slug
            # zh / tl / ht are drafts until a native speaker reviews them; en / es are not
            assert view.draft == (locale in ("zh", "tl", "ht")), (view.slug, locale)


def test_new_topics_give_the_agencies_numbers(client, library):
    expected = {
        "trafficking-and-forced-labor": ("1-888-373-7888", "233733"),
        "document-confiscation": ("1-888-373-7888", "233733", "1-800-255-7688"),
        "visa-workers-h2a-h2b": ("1-866-487-9243", "MSPA"),
        "discrimination": ("1-800-669-4000", "300"),
        "pay-stubs-and-payday": ("1-866-487-9243",),
    }
    for slug, words in expected.items():
        for lang in ("en", "es"):
            text = visible_text(client.get(f"/rights/{slug}?lang={lang}").get_data(as_text=True))
            for word in words:
                assert word in text, (slug, lang, word)


def test_a_draft_translation_says_so_quietly(client, library):
    from flask_babel import force_locale, gettext

    with force_locale("ht"):
        line = gettext("This translation is a draft: a native speaker has not checked it yet.")
    assert "draft" not in line  # the line itself is in Kreyòl
    text = visible_text(client.get("/rights/discrimination?lang=ht").get_data(as_text=True))
    assert "Diskriminasyon nan travay" in text
    assert line in text
    assert "se pa konsèy legal" in text
    spanish = visible_text(client.get("/rights/discrimination?lang=es").get_data(as_text=True))
    with force_locale("es"):
        assert (
            gettext("This translation is a draft: a native speaker has not checked it yet.")
            not in spanish
        )


def test_picking_a_state_shows_its_note_in_the_readers_language_without_script(client, library):
    html = client.get("/rights/safety-and-heat?lang=es").get_data(as_text=True)
    forms = [attrs for tag, attrs in parse(html).tags if tag == "form"]
    selects = [attrs.get("name") for tag, attrs in parse(html).tags if tag == "select"]
    assert any(f.get("method") == "get" for f in forms)  # a plain form: works with no script
    assert "state" in selects
    assert "Elija su estado" in visible_text(html)

    html = client.get("/rights/safety-and-heat?lang=es&state=CA").get_data(as_text=True)
    text = visible_text(html)
    assert "California: quien trabaja afuera debe tener agua" in text
    assert "outdoor workers" not in text
    assert language_of(text.partition("En su estado")[2]) == "es"


def test_a_state_note_falls_back_to_english_like_topics_and_an_unknown_state_is_said(
    client, library
):
    text = visible_text(client.get("/rights/overtime?lang=zh&state=CA").get_data(as_text=True))
    assert "California: overtime (1.5 times your rate)" in text
    assert "此说明尚未翻译；以下是英文版。" in text
    text = visible_text(client.get("/rights/overtime?lang=es&state=VT").get_data(as_text=True))
    assert "Aún no tenemos una nota de VT sobre este tema" in text
    text = visible_text(client.get("/rights/overtime?state=<b>").get_data(as_text=True))
    assert "We have no note" not in text  # anything but a state code is ignored


def test_heat_notes_cover_the_states_with_their_own_rules(client, library):
    for state in ("CA", "WA", "OR", "CO", "MD", "NV", "MN"):
        assert rights.state_note(slug="safety-and-heat", region=state, locale="en"), state
