"""A review's status by its code, and an appeal: builders only (`ivr/views/status.py`)."""

from collections.abc import Sequence

from twilio.twiml.voice_response import VoiceResponse

from ivr import prompts, twiml
from ivr.speak import Line, Voice, speaking


def ask_code(voice: Voice, action: str, *, notice: str | None = None) -> VoiceResponse:
    """Ten digits, then #."""
    with speaking(voice):
        before = [prompts.line(notice)] if notice else []
        lines = [prompts.line("status_ask")]
    return twiml.menu(voice, action, lines, before=before, num_digits=None)


def status(voice: Voice, said: Sequence[Line], action: str | None, back: str) -> VoiceResponse:
    """The status (`said`); then, when it may be appealed, 1 to appeal, else back to the menu."""
    if action is None:
        return twiml.say_then(voice, said, back)
    with speaking(voice):
        lines = [prompts.line("appeal_offer")]
    return twiml.menu(voice, action, lines, before=said)


def ask_reason(voice: Voice, action: str, *, notice: str | None = None) -> VoiceResponse:
    """The reason, spoken (redacted in memory as it arrives, like a story)."""
    with speaking(voice):
        before = [prompts.line(notice)] if notice else []
        lines = [prompts.line("appeal_reason")]
    return twiml.menu(voice, action, lines, before=before, speech=True, keys=True)
