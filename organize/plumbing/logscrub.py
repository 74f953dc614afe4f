"""A logging filter that keeps phone numbers and IP addresses out of every log line.

Promise 1 of DESIGN.md §4 covers the logs. Our own code never logs a number, but libraries do
(Werkzeug's access log writes the client address), so the scrub sits on the handlers.
"""

import ipaddress
import logging
import re
import traceback
from urllib.parse import unquote_plus

import phonenumbers

_TOKEN = re.compile(r"[0-9A-Fa-f:.]{7,}")
# The request target of an access-log line (`GET /employers?q=… HTTP/1.1`): its query string.
_QUERY = re.compile(r"(\b[A-Z]{3,7} [^\s?\"]*)\?[^\s\"]*")
ACCESS_LOGGERS = frozenset({"werkzeug", "gunicorn.access"})


def _mask_addresses(text: str) -> str:
    """Replace tokens that parse as an IP address (the stdlib decides, not a regex)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0).strip(".:")
        try:
            ipaddress.ip_address(token)
        except ValueError:
            return match.group(0)
        return match.group(0).replace(token, "[ip]")

    return _TOKEN.sub(replace, text)


def scrub(text: str) -> str:
    """Mask IP addresses and anything phonenumbers recognises as a number."""
    text = _mask_addresses(text)
    pieces: list[str] = []
    last = 0
    for region in ("US", "MX"):
        pieces.clear()
        last = 0
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
        for match in matcher:
            pieces.append(text[last : match.start])
            pieces.append("[phone]")
            last = match.end
        pieces.append(text[last:])
        text = "".join(pieces)
    return text


def stack(error: BaseException) -> str:
    """The traceback without the exception's message, which may quote user input."""
    return "".join(traceback.format_tb(error.__traceback__))


def strip_queries(text: str) -> str:
    """Request lines with the path only: a search for a name, number or email stays out."""
    return _QUERY.sub(r"\1", text)


class ScrubFilter(logging.Filter):
    """Rewrite each record's message with numbers and addresses masked.

    Access-log lines are read decoded (`%2B1%20713…` is a number too), and in production lose
    their query strings altogether (`strip_queries`).
    """

    def __init__(self, *, strip_queries: bool = False) -> None:
        super().__init__()
        self.strip_queries = strip_queries

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = message
        if record.name in ACCESS_LOGGERS:
            if self.strip_queries:
                cleaned = strip_queries(cleaned)
            cleaned = unquote_plus(cleaned)
        cleaned = scrub(cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(logger: logging.Logger | None = None, *, strip_queries: bool = False) -> None:
    """Attach the filter to the root logger's handlers and to Werkzeug's and gunicorn's loggers
    (once; installing again only updates whether query strings are dropped)."""
    target = logger or logging.getLogger()
    scrub_filter = ScrubFilter(strip_queries=strip_queries)
    holders: list[logging.Filterer] = list(target.handlers)
    holders += [logging.getLogger(name) for name in (*ACCESS_LOGGERS, "gunicorn.error", "organize")]
    for holder in holders:
        existing = [f for f in holder.filters if isinstance(f, ScrubFilter)]
        for found in existing:
            found.strip_queries = strip_queries
        if not existing:
            holder.addFilter(scrub_filter)
