"""Decide what an inbound text means and answer it.

Order of precedence: opt-out words (always, even mid-conversation) → MORE (paged text) →
global keywords (HELP, MENU, RIGHTS …) → an RSVP "1" to a live alert (`_answers_rsvp`) → a
text that is neither a keyword nor a number, answering an alert newer than the conversation's
last step (into the organizers' reply inbox, `organize.campaign.inbox`) → the conversation in
progress → YES for a pending sign-up → a main-menu number → the main menu for anything not
understood. Past the number's reply budget nothing is answered but STOP, START and HELP
(`budgets`).

The RSVP rule: a "1" answers the newest thing the number received. When that is a live RSVP
alert (sent within `deliveries.record_rsvp`'s window, and after the conversation's last step), the
"1" is the RSVP, whatever question is open — an optional sign-up question never eats it. The open
question stays open, and the next "1" answers it. A "1" when no RSVP alert came after the last
step answers the question. STOP wins over both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import gettext as _

from organize import privacy, subscribers
from organize.alerts import deliveries
from organize.campaign import inbox
from organize.outbound.segments import (
    GSM7_PART,
    UCS2_PART,
    Segments,
    measure,
    plain_spelling,
    split_pages,
)
from organize.plumbing import expiring
from sms import budgets, state
from sms.flows import alerts, forget, menu, near, notice, review, rights, status
from sms.keywords import leading, match
from sms.turn import Turn

MAX_SEGMENTS = 3
Handler = Callable[[Turn], str]

GLOBAL: dict[str, Handler] = {
    "help": menu.help_reply,
    "menu": menu.main_menu,
    "rights": rights.start,
    "review": review.start,
    "near": near.start,
    "language": menu.language_start,
    "forget": forget.start,
    "opt_in": alerts.start,
    "notice": notice.start,
    "actions": notice.latest,
    "status": status.check,
    "appeal": status.appeal,
}
FLOWS: dict[str, Handler] = {
    "language": menu.handle_language,
    "rights": rights.handle,
    "near": near.handle,
    "review": review.handle,
    "signup": alerts.handle,
    "forget": forget.handle,
    "notice": notice.handle,
}
MENU_STARTS: dict[int, Handler] = {
    1: rights.start,
    2: review.start,
    3: alerts.start,
    4: near.start,
    5: menu.language_start,
}
# HELP answers without ending what the person was doing.
KEEPS_CONVERSATION = {"help"}


def _more(turn: Turn) -> str | None:
    conversation = turn.conversation
    pages: list[str] = list(conversation.data.get("more", [])) if conversation else []
    if conversation is None or not pages:
        return None
    turn.quotes = turn.quotes or bool(conversation.data.get("more_quotes"))
    state.advance(conversation, conversation.step, more=pages[1:])
    return _with_more_hint(pages[0]) if pages[1:] else pages[0]


def _with_more_hint(page: str) -> str:
    return page + "\n" + _("(MORE for more)")


def _dispatch(turn: Turn) -> str:
    intent = turn.match.intent
    if intent == "opt_out":
        return alerts.opt_out(turn)
    if intent == "more" and (paged := _more(turn)) is not None:
        return paged
    conversation = turn.conversation
    if intent in GLOBAL:
        if conversation is not None and intent not in KEEPS_CONVERSATION:
            state.end(phone_hash=turn.phone.hash)
            turn.conversation = None
        return GLOBAL[intent](turn)
    if _answers_rsvp(turn):
        return _("Thank you, we counted you in. See you there!")
    if (
        intent is None
        and turn.match.number is None
        and inbox.receive(
            phone_hash=turn.phone.hash,
            body=turn.body,
            locale=turn.locale,
            after=_last_activity(turn),
        )
    ):  # a reply to an alert newer than any open question: same rule as the RSVP's
        turn.told = True  # their words reach the inbox redacted; the provider blanks its copy
        return _("Thank you. An organizer will read your message and may answer here.")
    if conversation is None and expiring.redis_failed():
        # Redis failed mid-request: whatever question this answered is forgotten. Say so.
        lost = _("Sorry, we lost track of our conversation. Please start again.")
        return lost + "\n" + menu.main_menu(turn)
    if conversation is not None and conversation.flow in FLOWS:
        return FLOWS[conversation.flow](turn)
    if intent == "yes":
        subscriber = subscribers.get(phone_hash=turn.phone.hash)
        if subscriber is not None and subscriber.status == "pending":
            return alerts.confirm_pending(turn, subscriber)
    number = turn.match.number
    if number in MENU_STARTS:
        return MENU_STARTS[number](turn)
    return menu.main_menu(turn, not_understood=bool(turn.match.folded))


def _answers_rsvp(turn: Turn) -> bool:
    """A "1" whose newest message here was a live RSVP alert is the RSVP (module docstring).
    The open conversation is touched, so that its question is the newest again."""
    if turn.match.number != 1 or not deliveries.record_rsvp(
        phone_hash=turn.phone.hash, after=_last_activity(turn)
    ):
        return False
    if turn.conversation is not None:
        state.save(turn.conversation)
    return True


def _last_activity(turn: Turn) -> datetime | None:
    """When the number last talked to us (an RSVP "1" must come after the alert, not a menu)."""
    if turn.conversation is None or not turn.conversation.updated:
        return None
    return datetime.fromtimestamp(turn.conversation.updated, UTC)


def _shape(text: str) -> tuple[str, Segments]:
    """A reply's GSM-7 spelling (`plain_spelling`) and its segments."""
    plain = plain_spelling(text.strip())
    return plain, measure(plain)


# The same few replies (the menu, HELP, a topic list, a topic) go out again and again: each is
# measured once per process. Never a reply that quotes or answers someone's words: those are
# shaped and forgotten.
_shape_cached = lru_cache(maxsize=1024)(_shape)


def _fit(turn: Turn, text: str) -> str:
    """At most three segments: longer text is paged, the rest kept for MORE (the hint in the
    language the reply ended in: a flow may have changed it)."""
    text, segments = (_shape if turn.quotes or turn.told else _shape_cached)(text)
    if segments.count <= MAX_SEGMENTS:
        return text
    with force_locale(turn.locale):
        hint = "\n" + _("(MORE for more)")
    part = GSM7_PART if segments.encoding == "GSM-7" else UCS2_PART
    budget = MAX_SEGMENTS * part - measure(hint).units - 2
    pages = split_pages(text, budget)
    if not turn.forgotten:
        conversation = state.load(phone_hash=turn.phone.hash) or state.start(
            phone_hash=turn.phone.hash, flow="paging", step="more"
        )
        state.advance(conversation, conversation.step, more=pages[1:], more_quotes=turn.quotes)
    return pages[0] + hint


@dataclass(frozen=True)
class Reply:
    """The text to send back; whether the body told us someone's words (blank it at the
    provider) and whether the reply quotes them (keep it nowhere, blank it too)."""

    text: str
    told: bool = False
    quotes: bool = False


def read_ahead(*, phone: privacy.Phone, body: str, replay: tuple[str, int] | None) -> state.Ahead:
    """Claim the sid and read what the text needs, in one round trip (`state.read_ahead`)."""
    counter = budgets.reply_counter(phone_hash=phone.hash, match=match(body))
    return state.read_ahead(replay=replay, phone_hash=phone.hash, budget=counter)


def respond(
    *, phone: privacy.Phone, body: str, num_media: int = 0, ahead: state.Ahead | None = None
) -> Reply:
    """The reply for one inbound message (the caller stores nothing of `body`). `ahead` is
    what `read_ahead` found for it (read now when not given)."""
    found = match(body)
    if found.intent is None:
        found = leading(body) or found
    if ahead is None:
        ahead = read_ahead(phone=phone, body=body, replay=None)
    locale = ahead.locale
    if found.locale and found.locale != locale:
        locale = found.locale
        state.remember_locale(phone_hash=phone.hash, locale=locale)
    turn = Turn(
        phone=phone,
        body=body,
        match=found,
        locale=locale or "en",
        conversation=ahead.conversation,
    )
    with force_locale(turn.locale):
        over, first_time = budgets.over_reply_budget(
            phone_hash=phone.hash, match=found, used=ahead.replies
        )
        if over:  # one short notice, then silence until the window ends
            return Reply(text=budgets.over_budget_notice() if first_time else "")
        if num_media and found.intent != "opt_out":
            text = _("Sorry, we cannot read pictures or recordings. Please send text.")
            if body.strip():
                text += "\n" + _dispatch(turn)
        else:
            text = _dispatch(turn)
    return Reply(text=_fit(turn, text), told=turn.told, quotes=turn.quotes)


def record_opt_out_type(*, phone: privacy.Phone, opt_out_type: str) -> None:
    """Twilio's Advanced Opt-Out already answered: record what it did, answer nothing more."""
    kind = opt_out_type.strip().upper()
    if kind == "STOP":
        subscribers.opt_out(phone_hash=phone.hash)
        state.end(phone_hash=phone.hash)
    elif kind == "START":
        locale = subscribers.locale_for(phone_hash=phone.hash) or "en"
        subscribers.opt_back_in(phone=phone, locale=locale, source="sms-start")
