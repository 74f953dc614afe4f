"""Locale choice and catalog checks.

Precedence: `?lang=` (remembered in the session) → session → Accept-Language → default.

The app names a language by its own code everywhere the outside world sees it (`LANGUAGES`,
`?lang=tl`, a subscriber's language, a topic's translations): `tl` for Tagalog. Babel does not:
`Locale.parse("tl")` is Filipino (`fil_PH`), and Flask-Babel looks for the catalog under that
name, so a catalog kept in `translations/tl` is never read and every Tagalog text silently falls
back to English. The catalog therefore lives where Babel looks (`catalog_name`: `fil`), the
app's code is recovered from Babel's locale with `app_locale`, and start-up loads every enabled
language through Babel's own path and refuses to run when one does not come back translated.
"""

from pathlib import Path
from typing import Any

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, request, session

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"

# Each language named in its own words, as a worker would look for it.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "zh": "中文",
    "tl": "Tagalog",
    "ht": "Kreyòl ayisyen",
}
# Codes people (and older configs) may use for a language the app calls otherwise.
ALIASES = {"fil": "tl", "tgl": "tl", "hat": "ht", "zh_hans": "zh", "zh-hans": "zh", "cmn": "zh"}
# A string every catalog must translate (not merely copy): proof the right catalog was read.
PROBE = "Language saved."


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated where shown)."""
    return message


class Refused(ValueError):
    """A service's refusal for a person to read: `message` is an untranslated msgid (marked
    with N_), `params` its values; the view translates it in the reader's language."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message, self.params = message, params


def catalog_name(code: str) -> str:
    """The directory under translations/ that Babel reads for an app locale (`tl` → `fil`)."""
    return Locale.parse(code).language


def app_locale(locale: Locale | str | None, languages: list[str] | None = None) -> str:
    """The app's code for a Babel locale (`fil_PH` → `tl`), so pages and rows use one name."""
    if locale is None:
        return "en"
    text = str(locale)
    codes = languages if languages is not None else list(LANGUAGE_NAMES)
    if text in codes:
        return text
    language = locale.language if isinstance(locale, Locale) else catalog_name(text)
    for code in codes:
        if catalog_name(code) == language:
            return code
    return ALIASES.get(language, language)


def normalize(code: str | None) -> str | None:
    """A code someone typed (`?lang=fil`, `TL`) as the app's code, or None when unknown."""
    if not code:
        return None
    lowered = code.strip().lower().replace("-", "_")
    lowered = ALIASES.get(lowered, lowered)
    return lowered if lowered in LANGUAGE_NAMES else None


def current_locale() -> str:
    """The app code of the locale this request (or forced block) renders in."""
    from flask_babel import get_locale

    return app_locale(get_locale(), list(current_app.config["LANGUAGES"]))


def forget_cached_locale() -> None:
    """Drop Flask-Babel's cached locale so `select_locale` runs for this request."""
    from flask_babel import refresh

    refresh()


def select_locale() -> str:
    """Pick the locale for this request."""
    languages: list[str] = current_app.config["WEB_LANGUAGES"]
    default: str = current_app.config["DEFAULT_LOCALE"]
    if not request:
        return default
    asked = normalize(request.args.get("lang", ""))
    if asked in languages:
        session["lang"] = asked
        return str(asked)
    remembered = session.get("lang")
    if remembered in languages:
        return str(remembered)
    offered = {catalog_name(code): code for code in languages}
    best = request.accept_languages.best_match([*languages, *offered])
    return offered.get(best or "", best) or default


def compile_catalog(po_path: Path) -> Path:
    """Compile one .po into the .mo beside it (fuzzy entries left out, as pybabel does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("wb") as fh:
        write_mo(fh, catalog, use_fuzzy=False)
    return mo_path


def load(code: str) -> NullTranslations:
    """The catalog exactly as Flask-Babel will load it for `code` (after `Locale.parse`)."""
    return Translations.load(str(TRANSLATIONS_DIR), [Locale.parse(code)])


def catalog_problem(code: str) -> str | None:
    """Why `code` would not be served in its own words, or None when its catalog loads."""
    name = catalog_name(code)
    po_path = TRANSLATIONS_DIR / name / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        stray = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
        if name != code and stray.exists():
            return (
                f"{code}: Babel reads this language as {Locale.parse(code)} and looks in "
                f"translations/{name}, but the catalog is in translations/{code}: move it"
            )
        return f"{code}: no catalog at translations/{name}"
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
        compile_catalog(po_path)
    loaded = load(code)
    if not isinstance(loaded, Translations):
        return f"{code}: Babel found no compiled catalog for {Locale.parse(code)}"
    if code != "en" and loaded.gettext(PROBE) == PROBE:
        return f"{code}: the catalog loaded for {Locale.parse(code)} does not translate {PROBE!r}"
    return None


def check_catalogs(app: Flask) -> None:
    """Fail at start-up, loudly, when an enabled language would not be served in its words.

    A catalog whose .mo is missing or older than its .po is compiled here, so a fresh clone
    and a just-edited translation both work; each one is then loaded the way Flask-Babel
    loads it, so a language Babel renames (tl → fil) cannot silently fall back to English.
    """
    problems = [p for code in app.config["LANGUAGES"] if (p := catalog_problem(code))]
    if problems:
        raise RuntimeError(
            "Message catalogs cannot be loaded: "
            + "; ".join(problems)
            + f" (under {TRANSLATIONS_DIR}). Create one with "
            "`flask --app wsgi translate init LANG`, or remove it from LANGUAGES."
        )


def complete_languages(languages: list[str], scope: set[str] | None = None) -> list[str]:
    """Languages whose catalog translates every message it holds (the web offers these)."""
    from babel.messages.pofile import read_po

    complete = []
    for code in languages:
        po_path = TRANSLATIONS_DIR / catalog_name(code) / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        done = all(
            (all(m.string) if isinstance(m.string, tuple) else bool(m.string)) and not m.fuzzy
            for m in catalog
            if m.id and (scope is None or (m.id if isinstance(m.id, str) else m.id[0]) in scope)
        )
        if done:
            complete.append(code)
    return complete
