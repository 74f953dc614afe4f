"""The texting channel: Twilio Messaging webhooks.

Every answer is TwiML, even when the database is down or a flow breaks: a failed SMS webhook is
only logged by Twilio and the person gets nothing (TWILIO.md). A replayed MessageSid gets the
reply (kept for Twilio's retry window, without the sender, and not at all when it quotes what
someone said) and is not processed again. Nothing of the body or the sender's number is kept,
except a text kept for later under load or while the database is down — encrypted, and only
until the drain job has answered it (`sms.overload`).
"""

import logging

from flask import Blueprint, Response, request
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from organize.alerts import deliveries
from organize.extensions import db
from organize.outbound import blanking
from organize.plumbing.logscrub import stack
from organize.plumbing.webhooks import twilio_signed
from sms import overload
from sms.answer import (
    answer,
    apology,
    message_sid,
    release,
    stored_reply,
    synchronous_only,
    twiml,
)

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/sms")


def _xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


@bp.post("/inbound")
@twilio_signed
def inbound() -> Response:
    """Twilio Messaging webhook: route the text, answer TwiML, always — at once, or, when the
    answer would come late, an empty answer now and the reply by the REST API (`overload`).
    A signed text usually arrives by `sms.shortcut`, which calls `reply` without Flask's hooks."""
    return _xml(reply())


def reply() -> str:
    """The TwiML answer to this request's text, whose signature is checked already."""
    sid = message_sid(request.form)
    with overload.in_flight() as running:
        why = overload.reason(running=running)
        if why and not synchronous_only(request.form) and overload.defer(request.form):
            return twiml(None)
        return _answer_now(sid)


def _answer_now(sid: str) -> str:
    try:
        outcome = answer(sid)
        if outcome.later and not overload.defer(request.form):
            outcome = answer(sid, in_turn=True)  # nowhere to wait: now, out of turn
        return outcome.xml
    except IntegrityError:
        db.session.rollback()  # the same sid raced in twice: answer what the first one said
        try:
            return stored_reply(sid)
        except SQLAlchemyError:
            db.session.rollback()
            return apology()
    except SQLAlchemyError as exc:
        db.session.rollback()
        release(sid)
        overload.database_failed()
        log.warning("sms inbound: database unavailable (%s)", type(exc).__name__)
        return _database_down()
    except Exception as exc:
        db.session.rollback()
        release(sid)
        log.error("sms inbound: unexpected %s\n%s", type(exc).__name__, stack(exc))
        return apology()


def _database_down() -> str:
    """Keep the text for the drain job; a STOP is confirmed now (and applied by the job when
    the database is back), an opt-out Twilio made is answered by Twilio. Without Redis: the
    apology."""
    confirmation = overload.confirmation(request.form)
    if overload.defer(request.form, answered=confirmation is not None):
        return twiml(confirmation or None)
    return apology()


def _error_code(raw: str) -> int | None:
    """Twilio's error codes are 5 digits; anything else (`²`, a 30-digit number) is no code."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


@bp.post("/status")
@twilio_signed
def status() -> tuple[str, int]:
    """Twilio status callback: alert deliveries move forward (never back); a quoting reply,
    once final, is blanked at the provider. Always 204."""
    form = request.form
    sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
    state = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip()
    code = form.get("ErrorCode", "")
    try:
        if sid and state:
            deliveries.apply_status(sid=sid, status=state, error_code=_error_code(code))
            if request.args.get("blank") == "1" and state in blanking.FINAL:
                blanking.blank_later(sid=sid[:64])  # a reply that quoted someone's words
            db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()  # Twilio retries nothing here; the reconciler covers the gap
        log.warning("sms status: database unavailable (%s)", type(exc).__name__)
    return "", 204
