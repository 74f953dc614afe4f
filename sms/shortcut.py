"""The way in for a text: `POST /sms/inbound` in front of Flask's dispatch.

A text must cost the workers as little as possible (issue 12), so this WSGI middleware reads and
checks it once and skips what the text line does not need from Flask's full dispatch — the
rate limiter, CSRF, the session, Babel's per-request refresh, URL matching —:

- under load (`overload.reason`: the accept queue, the database), a signed text that may wait
  is kept (`overload.defer`: one Redis round trip) and answered with an empty `<Response/>`,
  in an app context only — no request at all;
- otherwise it is answered in a plain request context by the view's own code (`sms.reply`), its
  security headers (taken once from the app's hook) and metrics added as the app's hooks would.

The form is parsed once and the signature checked once (one HMAC: `webhooks.signed`). Anything
else — other paths, an unsigned or mis-signed text (perhaps a proxy the app's ProxyFix knows
about: the app's own check decides), an oversized body, a test client keeping its context —
goes on to the app unchanged. Deferred texts are counted in Redis (`overload.PRESSURE_KEY` is
their sign), not in the request metrics.
"""

import io
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response
from flask.ctx import RequestContext
from flask.sessions import SecureCookieSession
from twilio.twiml.messaging_response import MessagingResponse
from werkzeug.datastructures import ImmutableMultiDict

from organize.ops.metrics import TEXTS, WEBHOOK_SECONDS
from organize.plumbing.security import add_security_headers
from organize.plumbing.webhooks import auth_token, signed
from sms import overload, reply
from sms.answer import synchronous_only
from sms.keywords import KEYWORDS, match

PATH = "/sms/inbound"
EMPTY = str(MessagingResponse()).encode()  # built once: the same bytes every time
MAX_BODY = 64 * 1024  # Twilio's texts are a few kB; anything larger goes the usual way
PRESERVE = "werkzeug.debug.preserve_context"  # `with client:` in a test: Flask's own path

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Form = ImmutableMultiDict[str, str]


class Shortcut:
    """WSGI middleware: `app.wsgi_app = Shortcut(app, app.wsgi_app)`."""

    def __init__(self, app: Flask, wsgi_app: WSGIApp) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.headers: list[tuple[str, str]] | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") != "POST"
            or PRESERVE in environ
        ):
            return self.wsgi_app(environ, start_response)
        form = _form(environ)
        if form is None or not self._signed(environ, form):
            return self.wsgi_app(environ, start_response)
        if overload.reason(running=overload.running(), app=self.app) is not None:
            with self.app.app_context():  # left before the app runs: it pushes its own
                kept = self._keep(form)
            if kept:
                headers = [
                    ("Content-Type", "text/xml; charset=utf-8"),
                    ("Content-Length", str(len(EMPTY))),
                ]
                start_response("200 OK", headers)
                return [EMPTY]
        return self._answer(environ, form, start_response)

    def _signed(self, environ: dict[str, Any], form: Form) -> bool:
        """Signed for the URL Twilio called (one HMAC when it is)."""
        signature = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
        token = auth_token(self.app)
        if not signature or token is None:
            return False
        return signed(token, _url(self.app, environ), form, signature)

    def _keep(self, form: Form) -> bool:
        """Keep the text for later, if it may wait (in an app context)."""
        flat = {key: form.get(key, "") for key in overload.FIELDS}
        return not synchronous_only(flat) and overload.defer(flat)

    def _answer(
        self, environ: dict[str, Any], form: Form, start_response: StartResponse
    ) -> Iterable[bytes]:
        """The view's answer in a request context of its own, without the app's hooks."""
        started = time.perf_counter()
        # No session: a text carries no cookie, and this answer sets none (an empty one, so
        # that nothing reads a cookie or builds a signer for it).
        context = RequestContext(self.app, environ, session=SecureCookieSession())
        context.request.__dict__["form"] = form  # parsed already (werkzeug's cached property)
        context.push()
        error: BaseException | None = None
        body: bytes | None = None
        try:
            try:
                body = reply().encode()
                headers = [*self._headers(), ("Content-Length", str(len(body)))]
                _observe(form, started)
            except Exception as exc:
                error, body = exc, None
                response = self.app.handle_exception(exc)  # logged; re-raised in tests
        finally:
            context.pop(error)
        if body is None:
            return response(environ, start_response)
        start_response("200 OK", headers)
        return [body]

    def _headers(self) -> list[tuple[str, str]]:
        """An answer's headers but its length: the type, and the security headers the app's
        hook adds (`add_security_headers`), taken from it once (in a request context)."""
        if self.headers is None:
            sample = add_security_headers(Response("", mimetype="text/xml"))
            self.headers = [(k, v) for k, v in sample.headers.items() if k != "Content-Length"]
        return self.headers


def _form(environ: dict[str, Any]) -> Form | None:
    """The form, parsed once; the body stays readable for the app. None: let the app read it."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if not 0 < length <= MAX_BODY or kind != "application/x-www-form-urlencoded":
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # the app reads it again if we pass it on
    text = body.decode("utf-8", "replace")
    return ImmutableMultiDict(urllib.parse.parse_qsl(text, keep_blank_values=True))


def _observe(form: Form, started: float) -> None:
    """What `organize.ops.metrics` records for a text the app answers (200) itself."""
    WEBHOOK_SECONDS.labels(channel="sms").observe(time.perf_counter() - started)
    intent = match(form.get("Body", "")).intent
    TEXTS.labels(intent=intent if intent in KEYWORDS else "conversation").inc()


def _url(app: Flask, environ: dict[str, Any]) -> str:
    """The URL Twilio signed: PUBLIC_URL + path + query, else the URL as this server saw it."""
    query = environ.get("QUERY_STRING", "")
    base = app.config.get("PUBLIC_URL")
    if not base:
        scheme = environ.get("wsgi.url_scheme", "http")
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        base = f"{scheme}://{host}{environ.get('SCRIPT_NAME', '')}"
    return str(base).rstrip("/") + PATH + (f"?{query}" if query else "")
