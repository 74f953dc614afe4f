"""A logging filter that keeps phone numbers and IP addresses out of every log line.

Promise 1 of DESIGN.md §4 covers the logs. Our own code never logs a number, but libraries do
(Werkzeug's access log writes the client address), so the scrub sits on the handlers.
"""

import ipaddress
import logging
import re
import traceback

import phonenumbers

_TOKEN = re.compile(r"[0-9A-Fa-f:.]{7,}")


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


class ScrubFilter(logging.Filter):
    """Rewrite each record's message with numbers and addresses masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Attach the filter to the root logger's handlers and to Werkzeug's logger."""
    target = logger or logging.getLogger()
    scrub_filter = ScrubFilter()
    for handler in target.handlers:
        if not any(isinstance(f, ScrubFilter) for f in handler.filters):
            handler.addFilter(scrub_filter)
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "organize"):
        named = logging.getLogger(name)
        if not any(isinstance(f, ScrubFilter) for f in named.filters):
            named.addFilter(scrub_filter)
