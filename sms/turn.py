"""One inbound text as the flows see it: who (blind index), what it means, in which language."""

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for

from organize.models import Conversation
from organize.privacy import Phone
from sms.keywords import Match


@dataclass
class Turn:
    """An inbound message being answered. `body` lives in memory only and is never stored."""

    phone: Phone
    body: str
    match: Match
    locale: str
    conversation: Conversation | None
    expired: bool = False  # a conversation had timed out: answer with the menu
    forgotten: bool = False  # set once forget-me ran: nothing more is written for this number

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
