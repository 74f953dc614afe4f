"""Alert sign-up (double opt-in, then optional questions), opt-out, opt back in, latest alert."""

from flask import current_app
from flask_babel import gettext as _

from organize import subscribers
from organize.employers import INDUSTRIES, INDUSTRY_LABELS
from organize.models import Subscriber
from organize.plumbing.i18n import LANGUAGE_NAMES
from sms import state
from sms.turn import Turn


def _latest(turn: Turn) -> str:
    alert = subscribers.latest_alert()
    if alert is None:
        return _("No action alerts right now. We will text you when there is one.")
    texts = {t.locale: t for t in alert.translations}
    chosen = texts.get(turn.locale) or texts.get("en") or next(iter(texts.values()), None)
    if chosen is None:
        return _("No action alerts right now. We will text you when there is one.")
    return f"{chosen.title}\n{chosen.body}"


def start(turn: Turn) -> str:
    """JOIN / ALERTS / START: subscribed → latest alert; opted out → back in; else ask YES."""
    subscriber = subscribers.get(phone_hash=turn.phone.hash)
    if subscriber is not None and subscriber.status == "active":
        state.end(phone_hash=turn.phone.hash)
        return _latest(turn)
    if turn.phone.e164 is None:
        return _("Sorry, this number cannot receive alerts.")
    if (
        subscriber is not None
        and subscriber.status == "opted_out"
        and turn.match.folded
        in {
            "start",
            "unstop",
        }
    ):
        subscribers.opt_back_in(phone=turn.phone, locale=turn.locale, source="sms-start")
        state.end(phone_hash=turn.phone.hash)
        return _("You will get action alerts again. Reply STOP to cancel, HELP for help.")
    subscribers.request_signup(phone=turn.phone, locale=turn.locale, source="sms")
    state.start(phone_hash=turn.phone.hash, flow="signup", step="confirm")
    return subscribers.signup_request()


def confirm_pending(turn: Turn, subscriber: Subscriber) -> str:
    """YES: subscribed; then the optional questions, each skippable."""
    subscribers.confirm(subscriber=subscriber)
    state.start(phone_hash=turn.phone.hash, flow="signup", step="region")
    return (
        _("You are subscribed to action alerts. Reply STOP at any time to cancel.")
        + "\n"
        + _("Optional: which state do you work in? Reply with 2 letters, like TX, or SKIP.")
    )


def _industry_question() -> str:
    lines = [f"{i} {_(INDUSTRY_LABELS[key])}" for i, key in enumerate(INDUSTRIES, start=1)]
    return (
        _("Optional: what kind of work do you do? Reply with a number, or SKIP.")
        + "\n"
        + ("\n".join(lines))
    )


def handle(turn: Turn) -> str:
    """The sign-up conversation: confirm → region → industry → done."""
    conversation = turn.current
    subscriber = subscribers.get(phone_hash=turn.phone.hash)
    if subscriber is None:
        state.end(phone_hash=turn.phone.hash)
        return start(turn)
    intent, step = turn.match.intent, conversation.step
    if step == "confirm":
        if intent == "yes":
            return confirm_pending(turn, subscriber)
        state.end(phone_hash=turn.phone.hash)
        return _("OK, you are not subscribed. Reply JOIN any time.")
    if step == "region":
        region = turn.match.folded.upper()
        if intent != "skip":
            if len(region) != 2 or not region.isalpha():
                return _("Please reply with 2 letters, like TX, or SKIP.")
            subscribers.set_preferences(subscriber=subscriber, region=region)
        state.advance(conversation, "industry")
        return _industry_question()
    if step == "industry":
        number = turn.match.number
        if intent != "skip":
            if number is None or not 1 <= number <= len(INDUSTRIES):
                return _industry_question()
            subscribers.set_preferences(subscriber=subscriber, industry=INDUSTRIES[number - 1])
        state.end(phone_hash=turn.phone.hash)
        return _(
            "Thank you. Your alerts will come in %(language)s. Reply LANG to change it, "
            "STOP to cancel.",
            language=LANGUAGE_NAMES.get(turn.locale, turn.locale),
        )
    state.end(phone_hash=turn.phone.hash)
    return start(turn)


def opt_out(turn: Turn) -> str:
    """STOP and its kin: no alerts from now on, one confirmation, no marketing in it."""
    subscribers.opt_out(phone_hash=turn.phone.hash)
    state.end(phone_hash=turn.phone.hash)
    return _(
        "You will get no more messages from %(program)s. Reply START to get them again.",
        program=current_app.config["SMS_PROGRAM_NAME"],
    )
