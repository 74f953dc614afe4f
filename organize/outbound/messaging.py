"""The outbound seam: send_sms / place_call / delete_recording / redact_message / sent_since,
via twilio REST.

With Twilio credentials the official `twilio.rest.Client` is used, over one pooled HTTP session
per process, pointed at `TWILIO_API_URL` when set (the local fake Twilio in tests and
benchmarks). Without credentials (development) an outbox backend keeps what would have been
sent, keyed by the recipient's blind index, so the simulator can show it.

Errors are sorted for the callers (alerts, voice): `TransientSendError` is safe to retry (HTTP
429, 5xx, timeouts, connection errors); `PermanentSendError` carries Twilio's error code
(21610 opted out at the carrier, 21211 invalid number, 21614 not mobile …) and must not be.
"""

import asyncio
import contextvars
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import aiohttp
import requests
from flask import current_app
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from organize import privacy
from organize.extensions import db
from organize.models import OutboxMessage

T = TypeVar("T")

log = logging.getLogger(__name__)
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)  # it logs recipients at INFO

OPTED_OUT = 21610
# Codes after which a number should not be tried again (TWILIO.md).
SUPPRESS = {21211, 21214, 21217, 21407, 21408, 21421, 21610, 21612, 21614, 30003, 30005, 30006}


class SendError(RuntimeError):
    """A message or call did not go out."""

    def __init__(self, message: str, *, code: int | None = None, status: int | None = None):
        super().__init__(message)
        self.code, self.status = code, status


class TransientSendError(SendError):
    """Retry later: throttled, provider trouble, network."""


class UnsureSendError(TransientSendError):
    """The request went out but no answer came back: it may have been sent. Not retried
    blindly; the reconciler asks the provider after the lease."""


class PermanentSendError(SendError):
    """Do not retry; `code` says why."""


@dataclass(frozen=True)
class Sent:
    """What the provider answered."""

    sid: str
    status: str
    body: str | None = None


class RedirectingHttpClient(TwilioHttpClient):
    """TwilioHttpClient that sends every *.twilio.com request to another base URL instead."""

    def __init__(self, base_url: str | None, timeout: float) -> None:
        super().__init__(pool_connections=True, timeout=timeout)
        self.base = urlsplit(base_url) if base_url else None
        # requests reads proxy and CA settings from the environment on every request (about
        # 0.6 ms of a broadcast's ~2 ms per message); read them once, for the one host we call.
        session = self.session
        if session is not None:  # always, with pool_connections=True
            host = base_url or "https://api.twilio.com"
            self.proxy = requests.utils.get_environ_proxies(host) or {}
            session.verify = (
                os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
            )
            session.trust_env = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        """Rewrite scheme and host when a base URL is configured; keep path and query."""
        if self.base is not None:
            parts = urlsplit(url)
            base_path = self.base.path.rstrip("/")
            url = urlunsplit(
                (self.base.scheme, self.base.netloc, base_path + parts.path, parts.query, "")
            )
        return super().request(method, url, *args, **kwargs)


_clients: dict[tuple[str, str, str | None], Client] = {}
_clients_lock = threading.Lock()


def client() -> Client | None:
    """The process's Twilio client for this configuration, or None without credentials."""
    config = current_app.config
    sid, token = config.get("TWILIO_ACCOUNT_SID"), config.get("TWILIO_AUTH_TOKEN")
    if not sid or not token:
        return None
    key = (str(sid), str(token), config.get("TWILIO_API_URL"))
    with _clients_lock:
        if key not in _clients:
            http = RedirectingHttpClient(key[2], timeout=float(config["TWILIO_TIMEOUT"]))
            _clients[key] = Client(key[0], key[1], http_client=http)
        return _clients[key]


def warm_up() -> None:
    """Build this configuration's client and import the REST resources it uses, now.

    twilio imports each API's modules on first use; in a forked work-horse that happened once
    per job, with eight threads queued on the import lock (a quarter of their time in a
    broadcast). The worker calls this before it forks. No request is made.
    """
    rest = client()
    if rest is not None:
        _ = rest.messages, rest.calls, rest.recordings


def _sender() -> dict[str, str]:
    sender = str(current_app.config.get("TWILIO_FROM") or "")
    if sender.startswith("MG"):
        return {"messaging_service_sid": sender}
    return {"from_": sender}


def _classify(exc: Exception) -> SendError:
    if isinstance(exc, TwilioRestException):
        status, code = exc.status, exc.code
        if status == 429 or status >= 500 or code == 20429:
            return TransientSendError("provider busy", code=code, status=status)
        return PermanentSendError("refused", code=code, status=status)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return UnsureSendError("no answer")
    return TransientSendError(type(exc).__name__)


def send_sms(*, to: str, body: str, status_callback: str | None = None) -> Sent:
    """Send one text. Raises TransientSendError or PermanentSendError."""
    rest = client()
    if rest is None:
        return _to_outbox(to=to, body=body, kind="sms")
    extra = {"status_callback": status_callback} if status_callback else {}
    try:
        message = rest.messages.create(to=to, body=body, **_sender(), **extra)
    except (TwilioRestException, requests.RequestException) as exc:
        raise _classify(exc) from exc
    return Sent(sid=str(message.sid), status=str(message.status))


def place_call(*, to: str, url: str, status_callback: str | None = None) -> Sent:
    """Start an outbound call that fetches its TwiML from `url`."""
    rest = client()
    if rest is None:
        return _to_outbox(to=to, body=url, kind="call")
    sender = str(current_app.config.get("TWILIO_FROM") or "")
    extra = {"status_callback": status_callback} if status_callback else {}
    try:
        call = rest.calls.create(to=to, from_=sender, url=url, **extra)
    except (TwilioRestException, requests.RequestException) as exc:
        raise _classify(exc) from exc
    return Sent(sid=str(call.sid), status=str(call.status))


def delete_recording(*, sid: str) -> bool:
    """Delete a recording at the provider (voice is never kept). True once it is gone."""
    rest = client()
    if rest is None:
        return True
    try:
        return bool(rest.recordings(sid).delete())
    except TwilioRestException as exc:
        if exc.status == 404:
            return True  # already gone
        raise _classify(exc) from exc
    except requests.RequestException as exc:
        raise _classify(exc) from exc


def redact_message(*, sid: str) -> bool:
    """Blank a message's body at the provider (Twilio's message redaction: an update with an
    empty Body; inbound and outbound alike, once final). True once blank or already gone."""
    rest = client()
    if rest is None:
        return True  # development: nothing was stored at a provider
    try:
        rest.messages(sid).update(body="")
    except TwilioRestException as exc:
        if exc.status == 404:
            return True  # deleted already: nothing left to blank
        raise _classify(exc) from exc
    except requests.RequestException as exc:
        raise _classify(exc) from exc
    return True


def sent_since(*, to: str, since: datetime) -> list[Sent]:
    """Messages the provider has to this number since a moment (reconciling unsure sends)."""
    rest = client()
    if rest is None:
        return []
    try:
        found = rest.messages.list(to=to, date_sent_after=since, limit=20)
    except (TwilioRestException, requests.RequestException) as exc:
        raise _classify(exc) from exc
    return [Sent(sid=str(m.sid), status=str(m.status), body=m.body) for m in found]


def _to_outbox(*, to: str, body: str, kind: str) -> Sent:
    """Development without Twilio: keep the message for the simulator, by blind index only."""
    row = OutboxMessage(phone_hash=privacy.phone(to).hash, body=body, kind=kind)
    db.session.add(row)
    db.session.flush()
    return Sent(sid=f"OB{row.id:032d}", status="sent")


# -- The async client: one HTTP session per batch job --------------------------------------------
# A batch job sends on one event loop through twilio's own async client (aiohttp): eight
# requests in flight cost a fraction of the CPU of eight `requests` threads (bench/broadcast.py).


class RedirectingAsyncHttpClient(AsyncTwilioHttpClient):
    """twilio's AsyncTwilioHttpClient on a session the job owns: at most `concurrency`
    connections, `timeout` to connect and between bytes of the answer (as `requests` reads its
    timeout), *.twilio.com rewritten to `base_url` when set. It does not log requests (their
    form holds the recipient)."""

    def __init__(self, base_url: str | None, timeout: float, concurrency: int) -> None:
        super().__init__(pool_connections=False, timeout=timeout)
        self.base = urlsplit(base_url) if base_url else None
        self.session = self.own = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=max(1, concurrency)),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout),
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),  # Twilio's API sets none; no jar per request
        )
        self._auth: tuple[tuple[str, str], str] | None = None

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        """The request on the job's session; scheme and host rewritten when configured."""
        if self.base is not None:
            parts = urlsplit(url)
            url = urlunsplit(
                (self.base.scheme, self.base.netloc, self.base.path.rstrip("/") + parts.path,
                 parts.query, "")
            )  # fmt: skip
        if auth is not None:
            if self._auth is None or self._auth[0] != auth:
                self._auth = (auth, aiohttp.encode_basic_auth(auth[0], auth[1]))
            headers = {**(headers or {}), "Authorization": self._auth[1]}
        # twilio sends its form as a dict, which aiohttp turns into a FormData (a multipart
        # writer and a uuid4 boundary per request, then urlencode): a tenth of a send core's
        # CPU. Encoded here the same way (twilio set the Content-Type already), it is one call.
        body = urlencode(data, doseq=True).encode() if isinstance(data, dict) else data
        async with self.own.request(
            method.upper(),
            url,
            params=params,  # type: ignore[arg-type]
            data=body,
            headers=headers,
            allow_redirects=allow_redirects,
        ) as answer:
            raw = await answer.read()
        # Twilio answers JSON, which is UTF-8 (RFC 8259): no charset sniffing per answer.
        return Response(answer.status, raw.decode("utf-8", "replace"), answer.headers)


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`asyncio.run(make())`; where this thread already runs an event loop (a caller that is
    itself async, or a test process whose browser driver holds one), on a thread of its own with
    this context (the app context travels with it) while this one waits."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    context = contextvars.copy_context()
    with ThreadPoolExecutor(1, "organize-send") as pool:
        return pool.submit(context.run, lambda: asyncio.run(make())).result()


@asynccontextmanager
async def async_client(*, concurrency: int) -> AsyncIterator[Client | None]:
    """A Twilio client on a fresh HTTP session for one job (None without credentials: the
    outbox backend is synchronous). The session is closed when the block ends."""
    config = current_app.config
    sid, token = config.get("TWILIO_ACCOUNT_SID"), config.get("TWILIO_AUTH_TOKEN")
    if not sid or not token:
        yield None
        return
    http = RedirectingAsyncHttpClient(
        config.get("TWILIO_API_URL"), float(config["TWILIO_TIMEOUT"]), concurrency
    )
    try:
        yield Client(str(sid), str(token), http_client=http)
    finally:
        await http.close()


def sender() -> dict[str, str]:
    """The From (or messaging service) of every text: read once per job by async senders."""
    return _sender()


_ASYNC_ERRORS = (TwilioRestException, aiohttp.ClientError, asyncio.TimeoutError)


def _classify_async(exc: BaseException) -> SendError:
    """As `_classify`: a timeout once connected is "unsure" (the request may have arrived);
    a connect timeout or any other connection error is safe to retry."""
    if isinstance(exc, TwilioRestException):
        return _classify(exc)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return TransientSendError("connect timeout")
    if isinstance(exc, asyncio.TimeoutError):
        return UnsureSendError("no answer")
    return TransientSendError(type(exc).__name__)


async def send_sms_async(
    rest: Client, *, to: str, body: str, sender: dict[str, str], status_callback: str | None
) -> Sent:
    """`send_sms` on an async client. Raises TransientSendError or PermanentSendError."""
    extra = {"status_callback": status_callback} if status_callback else {}
    try:
        message = await rest.messages.create_async(to=to, body=body, **sender, **extra)
    except _ASYNC_ERRORS as exc:
        raise _classify_async(exc) from exc
    return Sent(sid=str(message.sid), status=str(message.status))


async def place_call_async(rest: Client, *, to: str, url: str, status_callback: str | None) -> Sent:
    """`place_call` on an async client."""
    caller = str(current_app.config.get("TWILIO_FROM") or "")
    extra = {"status_callback": status_callback} if status_callback else {}
    try:
        call = await rest.calls.create_async(to=to, from_=caller, url=url, **extra)
    except _ASYNC_ERRORS as exc:
        raise _classify_async(exc) from exc
    return Sent(sid=str(call.sid), status=str(call.status))
