"""By text, in each language: the rights list, a topic, the menu and a sign-up are in it."""

import re

import pytest

from organize import subscribers
from organize.plumbing.text import fold
from organize.privacy import phone as phone_of
from sms.keywords import WORDS, match
from tests.languages.conftest import LANGUAGES, MAIN_MENU, seed_topics
from tests.languages.conftest import WORDS as SAID
from tests.languages.detect import language_of, marker, translated


def _pick_language(phone, locale: str) -> str:
    """Choose the language from the LANG menu, as a person would."""
    from flask import current_app

    phone.send("LANG")
    return phone.send(str(current_app.config["LANGUAGES"].index(locale) + 1)) or ""


@pytest.mark.parametrize("locale", LANGUAGES)
def test_choosing_a_language_answers_in_it(phone, locale):
    reply = _pick_language(phone, locale)
    assert translated(locale, "Language saved.") in reply
    assert marker(locale, MAIN_MENU) in reply
    assert language_of(reply) == locale


@pytest.mark.parametrize("locale", LANGUAGES)
def test_rights_keyword_lists_topics_and_a_summary_in_the_language(phone, seeded, locale):
    topics = seed_topics()
    listing = phone.send(SAID[locale]["rights"]) or ""
    assert translated(locale, "Your rights:") in listing
    for topic in topics[:6]:  # Spanish may lose the accents GSM-7 lacks
        assert fold(topic[locale]["title"]) in fold(listing)
    assert topics[0]["en"]["title"] not in listing
    assert language_of(listing) == locale
    answer = phone.send("1") or ""
    summary = topics[0][locale]["summary"]
    assert fold(summary)[:40] in fold(answer)
    assert f"lang={locale}" in answer  # the "read more" link opens the page in the language
    assert language_of(answer) == locale


@pytest.mark.parametrize("locale", LANGUAGES)
def test_main_menu_is_in_the_language(phone, locale):
    _pick_language(phone, locale)
    reply = phone.send(SAID[locale]["menu"]) or ""
    assert marker(locale, MAIN_MENU) in reply
    assert language_of(reply) == locale


@pytest.mark.parametrize(
    ("locale", "yes"), [(loc, word) for loc in LANGUAGES for word in SAID[loc]["yes"]]
)
def test_own_yes_word_confirms_a_signup(app, phone, locale, yes):
    asked = phone.send(SAID[locale]["join"]) or ""
    assert language_of(asked) == locale
    done = phone.send(yes) or ""
    found = subscribers.get(phone_hash=phone_of(phone.number).hash)
    assert found is not None, done
    assert found.status == "active", done
    assert found.locale == locale
    assert language_of(done) == locale


@pytest.mark.parametrize("locale", ["ht", "zh", "tl"])
def test_shared_words_do_not_switch_the_language(phone, locale):
    """ALERTS, MENU, OK are typed whatever one speaks: they keep the person's language."""
    _pick_language(phone, locale)
    for word in ("ALERTS", "MENU", "INFO"):
        reply = phone.send(word) or ""
        assert language_of(reply) == locale, (word, reply)


def test_a_word_switches_only_when_it_is_one_languages_alone():
    assert match("KARAPATAN").locale == "tl"
    assert match("Dwa").locale == "ht"
    assert match("是").locale == "zh"
    assert match("ALERTS").locale is None
    assert match("YES").locale is None
    assert match("más").locale is None  # Spanish and Tagalog both say MAS
    assert match("fin").locale is None  # Spanish and Kreyòl both say FIN


# English keywords replies name, and the intent each stands for (STOP, START: carrier words;
# MENU and LANG: loanwords these languages use themselves).
NAMED = {
    "YES": "yes", "NO": "no", "SKIP": "skip", "DONE": "done", "EDIT": "edit", "NEW": "new",
    "MORE": "more", "NEXT": "more", "JOIN": "opt_in", "ALERTS": "opt_in", "RIGHTS": "rights",
    "REVIEW": "review", "ACTION": "notice", "HELP": "help", "DELETE": "forget", "NEAR": "near",
}  # fmt: skip


@pytest.mark.parametrize("locale", ["zh", "tl", "ht"])
def test_replies_name_the_persons_own_keywords(locale):
    """Every reply that names a keyword names the person's own word for it, never English's,
    and that word is one the keyword table understands."""
    from babel.messages.pofile import read_po

    from organize.plumbing.i18n import TRANSLATIONS_DIR, catalog_name

    path = TRANSLATIONS_DIR / catalog_name(locale) / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = [m for m in read_po(fh) if isinstance(m.id, str) and m.id]
    checked = 0
    for message in catalog:
        named = [w for w in re.findall(r"\b[A-Z]{2,}\b", message.id) if w in NAMED]
        checked += bool(named)
        for word in named:
            assert not re.search(rf"(?<![A-Za-z]){word}(?![A-Za-z])", message.string), (
                message.id,
                message.string,
            )
            own = WORDS[NAMED[word]][locale]
            said = [w for w in own if w.casefold() in message.string.casefold()]
            assert said, (word, message.string)
            assert all(match(w).intent == NAMED[word] for w in said)
    assert checked >= 20
