"""One inbound text as the flows see it: who (blind index), what it means, in which language."""

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for

from organize.privacy import Phone
from sms.keywords import Match
from sms.state import Conversation


@dataclass
class Turn:
    """An inbound message being answered. `body` lives in memory only and is never stored."""

    phone: Phone
    body: str
    match: Match
    locale: str
    conversation: Conversation | None
    forgotten: bool = False  # set once forget-me ran: nothing more is written for this number
    # The body told us an employer, a story or a notice: the provider is asked to blank it.
    told: bool = False
    # The reply quotes one: it is not kept for replays, and it is blanked at the provider too.
    quotes: bool = False

    @property
    def current(self) -> Conversation:
        """The conversation a flow handler runs in (the router calls handlers only with one)."""
        if self.conversation is None:
            raise LookupError("this flow step needs a conversation")
        return self.conversation


def link(endpoint: str, **values: Any) -> str:
    """An absolute web link for a text (PUBLIC_URL when set, else this request's host)."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
