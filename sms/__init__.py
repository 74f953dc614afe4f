"""The texting channel: Twilio Messaging webhooks.

Every answer is TwiML, even when the database is down or a flow breaks: a failed SMS webhook is
only logged by Twilio and the person gets nothing (TWILIO.md). A replayed MessageSid gets the
stored reply and is not processed again. Nothing of the body or the sender's number is kept.
"""

import logging

import sqlalchemy as sa
from flask import Blueprint, Response, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from twilio.twiml.messaging_response import MessagingResponse

from organize import privacy
from organize.alerts import deliveries
from organize.extensions import db
from organize.models import InboundMessage
from organize.plumbing.logscrub import stack
from organize.plumbing.text import clean, xml_safe
from organize.plumbing.webhooks import twilio_signed
from sms import router

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/sms")


def twiml(text: str | None) -> str:
    """A `<Response>` with one `<Message>`, or empty when there is nothing to say."""
    response = MessagingResponse()
    if text:
        response.message(xml_safe(text))
    return str(response)


def _xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def _apology() -> str:
    """Bilingual, because we cannot look up the person's language."""
    lines = []
    for locale in ("en", "es"):
        with force_locale(locale):
            lines.append(_("Sorry, we cannot answer right now. Please try again soon."))
    return twiml("\n".join(lines))


def _stored_reply(sid: str) -> str | None:
    return db.session.scalar(sa.select(InboundMessage.reply).where(InboundMessage.sid == sid))


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _handle(sid: str) -> str:
    form = request.form
    if sid and (stored := _stored_reply(sid)) is not None:
        return stored
    phone = privacy.phone(form.get("From", ""))
    forgotten = False
    if form.get("OptOutType"):
        router.record_opt_out_type(phone=phone, opt_out_type=form["OptOutType"])
        reply = twiml(None)  # Twilio already answered; a second reply would confuse
    else:
        answer = router.respond(
            phone=phone,
            body=clean(form.get("Body", ""))[:1600],
            num_media=_number(form.get("NumMedia")),
        )
        reply, forgotten = twiml(answer.text), answer.forgotten
    if sid:
        phone_hash = None if forgotten else phone.hash
        db.session.add(InboundMessage(sid=sid[:64], phone_hash=phone_hash, reply=reply))
    db.session.commit()
    return reply


@bp.post("/inbound")
@twilio_signed
def inbound() -> Response:
    """Twilio Messaging webhook: route the text, answer TwiML, always."""
    sid = (request.form.get("MessageSid") or request.form.get("SmsSid") or "").strip()
    try:
        return _xml(_handle(sid))
    except IntegrityError:
        db.session.rollback()  # the same sid raced in twice: answer what the first one said
        try:
            return _xml(_stored_reply(sid) or twiml(None))
        except SQLAlchemyError:
            db.session.rollback()
            return _xml(_apology())
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("sms inbound: database unavailable (%s)", type(exc).__name__)
        return _xml(_apology())
    except Exception as exc:
        db.session.rollback()
        log.error("sms inbound: unexpected %s\n%s", type(exc).__name__, stack(exc))
        return _xml(_apology())


def _error_code(raw: str) -> int | None:
    """Twilio's error codes are 5 digits; anything else (`²`, a 30-digit number) is no code."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


@bp.post("/status")
@twilio_signed
def status() -> tuple[str, int]:
    """Twilio status callback: alert deliveries move forward (never back). Always 204."""
    form = request.form
    sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
    state = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip()
    code = form.get("ErrorCode", "")
    try:
        if sid and state:
            deliveries.apply_status(sid=sid, status=state, error_code=_error_code(code))
            db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()  # Twilio retries nothing here; the reconciler covers the gap
        log.warning("sms status: database unavailable (%s)", type(exc).__name__)
    return "", 204
