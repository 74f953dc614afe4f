"""The outbound alert call: the alert in the subscriber's language, 1 to RSVP, 2 to hear again."""

from flask_babel import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from ivr import twiml
from ivr.speak import Line, Voice, speaking


def alert_call(voice: Voice, title: str, body: str, action: str, *, rsvp: bool) -> VoiceResponse:
    """Pure builder: the words, then the choices inside a <Gather>, then goodbye on silence."""
    with speaking(voice):
        intro = _("This is an action alert from the workers' organization.")
        choices = (
            _("Press 1 if you can come. Press 2 to hear this again.")
            if rsvp
            else _("Press 2 to hear this again.")
        )
    lines = [Line(intro), Line(title), Line(body), Line(choices)]
    response = twiml.menu(voice, action, lines)
    response.hangup()
    return response


def counted(voice: Voice) -> VoiceResponse:
    """The RSVP was counted: thanks, and goodbye."""
    with speaking(voice):
        thanks = _("Thank you, we counted you in. See you there!")
    return twiml.goodbye(voice, [Line(thanks)])
