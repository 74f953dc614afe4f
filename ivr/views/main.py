"""The call's entry, the language choice, the main menu and the organizer line."""

from flask import current_app, request
from twilio.twiml.voice_response import VoiceResponse

from ivr import callstate, twiml
from ivr.blueprint import bp
from ivr.call import Call, again, voice_view
from ivr.screens import menus
from ivr.speak import voice_for
from ivr.views import common, info, review, rights
from ivr.views import status as by_code
from organize.extensions import db
from organize.plumbing.webhooks import twilio_signed

SECTIONS = {
    "1": rights.start,
    "2": review.start,
    "3": info.alerts_start,
    "4": info.subscribe_start,
    "5": info.near_start,
    "6": by_code.start,
    "0": common.organizer,
    "*": common.main_menu,
}


@bp.post("/inbound")
@voice_view
def inbound(call: Call) -> VoiceResponse:
    """Incoming call: the greeting and the language choice, for every caller alike — nothing
    is looked up by caller ID, which anyone can spoof (DESIGN §4.8)."""
    return common.language_menu(call)


@bp.post("/language")
@voice_view
def language(call: Call) -> VoiceResponse:
    """A digit picks the call's language (carried in the action URLs; nothing is written by
    caller ID, which anyone can spoof)."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if call.digits == "*":
        return common.language_menu(call, greet=False)
    if call.digits == "0":
        return common.organizer(call)
    number = call.choice(len(languages))
    if number is None:
        return again(call, lambda t, n: common.language_menu(call, t, n))
    call.locale = languages[number - 1]
    call.voice = voice_for(call.locale)
    return common.main_menu(call)


@bp.post("/menu")
@voice_view
def menu(call: Call) -> VoiceResponse:
    """Main menu choices; 9 changes the language, * repeats."""
    if call.digits == "9":
        return common.language_menu(call, greet=False)
    section = SECTIONS.get(call.digits or "")
    if section is None:
        return again(call, lambda t, n: common.main_menu(call, t, n))
    return section(call)


@bp.post("/main")
@voice_view
def main(call: Call) -> VoiceResponse:
    """Show the main menu (where screens send the caller when they are done)."""
    return common.main_menu(call)


@bp.post("/organizer")
@voice_view
def organizer(call: Call) -> VoiceResponse:
    """0 from any menu."""
    return common.organizer(call)


@bp.post("/dialed")
@voice_view
def dialed(call: Call) -> VoiceResponse:
    """The organizer leg ended: after a conversation, goodbye; unanswered, back to the menu."""
    if request.form.get("DialCallStatus") == "completed":
        return twiml.goodbye(call.voice)
    return menus.organizer_unavailable(call.voice, call.url("main"), key="organizer_no_answer")


@bp.post("/status")
@twilio_signed
def status() -> tuple[str, int]:
    """Call status callback: when the call ends, its state goes with it."""
    try:
        if request.form.get("CallStatus", "") in {"completed", "canceled", "failed"}:
            callstate.end(request.form.get("CallSid", "")[:64])
            db.session.commit()
    except Exception:
        db.session.rollback()
    return "", 204
