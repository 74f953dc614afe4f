"""The language choice, the main menu and "talk to an organizer"."""

from collections.abc import Sequence
from dataclasses import replace

from twilio.twiml.voice_response import VoiceResponse

from ivr import prompts, twiml
from ivr.speak import Line, Voice, speaking


def language_menu(
    greeter: Voice,
    choices: Sequence[tuple[Voice, str]],
    action: str,
    *,
    greet: bool = True,
    notice: str | None = None,
) -> VoiceResponse:
    """Greeting, then each language offered in that language (`choices`: voice, own name)."""
    with speaking(greeter):
        before = [prompts.line("greeting")] if greet else []
        if notice:
            before.append(prompts.line(notice))
    lines = []
    for digit, (voice, name) in enumerate(choices, start=1):
        with speaking(voice):
            option = prompts.line("language_option", language=name, digit=digit)
        lines.append(replace(option, voice=voice))
    return twiml.menu(greeter, action, lines, before=before)


def main_menu(voice: Voice, action: str, *, notice: str | None = None) -> VoiceResponse:
    """1 rights · 2 review · 3 alerts · 4 alerts by text · 5 help near you · 6 a review's
    status by its code · 9 language ·
    0 organizer · * repeat."""
    with speaking(voice):
        before = [prompts.line(notice)] if notice else []
        lines = [
            prompts.line("main_menu"),
            prompts.line("status_option"),
            prompts.line("change_language"),
        ]
    return twiml.menu(voice, action, lines, before=before)


def organizer_closed(voice: Voice, hours: str, back: str) -> VoiceResponse:
    """Outside staffed hours: when to call, then back to the menu."""
    with speaking(voice):
        lines = [prompts.line("organizer_closed", hours=hours)]
    return twiml.say_then(voice, lines, back)


def organizer_unavailable(
    voice: Voice, back: str, *, key: str = "organizer_unavailable"
) -> VoiceResponse:
    """No hotline configured (or nobody answered): say so, then back to the menu."""
    with speaking(voice):
        lines = [prompts.line(key)]
    return twiml.say_then(voice, lines, back)


def notice_then(
    voice: Voice, keys: Sequence[str], url: str, extra: Sequence[Line] = ()
) -> VoiceResponse:
    """Say keyed prompts (and any `extra` lines), then continue at `url`."""
    with speaking(voice):
        lines = [prompts.line(key) for key in keys]
    return twiml.say_then(voice, [*lines, *extra], url)
