"""Twilio webhook authentication, shared by the SMS and voice blueprints.

Twilio signs the full public URL it called plus the POST parameters (TWILIO.md). Behind a proxy
the request URL differs from what Twilio called, so `PUBLIC_URL` (or ProxyFix) rebuilds it.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# Development without Twilio credentials: the simulator and tests sign with this token.
DEV_AUTH_TOKEN = "organize-development-token"  # noqa: S105 - not a secret, dev only


def auth_token() -> str | None:
    """The token webhooks are checked against; None means "refuse everything" (production)."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    if token:
        return str(token)
    if current_app.config["ENV_NAME"] == "production":
        return None
    return DEV_AUTH_TOKEN


def public_request_url() -> str:
    """The URL Twilio called: PUBLIC_URL + path + query when set, else the (proxy-fixed) URL."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return str(base).rstrip("/") + request.path + (f"?{query}" if query else "")


def signature_is_valid() -> bool:
    """Check X-Twilio-Signature over the public URL and the form parameters."""
    token = auth_token()
    signature = request.headers.get("X-Twilio-Signature", "")
    if token is None or not signature:
        return False
    # The MultiDict itself: the validator reads repeated parameters through getlist().
    return bool(RequestValidator(token).validate(public_request_url(), request.form, signature))


def twilio_signed(view: Callable[P, R]) -> Callable[P, R]:
    """Answer 403, before anything is parsed or stored, when the signature does not match."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not signature_is_valid():
            log.warning("rejected unsigned or mis-signed webhook to %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return wrapper
