"""Every string the code can show is in every language's catalog, translated, and each catalog
is the one Babel actually loads for its language."""

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from organize.plumbing.i18n import LANGUAGE_NAMES, catalog_name

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _extract(tmp_path_factory: pytest.TempPathFactory, mapping: str) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "translations" / mapping),
            "-k",
            "_l",
            "-k",
            "N_",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every string the app can show (web, SMS, voice)."""
    return _extract(tmp_path_factory, "babel.cfg")


@pytest.fixture(scope="module")
def texting(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The strings the SMS channel can send."""
    return _extract(tmp_path_factory, "babel-sms.cfg")


@pytest.fixture(scope="module")
def speaking(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The prompts the phone line speaks."""
    return _extract(tmp_path_factory, "babel-voice.cfg")


def _po(locale: str) -> Path:
    return ROOT / "translations" / catalog_name(locale) / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize(
    ("locale", "scope"),
    [(code, scope) for code in LANGUAGE_NAMES for scope in ("everything", "texting", "speaking")],
)
def test_catalog_is_complete_and_placeholders_match(request, locale, scope):
    extracted = request.getfixturevalue(scope)
    with _po(locale).open("rb") as fh:
        catalog = read_po(fh)
    messages = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    missing = sorted(extracted - set(messages))
    assert missing == [], f"run `flask --app wsgi translate update`: {missing[:5]}"
    for key in extracted:
        message = messages[key]
        assert not message.fuzzy, key
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated in {locale}: {key!r}"
        wanted = set(PLACEHOLDER.findall(key))
        if message.pluralizable:
            wanted.add("%(num)d")
        for translated in strings:
            assert set(PLACEHOLDER.findall(translated)) <= wanted | {"%(num)d"}, key


def test_spanish_has_babels_three_plural_forms():
    with _po("es").open("rb") as fh:
        catalog = read_po(fh)
    assert catalog.num_plurals == 3
    plural = [m for m in catalog if m.id and m.pluralizable]
    assert plural
    assert all(len(m.string) == 3 and all(m.string) for m in plural)


@pytest.mark.parametrize("locale", [code for code in LANGUAGE_NAMES if code != "en"])
def test_drafted_catalogs_say_so_until_reviewed(locale):
    """A catalog drafted without a native speaker is marked in its header; es is reviewed."""
    with _po(locale).open("rb") as fh:
        catalog = read_po(fh)
    drafted = "NEEDS REVIEW" in (catalog.header_comment + (catalog.last_translator or ""))
    assert drafted == (locale in {"zh", "tl", "ht"})
