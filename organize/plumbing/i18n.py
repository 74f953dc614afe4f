"""Locale choice and catalog checks.

Precedence: `?lang=` (remembered in the session) → session → Accept-Language → default.
"""

from pathlib import Path

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


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated where shown)."""
    return message


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
    asked = request.args.get("lang", "")
    if asked in languages:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in languages:
        return str(remembered)
    return request.accept_languages.best_match(languages) or default


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


def check_catalogs(app: Flask) -> None:
    """Fail at start-up, loudly, when a configured locale has no catalog.

    A catalog whose .mo is missing or older than its .po is compiled here, so a fresh clone
    and a just-edited translation both work; a locale with no .po at all is an error.
    """
    missing = []
    for code in app.config["LANGUAGES"]:
        po_path = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
        mo_path = po_path.with_suffix(".mo")
        if not po_path.exists():
            missing.append(code)
        elif not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            compile_catalog(po_path)
    if missing:
        raise RuntimeError(
            "No message catalog for configured locale(s) "
            + ", ".join(missing)
            + f" under {TRANSLATIONS_DIR}. Create one with "
            "`flask --app wsgi translate init LANG`, or remove them from LANGUAGES."
        )
