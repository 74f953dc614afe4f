"""Locale plumbing that cannot silently fall back: Babel reads Tagalog as Filipino (`fil`), so
the catalog lives where Babel looks, and start-up refuses a language it cannot serve."""

import shutil

import pytest
from babel import Locale
from babel.messages.pofile import read_po, write_po

from organize import create_app
from organize.config import ConfigError, language_codes
from organize.plumbing import i18n
from tests.conftest import make_config


def test_babel_reads_tagalog_as_filipino_and_the_app_keeps_its_code():
    assert str(Locale.parse("tl")) == "fil_PH"
    assert i18n.catalog_name("tl") == "fil"
    assert i18n.app_locale(Locale.parse("tl")) == "tl"
    assert i18n.app_locale(Locale.parse("ht")) == "ht"
    assert i18n.normalize("FIL") == "tl"
    assert language_codes(["en", "fil", "tl"]) == ["en", "tl"]
    with pytest.raises(ConfigError, match="xx"):
        language_codes(["xx"])


@pytest.mark.parametrize("locale", ["es", "zh", "tl", "ht"])
def test_each_catalog_loads_the_way_flask_babel_loads_it(locale):
    assert i18n.catalog_problem(locale) is None
    assert i18n.load(locale).gettext(i18n.PROBE) != i18n.PROBE


@pytest.fixture
def translations(tmp_path, monkeypatch):
    """A copy of translations/ the test may break."""
    copy = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS_DIR, copy)
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", copy)
    return copy


def test_startup_fails_when_tagalog_sits_where_babel_never_looks(database_url, translations):
    (translations / "fil").rename(translations / "tl")
    with pytest.raises(RuntimeError, match="translations/fil"):
        create_app(make_config(database_url))


def test_startup_fails_when_a_catalog_translates_nothing(database_url, translations):
    po = translations / "ht" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.id:
            message.string = ("", "") if isinstance(message.id, tuple) else ""
    with po.open("wb") as fh:
        write_po(fh, catalog)
    with pytest.raises(RuntimeError, match="ht"):
        create_app(make_config(database_url))
