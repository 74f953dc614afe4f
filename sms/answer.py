"""Answering one inbound text, the same way whether the webhook does it at once or the drain
job does it later (`sms.overload`): claim the sid, route, keep the reply for Twilio's retry
window (not at all when it quotes what someone said), commit once.

Expiring state costs two round trips in Redis per text: one read ahead (claim, conversation,
language, budget) and one for the writes held until the answer is ready (`expiring.buffered`).
The database is read only for what is durable (an RSVP, a subscriber) and committed once.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from twilio.twiml.messaging_response import MessagingResponse

from organize import privacy
from organize.extensions import db
from organize.outbound import blanking
from organize.plumbing import expiring
from organize.plumbing.text import clean, xml_safe
from sms import router
from sms.budgets import CARRIER_START
from sms.keywords import match

log = logging.getLogger(__name__)


def twiml(text: str | None, *, redact_after: bool = False) -> str:
    """A `<Response>` with one `<Message>`, or empty when there is nothing to say. A reply that
    quotes what someone said asks for its status callback (`action`), which carries the reply's
    own MessageSid: once it is final, the provider is asked to blank its body."""
    if not redact_after:
        return _plain_twiml(text)
    response = MessagingResponse()
    if text:
        response.message(xml_safe(text), action=blank_callback())
    return str(response)


@lru_cache(maxsize=1024)
def _plain_twiml(text: str | None) -> str:
    """The TwiML of a reply that quotes nobody: the same few replies go out again and again,
    so each is built once per process (one that quotes someone is built and forgotten)."""
    response = MessagingResponse()
    if text:
        response.message(xml_safe(text))
    return str(response)


def blank_callback() -> str:
    """The status callback of a reply to blank (absolute: Twilio calls it)."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + url_for("sms.status", blank=1)
    return url_for("sms.status", blank=1, _external=True)


def apology() -> str:
    """Bilingual, because we cannot look up the person's language."""
    lines = []
    for locale in ("en", "es"):
        with force_locale(locale):
            lines.append(_("Sorry, we cannot answer right now. Please try again soon."))
    return twiml("\n".join(lines))


def message_sid(form: Mapping[str, str]) -> str:
    """The text's MessageSid ('' when Twilio sent none)."""
    return (form.get("MessageSid") or form.get("SmsSid") or "").strip()


@dataclass(frozen=True)
class Outcome:
    """The TwiML answer; the reply's text and whether it quotes someone (for a REST reply);
    whether the sid had been answered before (a replay: nothing was done)."""

    xml: str
    text: str | None = None
    quotes: bool = False
    replayed: bool = False
    later: bool = False  # not handled: older texts of this number wait in the overload queue


def synchronous_only(form: Mapping[str, str]) -> bool:
    """STOP and START are recorded while the person waits (carrier rules): never deferred, never
    queued behind older texts."""
    if form.get("OptOutType"):
        return True
    found = match(clean(form.get("Body", ""))[:1600])
    return found.intent == "opt_out" or (found.intent == "opt_in" and found.folded in CARRIER_START)


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _replay_key(sid: str) -> str:
    return f"sms:sid:{sid[:64]}"


def stored_reply(sid: str) -> str:
    """What a replayed sid gets: the kept reply, or nothing (in flight, or not kept)."""
    return expiring.store().get(_replay_key(sid)) or twiml(None)


def _handle(sid: str, *, in_turn: bool) -> Outcome:
    form = request.form
    phone = privacy.phone(form.get("From", ""))
    replay = (_replay_key(sid), int(current_app.config["SMS_REPLAY_TTL"])) if sid else None
    told = quotes = False
    text: str | None = None
    with expiring.buffered() as keep:
        if form.get("OptOutType"):
            if replay and not keep.claim(replay[0], "", replay[1]):
                return Outcome(stored_reply(sid), replayed=True)
            router.record_opt_out_type(phone=phone, opt_out_type=form["OptOutType"])
            reply = twiml(None)  # Twilio already answered; a second reply would confuse
        else:
            body = clean(form.get("Body", ""))[:1600]
            ahead = router.read_ahead(phone=phone, body=body, replay=replay)
            if not ahead.claimed:
                return Outcome(stored_reply(sid), replayed=True)
            if ahead.waiting and not in_turn and not synchronous_only(form):
                if replay:
                    keep.delete(replay[0])  # its turn comes in the queue, claimed there
                return Outcome(twiml(None), later=True)
            answer = router.respond(
                phone=phone, body=body, num_media=_number(form.get("NumMedia")), ahead=ahead
            )
            told, quotes, text = answer.told, answer.quotes, answer.text
            reply = twiml(answer.text, redact_after=quotes)
        if replay:
            keep.put(replay[0], "" if quotes else reply, replay[1])
    _commit()
    if told and sid:
        _blank(sid)
    return Outcome(reply, text, quotes)


def _commit() -> None:
    """Commit what the text wrote. Most texts (HELP, RIGHTS) never touch the database: no
    session was made for them, and making one to commit nothing cost a text ~45 µs of CPU."""
    if db.session.registry.has() and db.session().in_transaction():
        db.session.commit()


def _blank(sid: str) -> None:
    """Ask the provider to blank this text's body (it keeps bodies for months). The answer is
    committed already: a failure here is logged, never turned into an apology and a retry."""
    try:
        blanking.blank_later(sid=sid)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        log.error("sms inbound: blanking not queued (%s)", type(exc).__name__)


def release(sid: str) -> None:
    """A failed attempt gives its sid back, so Twilio's retry is handled, not ignored."""
    if sid:
        try:
            expiring.store().delete(_replay_key(sid))
        except (RedisError, SQLAlchemyError):
            db.session.rollback()


def answer(sid: str, *, in_turn: bool = False) -> Outcome:
    """Handle the text of this request — unless older texts of the same number wait in the
    overload queue (`Outcome.later`) and this is not their drain (`in_turn`). Redis failing
    midway, handle it again on the database (the conversation restarts — `router` says so)."""
    try:
        return _handle(sid, in_turn=in_turn)
    except RedisError as exc:
        db.session.rollback()
        log.warning(
            "sms inbound: redis unavailable (%s); answering from the database", type(exc).__name__
        )
        expiring.without_redis()
        return _handle(sid, in_turn=True)


def answer_kept(form: Mapping[str, str]) -> Outcome:
    """A text kept by the webhook (`sms.overload`), handled in a request rebuilt from its
    fields. Database errors propagate (the text stays kept); an IntegrityError is a replay."""
    base = str(current_app.config.get("PUBLIC_URL") or "http://localhost").rstrip("/")
    data = {k: v for k, v in form.items() if v}
    with current_app.test_request_context("/sms/inbound", method="POST", data=data, base_url=base):
        return answer(message_sid(data), in_turn=True)
