"""Forget me: confirm, then delete every row tied to this number (DESIGN.md §4, promise 5)."""

from flask_babel import gettext as _

from organize import subscribers
from sms import state
from sms.turn import Turn


def start(turn: Turn) -> str:
    """DELETE / BORRAR: say what will go, and ask."""
    state.start(phone_hash=turn.phone.hash, flow="forget", step="confirm")
    return _(
        "This deletes your alerts subscription, your language and any unfinished conversation "
        "tied to this number. Reviews are anonymous and not linked to your number. "
        "Reply YES to delete, or NO to keep."
    )


def handle(turn: Turn) -> str:
    """YES deletes; anything else keeps everything."""
    if turn.match.intent == "yes":
        subscribers.forget(phone_hash=turn.phone.hash)
        turn.forgotten = True
        return _("Done. We deleted everything tied to this number.")
    state.end(phone_hash=turn.phone.hash)
    return _("Nothing was deleted. Reply MENU for options.")
