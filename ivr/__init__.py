"""The voice channel. For now: a signed webhook answering a placeholder (issue: voice channel)."""

from flask import Blueprint, Response
from flask_babel import force_locale
from flask_babel import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from organize.webhooks import twilio_signed

bp = Blueprint("voice", __name__, url_prefix="/voice")


def not_open_yet() -> VoiceResponse:
    """A short bilingual message and a hang-up; a pure builder for tests."""
    response = VoiceResponse()
    for locale, language in (("en", "en-US"), ("es", "es-MX")):
        with force_locale(locale):
            response.say(
                _("This phone line is not open yet. Please call again soon."), language=language
            )
    response.hangup()
    return response


@bp.post("/inbound")
@twilio_signed
def inbound() -> Response:
    """Twilio Voice webhook for an incoming call."""
    return Response(str(not_open_yet()), mimetype="text/xml")
