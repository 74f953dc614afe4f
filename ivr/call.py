"""One webhook request from a call, as the views see it, and the wrapper that makes every
view answer valid TwiML — signed, committed, never a 500.

State travels in the action URLs' query string (`lang`, `tries`, `page`, `i` …): Twilio echoes
it back and it is covered by the signature. Never the number, never speech. The caller's
number exists only in `Call.phone` (memory) and as its blind index.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, current_app, request, url_for
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from twilio.twiml.voice_response import VoiceResponse

from ivr import callstate, twiml
from ivr.speak import Voice, voice_for
from organize import privacy
from organize.extensions import db
from organize.plumbing import expiring
from organize.plumbing.logscrub import stack
from organize.plumbing.text import clean
from organize.plumbing.webhooks import twilio_signed

log = logging.getLogger(__name__)
MAX_RETRIES = 2
MAX_SPEECH = 6000  # characters of one speech result kept in memory; the rest is dropped
ENDED = {"completed", "canceled", "failed", "busy", "no-answer"}
HIDDEN = {"anonymous", "restricted", "unknown", "private", "blocked", "+266696687"}


@dataclass
class Call:
    """What one request says: who (in memory only), in which language, and what was pressed."""

    phone: privacy.Phone
    sid: str
    locale: str
    voice: Voice
    digits: str | None  # None: no Digits at all (the timeout path)
    speech: str
    tries: int

    @property
    def can_text(self) -> bool:
        """A number we may text: caller ID shown and parseable."""
        return self.phone.e164 is not None

    def url(self, endpoint: str, tries: int = 0, **values: Any) -> str:
        """An action URL that carries the call's language (and a retry count when > 0)."""
        extra: dict[str, Any] = {"tries": tries} if tries else {}
        return url_for(f"voice.{endpoint}", lang=self.locale, **values, **extra)

    def choice(self, count: int) -> int | None:
        """The key pressed, as a menu number 1 … `count` (one key), or None."""
        digits = self.digits or ""
        if len(digits) == 1 and digits.isdigit() and 1 <= int(digits) <= count:
            return int(digits)
        return None

    def arg(self, name: str, limit: int = 99) -> int:
        """A small non-negative integer from the query string (0 when absent or odd)."""
        raw = request.args.get(name, "")
        return min(int(raw), limit) if raw.isdigit() and len(raw) < 6 else 0


def _locale() -> str:
    """The language in the action URL, else the default — never one looked up by caller ID,
    which anyone can spoof: the line sounds the same for every caller (DESIGN §4.8)."""
    languages: list[str] = current_app.config["LANGUAGES"]
    asked = request.args.get("lang", "")
    return asked if asked in languages else str(current_app.config["DEFAULT_LOCALE"])


def parse() -> Call:
    """Read the request; nothing of it is logged or stored here."""
    form = request.form
    raw = form.get("From", "").strip()
    phone = privacy.phone("" if raw.lower() in HIDDEN else raw)
    locale = _locale()
    digits = form.get("Digits")
    return Call(
        phone=phone,
        sid=form.get("CallSid", "").strip()[:64],
        locale=locale,
        voice=voice_for(locale),
        digits=digits.strip()[:20] if digits is not None else None,
        speech=clean(form.get("SpeechResult", ""))[:MAX_SPEECH],
        tries=min(int(t), MAX_RETRIES) if (t := request.args.get("tries", "0")).isdigit() else 0,
    )


def again(
    call: Call, screen: Callable[[int, str], VoiceResponse], notice: str | None = None
) -> VoiceResponse:
    """A timeout or an invalid answer: say which, ask again (twice at most), then goodbye."""
    if call.tries >= MAX_RETRIES:
        return twiml.goodbye(call.voice)
    if notice is None:
        notice = "no_input" if call.digits is None and not call.speech else "not_an_option"
    return screen(call.tries + 1, notice)


def _xml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def _apology() -> Response:
    return _xml(twiml.apology([voice_for("en"), voice_for("es")]))


def _answer(view: Callable[[Call], VoiceResponse]) -> Response:
    call = parse()
    if request.form.get("CallStatus", "") in ENDED:
        callstate.end(call.sid)
        db.session.commit()
        return _xml(twiml.hang_up())
    response = view(call)
    db.session.commit()
    return _xml(response)


def voice_view(view: Callable[[Call], VoiceResponse]) -> Callable[[], Response]:
    """Signature → parse → view → commit → TwiML. Database down or a bug: apology + hang-up."""

    @twilio_signed
    @wraps(view)
    def wrapper() -> Response:
        try:
            try:
                return _answer(view)
            except RedisError as exc:
                db.session.rollback()
                log.warning("voice %s: redis unavailable (%s)", request.path, type(exc).__name__)
                expiring.without_redis()  # the call's state restarts; the call goes on
                return _answer(view)
        except SQLAlchemyError as exc:
            db.session.rollback()
            log.warning("voice %s: database unavailable (%s)", request.path, type(exc).__name__)
            return _apology()
        except Exception as exc:
            db.session.rollback()
            log.error("voice %s: unexpected %s\n%s", request.path, type(exc).__name__, stack(exc))
            return _apology()

    return wrapper
