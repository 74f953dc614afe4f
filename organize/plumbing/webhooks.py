"""Twilio webhook authentication, shared by the SMS and voice blueprints.

Twilio signs the full public URL it called plus the POST parameters (TWILIO.md). Behind a proxy
the request URL differs from what Twilio called, so `PUBLIC_URL` (or ProxyFix) rebuilds it.
"""

import hmac
import logging
from collections.abc import Callable, Mapping
from functools import lru_cache, wraps
from typing import ParamSpec, TypeVar

from flask import Flask, abort, current_app, request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# Development without Twilio credentials: the simulator and tests sign with this token.
DEV_AUTH_TOKEN = "organize-development-token"  # noqa: S105 - not a secret, dev only


def auth_token(app: Flask | None = None) -> str | None:
    """The token webhooks are checked against; None means "refuse everything" (production).
    `app` when called outside a context (`sms.shortcut`)."""
    config = (app or current_app).config
    token = config.get("TWILIO_AUTH_TOKEN")
    if token:
        return str(token)
    if config["ENV_NAME"] == "production":
        return None
    return DEV_AUTH_TOKEN


def public_request_url() -> str:
    """The URL Twilio called: PUBLIC_URL + path + query when set, else the (proxy-fixed) URL."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return str(base).rstrip("/") + request.path + (f"?{query}" if query else "")


@lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def signed(token: str, url: str, params: Mapping[str, str], signature: str) -> bool:
    """Whether `signature` is twilio's for `url` and `params` (a MultiDict: the validator reads
    repeated parameters through getall()). twilio's `validate` computes the signature twice
    (the URL with and without its port); the URL as given is one of the two and the one Twilio
    signs, so it is tried alone first — one HMAC for a genuine text — and `validate` decides
    only when it does not match."""
    validator = _validator(token)
    computed = validator.compute_signature(url, params)
    if hmac.compare_digest(computed.encode(), signature.encode()):
        return True
    return bool(validator.validate(url, params, signature))


def signature_is_valid() -> bool:
    """Check X-Twilio-Signature over the public URL and the form parameters."""
    token = auth_token()
    signature = request.headers.get("X-Twilio-Signature", "")
    if token is None or not signature:
        return False
    return signed(token, public_request_url(), request.form, signature)


def twilio_signed(view: Callable[P, R]) -> Callable[P, R]:
    """Answer 403, before anything is parsed or stored, when the signature does not match."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not signature_is_valid():
            log.warning("rejected unsigned or mis-signed webhook to %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return wrapper
