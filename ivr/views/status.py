"""6 on the main menu: a review's status by its code, typed on the keypad, and an appeal.

The code is never in a URL (Twilio keeps those): it comes as Digits, is looked up by its keyed
hash and forgotten. To appeal, the review's id waits in the call's state (keyed by the CallSid's
blind index, deleted with the call, as a review in progress does) until the reason is said.
Wrong codes are counted against the caller's blind index (a bare count; hidden numbers share
one), STATUS_MISSES per window, like the text line's.
"""

from twilio.twiml.voice_response import VoiceResponse

from ivr import callstate, prompts
from ivr.blueprint import bp
from ivr.call import Call, again, voice_view
from ivr.screens import menus
from ivr.screens import status as screens
from ivr.speak import Line, speaking
from ivr.views import common
from organize.extensions import db
from organize.governance import appeals, codes
from organize.models import Review


def start(call: Call, tries: int = 0, notice: str | None = None) -> VoiceResponse:
    """Ask for the code."""
    return screens.ask_code(call.voice, call.url("status_code", tries), notice=notice)


def _said(call: Call, review: Review) -> tuple[list[Line], bool]:
    found = appeals.status_of(review)
    with speaking(call.voice):
        lines = [prompts.line(f"status_{found.state}")]
        if found.state == "rejected":
            lines.append(Line(found.rule or ""))
        if found.appeal:
            lines.append(
                prompts.line("appeal_open" if found.appeal == "open" else "appeal_decided")
            )
    return lines, found.can_appeal


@bp.post("/status/code")
@voice_view
def status_code(call: Call) -> VoiceResponse:
    """The typed code: the status, and 1 to appeal a rejection."""
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    if call.digits is None:
        return again(call, lambda t, n: start(call, t, n))
    if codes.blocked(call.phone.hash):
        return menus.notice_then(call.voice, ["status_too_many"], call.url("main"))
    review = codes.find(call.digits)
    if review is None:
        codes.missed(call.phone.hash)
        return again(call, lambda t, n: start(call, t, n), notice="status_not_found")
    lines, can_appeal = _said(call, review)
    action = None
    if can_appeal and callstate.save(call.sid, appeal=review.id):
        action = call.url("status_appeal")
    return screens.status(call.voice, lines, action, call.url("main"))


@bp.post("/status/appeal")
@voice_view
def status_appeal(call: Call) -> VoiceResponse:
    """1: ask why; * back."""
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    if call.digits != "1" or not callstate.load(call.sid).get("appeal"):
        return common.main_menu(call)
    return screens.ask_reason(call.voice, call.url("status_reason"))


@bp.post("/status/reason")
@voice_view
def status_reason(call: Call) -> VoiceResponse:
    """The spoken reason (redacted by `appeals.appeal`), and the appeal goes to the panel."""
    review_id = callstate.load(call.sid).get("appeal")
    callstate.save(call.sid, appeal=None)
    review = db.session.get(Review, review_id) if isinstance(review_id, int) else None
    if review is None:
        return common.main_menu(call)
    try:
        appeals.appeal(review=review, reason=call.speech, locale=call.voice.say_locale)
    except appeals.CaseError:
        db.session.rollback()
        return common.main_menu(call, notice="not_an_option")
    return menus.notice_then(call.voice, ["appeal_sent"], call.url("main"))
