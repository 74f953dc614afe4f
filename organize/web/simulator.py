"""The phone simulator (/simulator): try the SMS and voice flows without Twilio or a phone.

The page never calls the webhooks' code directly. It asks `sign` for Twilio-like parameters and
their `X-Twilio-Signature`, then POSTs them itself to the real `/sms/inbound` or `/voice/…` URL,
so signature checking, routing, redaction and storage run exactly as for Twilio. Messages the
service sends on its own (alerts, "send me this by text") are read from the development outbox
by the number's blind index.

A signing endpoint is a way to speak as any number, so it only ever signs for fictional numbers
(NANP 555-0100 … 555-0199): it cannot be used to text STOP or BORRAR as a real person, nor to
read a real person's outbox. Numbers travel in POST bodies only, never in URLs (access logs).
"""

import re
import secrets
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from twilio.request_validator import RequestValidator
from werkzeug.exceptions import HTTPException

from organize import privacy
from organize.extensions import db, login_manager
from organize.models import Delivery, OutboxMessage, Subscriber
from organize.plumbing.webhooks import auth_token

bp = Blueprint("simulator", __name__, url_prefix="/simulator")

FICTIONAL = re.compile(r"^\+1[2-9]\d{2}55501\d{2}$")
SID = re.compile(r"^(CA|RE)[0-9a-f]{32}$")
SERVICE_NUMBER = "+15005550006"  # Twilio's "valid number" for tests: shown as the To
# What the page may set; everything else (From, the sids, AccountSid …) is ours to fill in.
SMS_FIELDS = {"Body"}
VOICE_FIELDS = {
    "Digits",
    "SpeechResult",
    "DialCallStatus",
    "RecordingSid",
    "RecordingDuration",
    "TranscriptionText",
    "TranscriptionStatus",
    "CallStatus",
}
FIELD_LIMIT = 2000
NOT_SIGNED = ("/voice/alert-status", "/voice/status")
ALERT_CALL = re.compile(r"^/voice/alert/(\d+)$")
OUTBOX_PAGE = 50


def enabled() -> bool:
    """On in development; in production only with ENABLE_SIMULATOR=1 and for admins (signing
    is speaking as a number to the real webhooks: not every organizer's to do)."""
    if not current_app.config["ENABLE_SIMULATOR"]:
        return False
    if current_app.config["ENV_NAME"] != "production":
        return True
    return bool(current_user.is_authenticated and current_user.can("admin"))


@bp.app_context_processor
def simulator_flag() -> dict[str, bool]:
    """Lets the home page point to the simulator only where it answers."""
    return {"simulator_enabled": enabled()}


@bp.before_request
def guard() -> ResponseReturnValue | None:
    """Off: 404, as if it did not exist. Production and signed out: to the sign-in page."""
    if not current_app.config["ENABLE_SIMULATOR"]:
        abort(404)
    if not current_user.is_authenticated and not enabled():
        return login_manager.unauthorized()
    if not enabled():
        abort(403)
    return None


@bp.get("/")
def page() -> str:
    """The phone: a Messages tab and a Call tab."""
    return render_template(
        "simulator.html",
        signs=auth_token() is not None,
        outbox=not current_app.config.get("TWILIO_ACCOUNT_SID"),
    )


def _fictional(raw: Any) -> str:
    """The E.164 form of a fictional number, or 400: the simulator speaks as no real person."""
    e164 = privacy.normalize(str(raw or "")[:40])
    if e164 is None or not FICTIONAL.match(e164):
        abort(400, description="fictional-number")
    return e164


def _target(channel: str, raw: Any) -> tuple[str, str]:
    """(path the page posts to, path the signature covers) for an SMS or voice webhook URL.

    TwiML actions may be absolute when PUBLIC_URL is set; only their path and query count, so
    the page always posts back to this server and never to another host.
    """
    parts = urlsplit(str(raw or ""))
    root = request.script_root
    path = parts.path[len(root) :] if root and parts.path.startswith(root + "/") else parts.path
    allowed = path == "/sms/inbound" if channel == "sms" else path.startswith("/voice/")
    if not allowed or ".." in path or "%2e" in path.lower():  # no way out of /voice/
        abort(400, description="target")
    if path.startswith(NOT_SIGNED):  # status callbacks move real deliveries forward
        abort(400, description="target")
    query = f"?{parts.query}" if parts.query else ""
    return root + path + query, path + query


def _signing_url(local: str, public: str) -> str:
    """The URL the webhook check will rebuild (organize.plumbing.webhooks.public_request_url)."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + public
    return request.host_url.rstrip("/") + local


def _extra(fields: set[str], given: Any) -> dict[str, str]:
    """The page's own parameters, limited to what Twilio itself would send for this hop."""
    if not isinstance(given, dict):
        return {}
    return {k: str(v)[:FIELD_LIMIT] for k, v in given.items() if k in fields and v is not None}


@bp.errorhandler(400)
@bp.errorhandler(503)
def json_error(error: HTTPException) -> ResponseReturnValue:
    """The page's script reads errors as JSON (`fictional-number`, `target`, a CSRF refusal)."""
    reason = error.description if error.code == 400 else "unavailable"
    return jsonify(error=reason), error.code or 400


def _own_alert_call(path: str, number: str) -> None:
    """An alert call's URL names a delivery: only the fictional number it was placed to may
    answer it (else the page could RSVP, or hear an alert, as a real subscriber)."""
    found = ALERT_CALL.match(urlsplit(path).path)
    if found is None:
        return
    if len(found.group(1)) > 9:
        abort(400, description="target")
    owner = db.session.scalar(
        sa.select(Subscriber.phone_hash)
        .join(Delivery, Delivery.subscriber_id == Subscriber.id)
        .where(Delivery.id == int(found.group(1)))
    )
    if owner != privacy.phone(number).hash:
        abort(400, description="target")


def _new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


@bp.post("/sign")
def sign() -> ResponseReturnValue:
    """Twilio-like parameters for one hop, signed with the token in force (never logged)."""
    token = auth_token()
    if token is None:
        abort(503)
    data = request.get_json(silent=True) or {}
    channel = "voice" if data.get("channel") == "voice" else "sms"
    number = _fictional(data.get("number"))
    local, public = _target(channel, data.get("url"))
    _own_alert_call(public, number)
    account = str(current_app.config.get("TWILIO_ACCOUNT_SID") or "AC" + "0" * 32)
    params = {"AccountSid": account, "From": number, "To": SERVICE_NUMBER}
    if channel == "sms":
        sid = _new_sid("SM")
        params |= {"MessageSid": sid, "SmsSid": sid, "NumMedia": "0", "NumSegments": "1"}
        params |= _extra(SMS_FIELDS, data.get("params"))
    else:
        call = str(data.get("call") or "")
        params |= {"CallSid": call if SID.match(call) else _new_sid("CA")}
        extra = _extra(VOICE_FIELDS, data.get("params"))
        ended = extra.pop("CallStatus", "") == "completed"  # the page hung up
        params |= {"Direction": "inbound", "CallStatus": "completed" if ended else "in-progress"}
        if "RecordingSid" in extra and not SID.match(extra["RecordingSid"]):
            extra["RecordingSid"] = _new_sid("RE")
        params |= extra
    signature = RequestValidator(token).compute_signature(_signing_url(local, public), params)
    return jsonify(url=local, params=params, signature=signature)


def _call_path(body: str) -> str | None:
    """An outbound call's TwiML URL as a local /voice/ path the page can answer, if it is one."""
    parts = urlsplit(body)
    if not parts.path.startswith("/voice/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.post("/outbox")
def outbox() -> ResponseReturnValue:
    """What the service sent this number since `since` (an outbox id), oldest first.

    Without `since` it answers only the newest id, so a phone starts with an empty chat.
    """
    data = request.get_json(silent=True) or {}
    phone_hash = privacy.phone(_fictional(data.get("number"))).hash
    mine = sa.select(OutboxMessage).where(OutboxMessage.phone_hash == phone_hash)
    since = data.get("since")
    if not isinstance(since, int) or isinstance(since, bool):
        last = db.session.scalar(
            sa.select(sa.func.max(OutboxMessage.id)).where(OutboxMessage.phone_hash == phone_hash)
        )
        return jsonify(last=last or 0, messages=[])
    newer = mine.where(OutboxMessage.id > since).order_by(OutboxMessage.id).limit(OUTBOX_PAGE)
    rows = list(db.session.scalars(newer))
    messages = [
        {"id": row.id, "kind": row.kind, "body": row.body if row.kind == "sms" else ""}
        | ({"call": _call_path(row.body)} if row.kind == "call" else {})
        for row in rows
    ]
    return jsonify(last=rows[-1].id if rows else since, messages=messages)
