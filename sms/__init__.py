"""The texting channel. For now: signed webhooks answering a placeholder (issue: SMS channel)."""

from flask import Blueprint, Response
from flask_babel import gettext as _
from twilio.twiml.messaging_response import MessagingResponse

from organize.webhooks import twilio_signed

bp = Blueprint("sms", __name__, url_prefix="/sms")


def twiml(response: MessagingResponse) -> Response:
    """TwiML with the right content type."""
    return Response(str(response), mimetype="text/xml")


@bp.post("/inbound")
@twilio_signed
def inbound() -> Response:
    """Twilio Messaging webhook. Always answers TwiML."""
    reply = MessagingResponse()
    reply.message(_("Thanks for your message. Texting is not open yet; visit our website."))
    return twiml(reply)


@bp.post("/status")
@twilio_signed
def status() -> tuple[str, int]:
    """Twilio status callback (used by alerts)."""
    return "", 204
