"""Placeholders that replace redacted spans, translated at call time.

The msgids are marked with the no-op ``N_`` so pybabel extracts them (``-k N_``) while this
module stays importable without Flask or an app context: redaction also runs in jobs and
benchmarks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


PLACEHOLDERS: dict[str, str] = {
    "markup": "",
    "phone": N_("[phone]"),
    "email": N_("[email]"),
    "url": N_("[link]"),
    "ssn": N_("[ID number]"),
    "anumber": N_("[A-number]"),
    "address": N_("[address]"),
    "person": N_("[name]"),
}

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"

# Used only until `translations/es/LC_MESSAGES/messages.mo` is compiled (and for msgids a stale
# catalog lacks), so Spanish reviews never show English labels and the tests need no build
# step. The catalog is the source of truth; keep this table to the labels above.
_BUILTIN_ES: dict[str, str] = {
    "[phone]": "[teléfono]",
    "[email]": "[correo]",
    "[link]": "[enlace]",
    "[ID number]": "[número de identificación]",
    "[A-number]": "[número A]",
    "[address]": "[dirección]",
    "[name]": "[nombre]",
}
_BUILTIN_ES.update(
    {
        "You say you are the only one of your group there. That can point to you even "
        "without your name. You could write “some of us” instead.": (
            "Dice que es la única persona de su grupo allí. Eso puede señalarle aunque no "
            "esté su nombre. Podría escribir “algunos de nosotros”."
        ),
        "You give your exact job or position. At a small workplace that can point to you. "
        "You could use a more general word.": (
            "Da su puesto exacto. En un lugar de trabajo pequeño eso puede señalarle. "
            "Podría usar una palabra más general."
        ),
        "You give an exact date or time. Your employer could match it to your shift. "
        "You could write “one night last month” instead.": (
            "Da una fecha o una hora exacta. Su empleador podría relacionarla con su turno. "
            "Podría escribir “una noche del mes pasado”."
        ),
        "You mention your age or something about your body or health. That can point to "
        "you. You could leave it out.": (
            "Menciona su edad o algo sobre su cuerpo o su salud. Eso puede señalarle. "
            "Podría quitarlo."
        ),
    }
)
_BUILTIN: dict[str, dict[str, str]] = {"es": _BUILTIN_ES}


class _Catalog(Protocol):
    def gettext(self, message: str) -> str: ...


@lru_cache(maxsize=32)
def _catalog(locale: str) -> _Catalog | None:
    """The compiled catalog for ``locale``, or None when there is none yet."""
    from babel.support import Translations  # deferred: babel is not needed to import us

    loaded = Translations.load(str(TRANSLATIONS_DIR), [locale])
    return loaded if isinstance(loaded, Translations) else None


def _language(locale: str) -> tuple[str, str]:
    normalized = (locale or "en").replace("-", "_")
    return normalized, normalized.split("_", 1)[0].lower()


@lru_cache(maxsize=256)
def translate(msgid: str, locale: str) -> str:
    """``msgid`` in ``locale`` from the compiled catalog, else the built-in table, else as is.

    For messages the redaction result carries (quasi-identifier advice) outside a request.
    """
    normalized, language = _language(locale)
    catalog = _catalog(normalized)
    text = catalog.gettext(msgid) if catalog is not None else msgid
    if text == msgid:
        text = _BUILTIN.get(language, {}).get(msgid, msgid)
    return text


@lru_cache(maxsize=32)
def placeholders_for(locale: str) -> dict[str, str]:
    """Map each kind to its placeholder in ``locale`` (English when nothing better exists)."""
    normalized = (locale or "en").replace("-", "_")
    language = normalized.split("_", 1)[0].lower()
    catalog = _catalog(normalized)
    builtin = _BUILTIN.get(language, {})
    table: dict[str, str] = {}
    for kind, msgid in PLACEHOLDERS.items():
        if not msgid:
            table[kind] = msgid
            continue
        text = catalog.gettext(msgid) if catalog is not None else msgid
        if text == msgid:
            text = builtin.get(msgid, msgid)
        # A translation must not be able to smuggle markup into redacted text.
        table[kind] = msgid if "<" in text or ">" in text else text
    return table
