"""The web in every language: pages in it, <html lang> right, drafts quietly marked."""

import pytest

from organize.plumbing.i18n import complete_languages
from tests.htmltools import visible_text
from tests.languages.conftest import LANGUAGES, seed_topics
from tests.languages.detect import language_of, translated


def test_web_offers_every_language_whose_catalog_is_complete(app):
    assert complete_languages(app.config["LANGUAGES"]) == ["en", "es", "zh", "tl", "ht"]
    assert app.config["WEB_LANGUAGES"] == ["en", "es", "zh", "tl", "ht"]


@pytest.mark.parametrize("locale", LANGUAGES)
def test_rights_page_renders_in_the_language(client, seeded, locale):
    html = client.get(f"/rights?lang={locale}").get_data(as_text=True)
    assert f'<html lang="{locale}">' in html
    assert translated(locale, "Your rights at work") in html
    for topic in seed_topics():
        assert topic[locale]["title"] in html
    assert language_of(visible_text(html)) == locale


@pytest.mark.parametrize("locale", LANGUAGES)
def test_topic_page_is_in_the_language_and_drafts_say_so(client, seeded, locale):
    topic = seed_topics()[0]
    html = client.get(f"/rights/{topic['slug']}?lang={locale}").get_data(as_text=True)
    assert f'<html lang="{locale}">' in html
    assert topic[locale]["title"] in html
    note = translated(
        locale, "This translation is a draft: a native speaker has not checked it yet."
    )
    assert (note in html) == bool(topic[locale].get("draft"))
    assert (
        translated(locale, "This topic is not translated yet; here it is in English.") not in html
    )


@pytest.mark.parametrize("locale", LANGUAGES)
def test_help_near_you_has_descriptions_and_hours_in_the_language(client, seeded, locale):
    import tomllib

    from tests.languages.conftest import SEED

    places = tomllib.loads((SEED / "resources.toml").read_text("utf-8"))["resource"]
    html = client.get(f"/help-near-you?lang={locale}").get_data(as_text=True)
    first = places[0]
    wanted = first["description_es"] if locale == "es" else first["texts"][locale]["description"]
    assert wanted in html
    assert first["texts"][locale]["hours"] in html
    assert "Mon-Fri" not in html
    assert "Free help with unpaid wages" not in html
    assert language_of(visible_text(html)) == locale


def test_fil_is_accepted_for_tagalog(client, seeded):
    html = client.get("/rights?lang=fil").get_data(as_text=True)
    assert '<html lang="tl">' in html
    assert translated("tl", "Your rights at work") in html
