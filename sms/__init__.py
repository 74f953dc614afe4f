"""The texting channel: Twilio Messaging webhooks.

Every answer is TwiML, even when the database is down or a flow breaks: a failed SMS webhook is
only logged by Twilio and the person gets nothing (TWILIO.md). A replayed MessageSid gets the
reply (kept for Twilio's retry window, without the sender, and not at all when it quotes what
someone said) and is not processed again. Nothing of the body or the sender's number is kept.
"""

import logging

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from twilio.twiml.messaging_response import MessagingResponse

from organize import privacy
from organize.alerts import deliveries
from organize.extensions import db
from organize.outbound import blanking
from organize.plumbing import expiring
from organize.plumbing.logscrub import stack
from organize.plumbing.text import clean, xml_safe
from organize.plumbing.webhooks import twilio_signed
from sms import router

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/sms")


def twiml(text: str | None, *, redact_after: bool = False) -> str:
    """A `<Response>` with one `<Message>`, or empty when there is nothing to say. A reply that
    quotes what someone said asks for its status callback (`action`), which carries the reply's
    own MessageSid: once it is final, the provider is asked to blank its body."""
    response = MessagingResponse()
    if text:
        extra = {"action": _blank_callback()} if redact_after else {}
        response.message(xml_safe(text), **extra)
    return str(response)


def _blank_callback() -> str:
    """The status callback of a reply to blank (absolute: Twilio calls it)."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + url_for("sms.status", blank=1)
    return url_for("sms.status", blank=1, _external=True)


def _xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def _apology() -> str:
    """Bilingual, because we cannot look up the person's language."""
    lines = []
    for locale in ("en", "es"):
        with force_locale(locale):
            lines.append(_("Sorry, we cannot answer right now. Please try again soon."))
    return twiml("\n".join(lines))


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _replay_key(sid: str) -> str:
    return f"sms:sid:{sid[:64]}"


def _replay_ttl() -> int:
    return int(current_app.config["SMS_REPLAY_TTL"])


def _stored_reply(sid: str) -> str:
    """What a replayed sid gets: the kept reply, or nothing (in flight, or not kept)."""
    return expiring.store().get(_replay_key(sid)) or twiml(None)


def _handle(sid: str) -> str:
    """Claim the sid, answer, keep the reply for Twilio's retry window only — and not at all
    when it quotes what someone said (an employer, a story, a notice)."""
    form = request.form
    keep = expiring.store()
    if sid and not keep.claim(_replay_key(sid), "", _replay_ttl()):
        return _stored_reply(sid)
    phone = privacy.phone(form.get("From", ""))
    told = quotes = False
    if form.get("OptOutType"):
        router.record_opt_out_type(phone=phone, opt_out_type=form["OptOutType"])
        reply = twiml(None)  # Twilio already answered; a second reply would confuse
    else:
        answer = router.respond(
            phone=phone,
            body=clean(form.get("Body", ""))[:1600],
            num_media=_number(form.get("NumMedia")),
        )
        told, quotes = answer.told, answer.quotes
        reply = twiml(answer.text, redact_after=quotes)
    if sid:
        keep.put(_replay_key(sid), "" if quotes else reply, _replay_ttl())
    db.session.commit()
    if told and sid:
        _blank(sid)
    return reply


def _blank(sid: str) -> None:
    """Ask the provider to blank this text's body (it keeps bodies for months). The answer is
    committed already: a failure here is logged, never turned into an apology and a retry."""
    try:
        blanking.blank_later(sid=sid)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        log.error("sms inbound: blanking not queued (%s)", type(exc).__name__)


def _release(sid: str) -> None:
    """A failed attempt gives its sid back, so Twilio's retry is handled, not ignored."""
    if sid:
        try:
            expiring.store().delete(_replay_key(sid))
        except (RedisError, SQLAlchemyError):
            db.session.rollback()


def _answer(sid: str) -> str:
    try:
        return _handle(sid)
    except RedisError as exc:
        db.session.rollback()
        log.warning(
            "sms inbound: redis unavailable (%s); answering from the database", type(exc).__name__
        )
        expiring.without_redis()
        return _handle(sid)


@bp.post("/inbound")
@twilio_signed
def inbound() -> Response:
    """Twilio Messaging webhook: route the text, answer TwiML, always."""
    sid = (request.form.get("MessageSid") or request.form.get("SmsSid") or "").strip()
    try:
        return _xml(_answer(sid))
    except IntegrityError:
        db.session.rollback()  # the same sid raced in twice: answer what the first one said
        try:
            return _xml(_stored_reply(sid))
        except SQLAlchemyError:
            db.session.rollback()
            return _xml(_apology())
    except SQLAlchemyError as exc:
        db.session.rollback()
        _release(sid)
        log.warning("sms inbound: database unavailable (%s)", type(exc).__name__)
        return _xml(_apology())
    except Exception as exc:
        db.session.rollback()
        _release(sid)
        log.error("sms inbound: unexpected %s\n%s", type(exc).__name__, stack(exc))
        return _xml(_apology())


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
