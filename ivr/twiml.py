"""Generic TwiML shapes every screen uses. Pure: plain data in, a `VoiceResponse` out.

Every `<Gather>` is followed by a `<Redirect>` to its own action: that is the timeout path
(Twilio falls through a `<Gather>` that heard nothing), and the action's handler counts it as a
failed try, so no menu can loop forever.
"""

from collections.abc import Sequence

from flask_babel import force_locale
from flask_babel import gettext as _
from twilio.twiml.voice_response import Gather, VoiceResponse

from ivr import prompts
from ivr.speak import Line, Voice, add, speaking

MENU_TIMEOUT = 6  # seconds of silence before the timeout path
SPEECH_TIMEOUT = 5
MAX_HINTS = 100  # Twilio accepts more, but long hint lists slow recognition down


def menu(
    voice: Voice,
    action: str,
    lines: Sequence[Line],
    *,
    before: Sequence[Line] = (),
    speech: bool = False,
    keys: bool = True,
    hints: Sequence[str] = (),
    num_digits: int | None = 1,
) -> VoiceResponse:
    """`before` is said once; `lines` inside a <Gather> the caller may interrupt."""
    response = VoiceResponse()
    for line in before:
        add(response, voice, line)
    inputs = " ".join(name for name, on in (("dtmf", keys), ("speech", speech)) if on)
    options: dict[str, object] = {"timeout": MENU_TIMEOUT, "finish_on_key": ""}
    if num_digits is not None:
        options["num_digits"] = num_digits
    else:
        options["finish_on_key"] = "#"
    if speech:
        options.update(language=voice.speech_language, speech_timeout="auto")
        options["timeout"] = SPEECH_TIMEOUT
        if hints:
            options["hints"] = ", ".join(h.replace(",", " ")[:100] for h in hints[:MAX_HINTS])
    gather = Gather(action=action, method="POST", input=inputs, **options)
    for line in lines:
        add(gather, voice, line)
    response.append(gather)
    response.redirect(action, method="POST")
    return response


def say_then(voice: Voice, lines: Sequence[Line], url: str) -> VoiceResponse:
    """Say something, then continue at `url` (usually a menu)."""
    response = VoiceResponse()
    for line in lines:
        add(response, voice, line)
    response.redirect(url, method="POST")
    return response


def goodbye(voice: Voice, before: Sequence[Line] = ()) -> VoiceResponse:
    """A polite end: whatever must still be said, then goodbye and hang up."""
    response = VoiceResponse()
    for line in before:
        add(response, voice, line)
    with speaking(voice):
        add(response, voice, prompts.line("goodbye"))
    response.hangup()
    return response


def dial(voice: Voice, number: str, action: str) -> VoiceResponse:
    """Connect to the organizers' line; `action` runs when that leg ends (no answer, busy)."""
    response = VoiceResponse()
    with speaking(voice):
        add(response, voice, prompts.line("organizer_connecting"))
    response.dial(number, action=action, method="POST", timeout=25)
    return response


def apology(voices: Sequence[Voice]) -> VoiceResponse:
    """The database is down: a short apology in each voice given (English and Spanish)."""
    response = VoiceResponse()
    for voice in voices:
        with force_locale(voice.say_locale):
            text = _("Sorry, this line cannot answer right now. Please call again later.")
        add(response, voice, Line(text))
    response.hangup()
    return response


def redirect(url: str) -> VoiceResponse:
    """Continue at another screen (its handler decides what to say)."""
    response = VoiceResponse()
    response.redirect(url, method="POST")
    return response


def hang_up() -> VoiceResponse:
    """The call is already over (a late callback): nothing to say."""
    response = VoiceResponse()
    response.hangup()
    return response
