"""A local fake of the Twilio REST API, for tests and benchmarks (no network beyond loopback).

It implements what organize uses — create/list/update (redact) Messages, create Calls, delete
Recordings — with
the real twilio client pointed at it (`TWILIO_API_URL`). It records every request and can answer
429 / 5xx / 21610 / 21211 / slow responses on demand. Run in a thread (`FakeTwilio().start()`)
or as a process (`python -m tests.faketwilio --port 8099`, control endpoints under /_fake/; it
answers from one event loop, `--threads` for a thread per connection).

Keep-alive responses go out in one write with Nagle off (STYLE.md §12): otherwise every
response stalls ~40 ms on delayed ACK.
"""

import argparse
import asyncio
import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACCOUNT = "AC" + "0" * 32
TOKEN = "fake-auth-token"
_ROUTE = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>AC\w+)/(?P<kind>Messages|Calls|Recordings)"
    r"(?:/(?P<sid>\w+))?\.json$"
)


@dataclass
class Behaviour:
    """What the fake should do besides succeeding."""

    fail_next: list[tuple[int, int]] = field(default_factory=list)  # (http status, code)
    failure_rate: float = 0.0  # share of sends answered 429/503 at random
    timeout_rate: float = 0.0  # share of sends that stall past the client's timeout
    stall_seconds: float = 12.0
    stall_after_create: bool = False  # a stalled send was still created (the unsure case)
    opted_out: set[str] = field(default_factory=set)  # numbers answered 21610
    invalid: set[str] = field(default_factory=set)  # numbers answered 21211
    recording_failures: int = 0  # DELETE recording answers 500 this many times
    latency: float = 0.0  # seconds added to every answer
    seed: int = 7


class FakeTwilio:
    """State shared by the handler threads."""

    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        self.lock = threading.Lock()
        self.messages: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []
        self.deleted_recordings: list[str] = []
        self.redacted: list[str] = []  # sids whose Body was blanked (update with Body="")
        self.updates: list[tuple[str, dict[str, str]]] = []  # every message update, as sent
        self.requests = 0
        self.refused: list[tuple[str, int, int]] = []  # (to, status, code)
        self.random = random.Random(self.behaviour.seed)
        self.server: ThreadingHTTPServer | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, port: int = 0) -> "FakeTwilio":
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def config(self) -> dict[str, Any]:
        """Settings that point organize's twilio client here."""
        return {
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_API_URL": self.url,
            "TWILIO_FROM": "+15005550006",
        }

    # -- what happened -----------------------------------------------------------------------
    def sent_to(self, number: str) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if m["to"] == number]

    def counts_by_recipient(self) -> dict[str, int]:
        with self.lock:
            counts: dict[str, int] = {}
            for message in self.messages:
                counts[message["to"]] = counts.get(message["to"], 0) + 1
            return counts

    # -- behaviour ---------------------------------------------------------------------------
    def _refusal(self, to: str) -> tuple[int, int] | None:
        b = self.behaviour
        with self.lock:
            if b.fail_next:
                return b.fail_next.pop(0)
            if to in b.opted_out:
                return 400, 21610
            if to in b.invalid:
                return 400, 21211
            if b.failure_rate and self.random.random() < b.failure_rate:
                return self.random.choice([(429, 20429), (503, 20500)])
        return None

    def _stalls(self) -> bool:
        b = self.behaviour
        with self.lock:
            return bool(b.timeout_rate) and self.random.random() < b.timeout_rate

    def create_message(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        to = form.get("To", "")
        if self._stalls():
            if self.behaviour.stall_after_create:
                self._record_message(form)
            time.sleep(self.behaviour.stall_seconds)
            return 503, _error(20500, "stalled")
        refusal = self._refusal(to)
        if refusal is not None:
            with self.lock:
                self.refused.append((to, *refusal))
            return refusal[0], _error(refusal[1], "refused")
        return 201, _message_json(self._record_message(form))

    def _record_message(self, form: dict[str, str]) -> dict[str, Any]:
        now = datetime.now(UTC)
        record = {
            "sid": "SM" + uuid.uuid4().hex,
            "to": form.get("To", ""),
            "from": form.get("From", ""),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body", ""),
            "status": "queued",
            "status_callback": form.get("StatusCallback"),
            "date_sent": now,
        }
        with self.lock:
            self.messages.append(record)
        return record

    def list_messages(self, query: dict[str, list[str]]) -> dict[str, Any]:
        to = (query.get("To") or [""])[0]
        after_raw = (query.get("DateSent>") or [None])[0]
        after = _parse_date(after_raw) if after_raw else None
        with self.lock:
            found = [
                m
                for m in self.messages
                if (not to or m["to"] == to) and (after is None or m["date_sent"] >= after)
            ]
        page = {"next_page_uri": None, "page": 0, "page_size": 50, "uri": "/Messages.json"}
        return {"messages": [_message_json(m) for m in found], **page}

    def update_message(self, sid: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Message update: Body="" is Twilio's redaction. Inbound messages were never created
        here, so any SM/MM sid is accepted."""
        refusal = self._refusal("")
        if refusal is not None:
            return refusal[0], _error(refusal[1], "refused")
        with self.lock:
            self.updates.append((sid, dict(form)))
            found = next((m for m in self.messages if m["sid"] == sid), None)
            if "Body" in form and form["Body"] != "":
                return 400, _error(30400, "a redaction needs an empty Body")
            if "Body" in form:
                self.redacted.append(sid)
                if found is not None:
                    found["body"] = ""
        record = found or {"sid": sid, "to": "", "from": "", "body": "", "status": "received",
                           "messaging_service_sid": None, "status_callback": None,
                           "date_sent": datetime.now(UTC)}  # fmt: skip
        return 200, _message_json(record)

    def create_call(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        refusal = self._refusal(form.get("To", ""))
        if refusal is not None:
            return refusal[0], _error(refusal[1], "refused")
        record = {
            "sid": "CA" + uuid.uuid4().hex,
            "to": form.get("To", ""),
            "url": form.get("Url", ""),
            "status": "queued",
            "status_callback": form.get("StatusCallback"),
        }
        with self.lock:
            self.calls.append(record)
        return 201, record

    def delete_recording(self, sid: str) -> int:
        with self.lock:
            if self.behaviour.recording_failures > 0:
                self.behaviour.recording_failures -= 1
                return 500
            self.deleted_recordings.append(sid)
        return 204


def _error(code: int, message: str) -> dict[str, Any]:
    more = f"https://www.twilio.com/docs/errors/{code}"
    return {"code": code, "message": message, "more_info": more, "status": 400}


def _message_json(record: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: v for k, v in record.items() if k != "date_sent"},
        "date_sent": format_datetime(record["date_sent"], usegmt=True),
        "account_sid": ACCOUNT,
        "num_segments": "1",
    }


def _parse_date(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return parsedate_to_datetime(raw).astimezone(UTC)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTwilio
    protocol_version = "HTTP/1.1"
    wbufsize = -1  # buffer the whole response: one write
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the recipients' numbers would be in these lines

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _answer(self, status: int, payload: Any = None) -> None:
        body = b"" if payload is None else json.dumps(payload).encode()
        if self.fake.behaviour.latency:
            time.sleep(self.fake.behaviour.latency)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        form = self._form()
        with self.fake.lock:
            self.fake.requests += 1
        if parts.path == "/_fake/behaviour":
            for key, value in form.items():
                setattr(self.fake.behaviour, key, type(getattr(self.fake.behaviour, key))(value))
            return self._answer(204)
        route = _ROUTE.match(parts.path)
        if route is None:
            return self._answer(404, _error(20404, "not found"))
        if route["kind"] == "Messages" and route["sid"]:
            return self._answer(*self.fake.update_message(route["sid"], form))
        if route["kind"] == "Messages":
            return self._answer(*self.fake.create_message(form))
        if route["kind"] == "Calls":
            return self._answer(*self.fake.create_call(form))
        return self._answer(405, _error(20004, "method not allowed"))

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/_fake/messages":
            return self._answer(200, {"counts": self.fake.counts_by_recipient()})
        route = _ROUTE.match(parts.path)
        if route is not None and route["kind"] == "Messages" and not route["sid"]:
            return self._answer(200, self.fake.list_messages(parse_qs(parts.query)))
        return self._answer(404, _error(20404, "not found"))

    def do_DELETE(self) -> None:
        route = _ROUTE.match(urlsplit(self.path).path)
        if route is None or route["kind"] != "Recordings" or not route["sid"]:
            return self._answer(404, _error(20404, "not found"))
        status = self.fake.delete_recording(route["sid"])
        return self._answer(status, None if status == 204 else _error(20500, "try again"))


# -- The same fake on one event loop (the process the benchmarks run) -----------------------------
# A thread per connection cost the fake ~0.25 ms of CPU per request, under the GIL: with two
# benchmark workers it would have been the bottleneck. aiohttp's low-level server answers from one
# loop, without an application, router or middlewares (~0.2 ms a request with them: the fake was
# what limited the broadcast benchmark's ceiling).


def serve_async(
    fake: FakeTwilio, port: int, ready: Callable[[str], None], *, control_port: int | None = None
) -> None:
    """Serve `fake` with aiohttp's low-level server on 127.0.0.1:`port` until the process ends.
    Behaviours that sleep (stalls) run in a thread so the loop keeps answering everyone else.

    With `control_port`, `port` is shared (SO_REUSEPORT) with other fake processes, the kernel
    spreading connections among them, and this process also answers on `control_port` alone:
    there its own record and behaviour can be read and set (`FakeProcess` adds them up)."""
    from aiohttp import web

    empty = {"status": 204}

    async def answer(status: int, payload: Any = None) -> web.Response:
        if fake.behaviour.latency:
            await asyncio.sleep(fake.behaviour.latency)
        if payload is None:
            return web.Response(status=status)
        return web.Response(
            status=status, body=json.dumps(payload).encode(), content_type="application/json"
        )

    async def post(path: str, form: dict[str, str]) -> web.Response:
        if path == "/_fake/behaviour":
            for key, value in form.items():
                setattr(fake.behaviour, key, type(getattr(fake.behaviour, key))(value))
            return await answer(**empty)
        route = _ROUTE.match(path)
        if route is None:
            return await answer(404, _error(20404, "not found"))
        if route["kind"] == "Messages" and route["sid"]:
            return await answer(*fake.update_message(route["sid"], form))
        if route["kind"] == "Messages":
            if fake.behaviour.timeout_rate:  # it may stall: not on the loop
                return await answer(*await asyncio.to_thread(fake.create_message, form))
            return await answer(*fake.create_message(form))
        if route["kind"] == "Calls":
            return await answer(*fake.create_call(form))
        return await answer(405, _error(20004, "method not allowed"))

    async def handle(request: web.BaseRequest) -> web.Response:
        with fake.lock:
            fake.requests += 1
        path = request.path
        if request.method == "POST":
            raw = await request.read()
            form = {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
            return await post(path, form)
        if request.method == "GET":
            if path == "/_fake/messages":
                return await answer(200, {"counts": fake.counts_by_recipient()})
            route = _ROUTE.match(path)
            if route is not None and route["kind"] == "Messages" and not route["sid"]:
                return await answer(200, fake.list_messages(parse_qs(request.query_string)))
            return await answer(404, _error(20404, "not found"))
        if request.method == "DELETE":
            route = _ROUTE.match(path)
            if route is None or route["kind"] != "Recordings" or not route["sid"]:
                return await answer(404, _error(20404, "not found"))
            status = fake.delete_recording(route["sid"])
            return await answer(status, None if status == 204 else _error(20500, "try again"))
        return await answer(405, _error(20004, "method not allowed"))

    async def run() -> None:
        server = web.Server(handle, access_log=None)  # quiet: recipients would be in it
        loop = asyncio.get_running_loop()
        shared = control_port is not None
        await loop.create_server(server, "127.0.0.1", port, reuse_port=shared)
        if control_port is not None:
            await loop.create_server(server, "127.0.0.1", control_port)
        ready(f"http://127.0.0.1:{port}")
        await asyncio.Event().wait()

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--threads", action="store_true", help="a thread per connection")
    parser.add_argument(
        "--control-port", type=int, help="share --port with other fakes; answer alone here"
    )
    args = parser.parse_args()
    if not args.threads:
        serve_async(
            FakeTwilio(),
            args.port,
            lambda url: print(url, flush=True),
            control_port=args.control_port,
        )
        return
    fake = FakeTwilio().start(args.port)
    print(fake.url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
