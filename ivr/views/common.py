"""Screens more than one part of the line returns to: the main menu, the language choice and
"talk to an organizer" (0 on every menu), and the keys every menu shares (* back, 0)."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import current_app, url_for
from twilio.twiml.voice_response import VoiceResponse

from ivr import hours, twiml
from ivr.call import Call
from ivr.screens import menus
from ivr.speak import speaking, voice_for
from organize.plumbing.i18n import LANGUAGE_NAMES

log = logging.getLogger(__name__)


def main_menu(call: Call, tries: int = 0, notice: str | None = None) -> VoiceResponse:
    """The main menu in the call's language."""
    return menus.main_menu(call.voice, call.url("menu", tries), notice=notice)


def language_menu(
    call: Call, tries: int = 0, notice: str | None = None, *, greet: bool = True
) -> VoiceResponse:
    """Every configured language, each offered in its own voice."""
    languages: list[str] = current_app.config["LANGUAGES"]
    choices = [(voice_for(code), LANGUAGE_NAMES.get(code, code)) for code in languages]
    greeter = voice_for(str(current_app.config["DEFAULT_LOCALE"]))
    extra: dict[str, Any] = {"tries": tries} if tries else {}
    action = url_for("voice.language", **extra)
    return menus.language_menu(greeter, choices, action, greet=greet and not tries, notice=notice)


def organizer(call: Call) -> VoiceResponse:
    """Dial HOTLINE_NUMBER inside HOTLINE_HOURS; otherwise say when the line is staffed."""
    number = current_app.config.get("HOTLINE_NUMBER")
    back = call.url("main")
    if not number:
        return menus.organizer_unavailable(call.voice, back)
    spec = current_app.config.get("HOTLINE_HOURS")
    if spec:
        try:
            staffed = hours.parse(str(spec))
        except ValueError:
            log.warning("HOTLINE_HOURS is not understood; dialing at any hour")
        else:
            if not hours.is_open(staffed, datetime.now(UTC)):
                with speaking(call.voice):
                    when = hours.describe(staffed, call.voice.say_locale)
                return menus.organizer_closed(call.voice, when, back)
    return twiml.dial(call.voice, str(number), call.url("dialed"))


def shortcut(call: Call, back: Callable[[], VoiceResponse]) -> VoiceResponse | None:
    """The keys every menu shares: * goes back, 0 reaches an organizer."""
    if call.digits == "*":
        return back()
    if call.digits == "0":
        return organizer(call)
    return None
