"""Template globals: the language switcher and the current locale."""

from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, ngettext

from organize.plumbing.i18n import LANGUAGE_NAMES, current_locale


def lang_url(code: str) -> str:
    """The current page in another language (query kept, `lang` replaced).

    Built from the request's own path and query, never by feeding the query to `url_for`:
    `?endpoint=`, `?_method=` or `?slug=` would collide with its arguments and crash every page
    (the error page included). Leading slashes are collapsed so `//host` stays on this site.
    """
    if not request or request.method != "GET":
        return url_for("public.home", lang=code)
    pairs = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    pairs.append(("lang", code))
    path = "/" + (request.script_root + request.path).lstrip("/")
    return quote(path) + "?" + urlencode(pairs)


def _globals() -> dict[str, Any]:
    languages = [
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["WEB_LANGUAGES"]
    ]
    return {"languages": languages, "current_locale": current_locale(), "lang_url": lang_url}


def month(value: date) -> str:
    """A review's date as month and year only (promise 3: dates coarsened to the month)."""
    return format_date(value, "MMMM y")


def redaction_kind(kind: str, count: int) -> str:
    """'2 phone numbers' / '2 teléfonos' for the redaction report."""
    labels = {
        "phone": lambda n: ngettext("%(num)d phone number", "%(num)d phone numbers", n),
        "email": lambda n: ngettext("%(num)d email", "%(num)d emails", n),
        "url": lambda n: ngettext("%(num)d link", "%(num)d links", n),
        "ssn": lambda n: ngettext("%(num)d ID number", "%(num)d ID numbers", n),
        "anumber": lambda n: ngettext("%(num)d A-number", "%(num)d A-numbers", n),
        "address": lambda n: ngettext("%(num)d address", "%(num)d addresses", n),
        "person": lambda n: ngettext("%(num)d name", "%(num)d names", n),
        "markup": lambda n: ngettext("%(num)d piece of code", "%(num)d pieces of code", n),
    }
    label = labels.get(kind)
    return label(count) if label else f"{count} {kind}"


def init_templating(app: Flask) -> None:
    """Register the context processor."""
    app.context_processor(_globals)
    app.add_template_filter(month)
    app.add_template_filter(redaction_kind)
