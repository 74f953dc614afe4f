"""Outbound alert calls placed by the broadcast (`calls.create` with these URLs).

Not a caller-driven menu: the delivery id in the path says who is called, so the language comes
from the subscriber row, never from the request.
"""

import logging
from datetime import UTC, datetime

from flask import Response, request, url_for
from sqlalchemy.exc import SQLAlchemyError
from twilio.twiml.voice_response import VoiceResponse

from ivr import twiml
from ivr.blueprint import bp
from ivr.screens import outbound
from ivr.speak import voice_for
from organize.alerts import deliveries
from organize.extensions import db
from organize.models import Alert, Delivery, Subscriber
from organize.plumbing.webhooks import twilio_signed

log = logging.getLogger(__name__)


def _xml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def _script(delivery_id: int) -> VoiceResponse:
    if not 0 < delivery_id < 2**31:  # no such row, and no integer column would take it
        return twiml.hang_up()
    row = db.session.execute(
        db.select(Delivery, Subscriber, Alert)
        .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
        .join(Alert, Alert.id == Delivery.alert_id)
        .where(Delivery.id == delivery_id)
    ).first()
    if row is None:
        return twiml.hang_up()
    delivery, subscriber, alert = row
    voice = voice_for(subscriber.locale)
    text = alert.text_for(voice.say_locale) or alert.text_for(subscriber.locale)
    if text is None or alert.status == "cancelled":
        return twiml.hang_up()
    if request.form.get("Digits") == "1" and alert.rsvp:
        delivery.rsvp_at = delivery.rsvp_at or datetime.now(UTC)
        return outbound.counted(voice)
    action = url_for("voice.alert_call", delivery_id=delivery.id)
    return outbound.alert_call(voice, text.title, text.body, action, rsvp=alert.rsvp)


@bp.post("/alert/<int:delivery_id>")
@twilio_signed
def alert_call(delivery_id: int) -> Response:
    """Speak the alert (and take 1 = RSVP, 2 = again). Never a 500."""
    try:
        response = _script(delivery_id)
        db.session.commit()
        return _xml(response)
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("alert call: database unavailable (%s)", type(exc).__name__)
        return _xml(twiml.apology([voice_for("en"), voice_for("es")]))


@bp.post("/alert-status")
@twilio_signed
def alert_status() -> tuple[str, int]:
    """Call status callback: answered / no-answer / busy / failed, forward only."""
    sid, status = request.form.get("CallSid", ""), request.form.get("CallStatus", "")
    try:
        if sid and status:
            deliveries.apply_status(sid=sid, status=status)
            db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
    return "", 204
