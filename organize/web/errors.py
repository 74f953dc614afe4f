"""Error pages in the visitor's language; webhooks get their own answers in their blueprints."""

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from organize.extensions import db
from organize.plumbing.i18n import current_locale
from organize.plumbing.logscrub import stack

log = logging.getLogger(__name__)


# Served when the error page itself cannot be rendered: no template, no url_for, no globals.
FALLBACK = (
    '<!doctype html><html lang="%(lang)s"><head><meta charset="utf-8">'
    "<title>%(title)s</title></head><body><main><h1>%(title)s</h1><p>%(message)s</p>"
    '<p><a href="/">organize</a></p></main></body></html>'
)


def _fallback_locale() -> str:
    try:
        return str(escape(current_locale()))
    except Exception:
        return "en"


def _page(status: int, title: str, message: str) -> tuple[str, int]:
    """The error page; if even that fails, a plain one, so the answer keeps its status and the
    security headers (an exception here would reach the server as a bare 500 without them)."""
    try:
        return render_template("error.html", title=title, message=message, status=status), status
    except Exception as exc:
        log.error("error page failed: %s\n%s", type(exc).__name__, stack(exc))
        values = {"lang": _fallback_locale(), "title": escape(title), "message": escape(message)}
        return FALLBACK % values, status


def handle_http(error: HTTPException) -> tuple[str, int] | HTTPException:
    """Localized page for 4xx/5xx raised by views (404, 413, 429 …)."""
    if request.blueprint in {"sms", "voice"}:
        return error
    status = error.code or 500
    messages = {
        400: (_("Something was wrong with that request"), _("Please go back and try again.")),
        403: (_("Not allowed"), _("You cannot open this page.")),
        404: (_("Page not found"), _("We could not find that page. It may have moved.")),
        405: (_("Not allowed"), _("That action is not available here.")),
        413: (_("Too much text"), _("What you sent is too long. Please shorten it.")),
        429: (
            _("Please wait a little"),
            _("You have sent many forms in a short time. Please try again later."),
        ),
    }
    title, message = messages.get(
        status, (_("Something went wrong"), _("Please try again in a moment."))
    )
    return _page(status, title, message)


def handle_csrf(error: CSRFError) -> tuple[str, int]:
    """The form expired (or came from elsewhere): say so plainly."""
    return _page(
        400,
        _("This form has expired"),
        _("Please go back, reload the page and send it again. Nothing was saved."),
    )


def handle_unexpected(error: Exception) -> tuple[str, int]:
    """Log the type and stack only (the message may quote user input) and show a calm page."""
    log.error("unhandled %s on %s\n%s", type(error).__name__, request.path, stack(error))
    return _page(500, _("Something went wrong"), _("Please try again in a moment."))


RETRY_AFTER_SECONDS = 30


def handle_database_down(error: SQLAlchemyError) -> tuple[str, int, dict[str, str]]:
    """The database is unreachable, refused us or its pool ran dry: a 503 in the visitor's
    language, with Retry-After. The webhooks catch these themselves and keep answering TwiML."""
    if request.blueprint in {"sms", "voice"}:
        raise error
    log.error("database unavailable on %s: %s", request.path, type(error).__name__)
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass  # the connection is gone; the pool replaces it
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    title = _("We are having trouble")
    message = _("This page is not available right now. Please try again in a few minutes.")
    page, status = _page(503, title, message)  # falls back to a plain page by itself
    return page, status, headers


def init_errors(app: Flask) -> None:
    """Register the handlers."""
    for outage in (OperationalError, InterfaceError, PoolTimeout):  # not IntegrityError: a bug
        app.register_error_handler(outage, handle_database_down)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
