"""Per-number budgets, so one number cannot flood the text line (paid replies, new employers).

Counters only — no content — in expiring state keyed by the number's blind index, each window
starting at its first count and gone with its TTL. Past the reply budget a number gets one
short notice, then silence until the window ends; STOP, START and HELP are always answered and
always recorded (carrier rules), and do not count.
"""

from flask import current_app
from flask_babel import gettext as _

from organize.plumbing.expiring import number_key, store
from sms.keywords import Match

CARRIER_START = {"start", "unstop"}


def _always_answered(match: Match) -> bool:
    return match.intent in {"opt_out", "help"} or (
        match.intent == "opt_in" and match.folded in CARRIER_START
    )


def reply_counter(*, phone_hash: str, match: Match) -> tuple[str, int] | None:
    """The counter (key, window) this text counts against, or None when it counts nowhere."""
    if _always_answered(match):
        return None
    return number_key("budget:replies", phone_hash), int(current_app.config["SMS_BUDGET_WINDOW"])


def over_reply_budget(
    *, phone_hash: str, match: Match, used: int | None = None
) -> tuple[bool, bool]:
    """Count this text against the number's budget — or take `used`, the count read ahead
    with it (`state.read_ahead`): (past it, first time past it)."""
    counter = reply_counter(phone_hash=phone_hash, match=match)
    if counter is None:
        return False, False
    limit = int(current_app.config["SMS_REPLY_BUDGET"])
    if used is None:
        used = store().count(*counter)
    return used > limit, used == limit + 1


def over_budget_notice() -> str:
    """The one short notice past the budget, in the current locale."""
    return _(
        "You sent many messages in a short time. We will answer again in a few minutes. "
        "STOP and HELP always work."
    )


def may_add_employer(*, phone_hash: str) -> bool:
    """Whether this number may still add an employer by text in this window."""
    used = store().get(number_key("budget:employers", phone_hash))
    return int(used or 0) < int(current_app.config["SMS_EMPLOYER_BUDGET"])


def count_employer(*, phone_hash: str) -> None:
    """One more employer added by this number."""
    store().count(
        number_key("budget:employers", phone_hash), int(current_app.config["SMS_EMPLOYER_WINDOW"])
    )
