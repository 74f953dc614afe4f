"""The short way in front of the app: under load, a text is kept before Flask even sees it.

When the text line runs late (`overload.reason`: the accept queue, the database), the cost of
deferring a text must be far below the cost of answering it, or the queue ahead of the switch
keeps growing. So this WSGI middleware, in front of Flask, checks the signature (twilio's
validator), keeps the text (`overload.defer`: one Redis round trip) and answers an empty
`<Response/>` — no request context, no hooks. STOP and START, anything unsigned, or anything it
cannot keep go on to the app unchanged, which answers them the usual way (and re-checks the
signature itself). Deferred texts are counted in Redis (`overload.PRESSURE_KEY` is their sign),
not in the request metrics.
"""

import io
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from werkzeug.datastructures import MultiDict

from organize.plumbing.webhooks import auth_token
from sms import overload
from sms.answer import synchronous_only

PATH = "/sms/inbound"
EMPTY = str(MessagingResponse()).encode()  # built once: the same bytes every time
MAX_BODY = 64 * 1024  # Twilio's texts are a few kB; anything larger goes the usual way

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Shortcut:
    """WSGI middleware: `app.wsgi_app = Shortcut(app, app.wsgi_app)`."""

    def __init__(self, app: Flask, wsgi_app: WSGIApp) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.wsgi_app(environ, start_response)
        with self.app.app_context():  # left before the app runs: it pushes its own
            kept = overload.reason(running=overload.running()) is not None and self._keep(environ)
        if not kept:
            return self.wsgi_app(environ, start_response)
        headers = [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(EMPTY)))]
        start_response("200 OK", headers)
        return [EMPTY]

    def _keep(self, environ: dict[str, Any]) -> bool:
        """Keep the text if it is signed and may wait; the body stays readable for the app."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        if not 0 < length <= MAX_BODY:
            return False
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # the app reads it again if we pass it on
        pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        form = MultiDict(pairs)
        signature = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
        token = auth_token()
        if not signature or token is None:
            return False
        if not RequestValidator(token).validate(_url(self.app, environ), form, signature):
            return False  # perhaps a proxy the app's ProxyFix knows about: the app decides
        flat = {key: form.get(key, "") for key in overload.FIELDS}
        return not synchronous_only(flat) and overload.defer(flat)


def _url(app: Flask, environ: dict[str, Any]) -> str:
    """The URL Twilio signed: PUBLIC_URL + path + query, else the URL as this server saw it."""
    query = environ.get("QUERY_STRING", "")
    base = app.config.get("PUBLIC_URL")
    if not base:
        scheme = environ.get("wsgi.url_scheme", "http")
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        base = f"{scheme}://{host}{environ.get('SCRIPT_NAME', '')}"
    return str(base).rstrip("/") + PATH + (f"?{query}" if query else "")
