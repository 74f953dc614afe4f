"""The burst phase of bench/webhook.py: replies to an RSVP alert, rights questions and STOPs,
offered open loop at twice the measured capacity, each request on its own connection (as
Twilio's are) and timed from its scheduled start; then the RQ workers drain what was kept for
later, and the database is asked what was recorded.

Senders are fictional (555-01xx in 30 Texas and Louisiana area codes) and subscribed afresh
for each run: every one has a delivery of a new RSVP alert, sent a minute before the burst.
Two in three text "1" (their RSVP) and then RIGHTS; one in three texts RIGHTS, then STOP, then
RIGHTS.

Twilio's requests come from many addresses; a client on one address runs out of local ports at
this rate (each closed connection holds its port in TIME_WAIT for a minute: ~28,000 ports, and
the burst opens 1,000–4,000 connections a second). So each connection is bound to one of
`SOURCE_ADDRESSES` loopback addresses in turn (Linux routes all of 127/8 to `lo`), and the
client measures the server rather than its own port exhaustion. A request that could not even
connect counts as not answered, and a STOP or "1" that was not sent counts as lost all the
same (it is counted as sent when it is due).
"""

from __future__ import annotations

import errno
import resource
import select
import socket
import time
import urllib.parse
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

from twilio.request_validator import RequestValidator

from organize.plumbing.webhooks import DEV_AUTH_TOKEN

# Not 713 and 832: bench/webhook.py's other phases text from those, and a number that talked to
# the menu after the alert went out is answering the menu with "1", not the alert.
AREA_CODES = (
    "281 346 409 936 979 512 737 210 726 214 469 972 945 817 682 "
    "915 956 361 806 432 325 254 830 903 430 940 318 337 504 225"
).split()
SENDERS = tuple(f"+1{area}55501{n:02d}" for area in AREA_CODES for n in range(100))
TO_NUMBER = "+15005550006"
ANSWER_WITHIN = 15.0  # Twilio's wait for a webhook
CLIENT_TIMEOUT = 20.0
# 64 × ~28,000 ephemeral ports: enough for 60 s at any rate this machine can offer.
SOURCE_ADDRESSES = tuple(f"127.0.{n // 250}.{n % 250 + 2}" for n in range(64))
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)  # Linux 4.2+
APOLOGY = b"Sorry, we cannot answer right now"


def body_for(sender: int, turn: int) -> str:
    """What sender `sender` texts the `turn`-th time."""
    if sender % 3:  # RSVP senders: "1" first, then questions
        return "1" if turn == 0 else "RIGHTS"
    return "STOP" if turn == 1 else "RIGHTS"


@dataclass
class Plan:
    """Every request of the burst, signed, in the order they are offered."""

    payloads: list[bytes]
    bodies: list[str]
    senders: list[str]


def plan(port: int, count: int, account_sid: str, token: str = DEV_AUTH_TOKEN) -> Plan:
    """`count` signed requests (new MessageSids), with `Connection: close` like Twilio's."""
    url = f"http://127.0.0.1:{port}/sms/inbound"
    validator = RequestValidator(token)
    payloads, bodies, senders = [], [], []
    for i in range(count):
        turn, sender = divmod(i, len(SENDERS))
        sid = "SM" + uuid.uuid4().hex
        params = {
            "From": SENDERS[sender],
            "To": TO_NUMBER,
            "Body": body_for(sender, turn),
            "MessageSid": sid,
            "SmsSid": sid,
            "AccountSid": account_sid,
            "NumMedia": "0",
        }
        body = urllib.parse.urlencode(params).encode()
        head = (
            f"POST /sms/inbound HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
            f"X-Twilio-Signature: {validator.compute_signature(url, params)}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        payloads.append(head.encode() + body)
        bodies.append(params["Body"])
        senders.append(params["From"])
    return Plan(payloads, bodies, senders)


@dataclass
class Outcome:
    """What the burst got back."""

    offered: int = 0
    answered: int = 0  # valid TwiML (not the apology) within ANSWER_WITHIN of the due time
    kinds: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    sent: Counter[str] = field(default_factory=Counter)  # bodies sent, by body


def _kind(raw: bytes) -> str:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/") else "garbled"
    if status != "200":
        return status
    if APOLOGY in body:
        return "apology"
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 - our own server's answer
    except ElementTree.ParseError:
        return "not-twiml"
    if root.tag != "Response":
        return "not-twiml"
    return "message" if root.find("./Message") is not None else "empty"


@dataclass
class _Request:
    """One request in flight: its index, due time, socket and what has come back."""

    index: int
    due: float
    sock: socket.socket
    unsent: bytes
    chunks: list[bytes] = field(default_factory=list)


class _Client:
    """Open loop on one epoll: each request on its own non-blocking connection, started when it
    is due (never before, whatever the server does), from one of `SOURCE_ADDRESSES` in turn.
    Plain sockets rather than asyncio: the client shares the 2 cores with the servers, and
    asyncio's streams or protocols cost it ~0.3 ms of CPU a request (measured here) — a core at
    the rates a burst needs."""

    def __init__(self, port: int, burst: Plan, rate: float) -> None:
        self.port, self.burst, self.rate = port, burst, rate
        self.poll = select.epoll()
        self.live: dict[int, _Request] = {}
        self.deadlines: deque[tuple[float, int, int]] = deque()  # (deadline, fd, index)
        self.outcome = Outcome(offered=len(burst.payloads))

    def run(self) -> Outcome:
        """Offer every request, then wait for the last answer or timeout."""
        count, t0, started = len(self.burst.payloads), time.monotonic() + 0.2, 0
        try:
            while started < count or self.live:
                now = time.monotonic()
                while started < count and t0 + started / self.rate <= now:
                    self._start(started, t0 + started / self.rate)
                    started += 1
                while self.deadlines and self.deadlines[0][0] <= now:
                    _deadline, fd, index = self.deadlines.popleft()
                    request = self.live.get(fd)
                    if request is not None and request.index == index:
                        self._finish(fd, "timeout")
                wake = t0 + started / self.rate if started < count else now + 0.05
                if self.deadlines:
                    wake = min(wake, self.deadlines[0][0])
                for fd, events in self.poll.poll(max(0.0, wake - time.monotonic())):
                    self._ready(fd, events)
        finally:
            for fd in list(self.live):
                self._finish(fd, "timeout")
            self.poll.close()
        return self.outcome

    def _start(self, index: int, due: float) -> None:
        self.outcome.sent[self.burst.bodies[index]] += 1  # one never sent is lost all the same
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        except OSError:  # out of descriptors: this many requests already wait on the server
            self._count("socket-error", time.monotonic() - due)
            return
        sock.setblocking(False)
        try:
            # The port is chosen at connect (per destination), not at bind: more of them.
            sock.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
            sock.bind((SOURCE_ADDRESSES[index % len(SOURCE_ADDRESSES)], 0))
            error = sock.connect_ex(("127.0.0.1", self.port))
        except OSError:
            error = -1
        if error not in (0, errno.EINPROGRESS):
            sock.close()
            self._count("socket-error", time.monotonic() - due)
            return
        fd = sock.fileno()
        self.live[fd] = _Request(index, due, sock, self.burst.payloads[index])
        self.deadlines.append((due + CLIENT_TIMEOUT, fd, index))
        self.poll.register(fd, select.EPOLLOUT)

    def _ready(self, fd: int, events: int) -> None:
        request = self.live[fd]
        try:
            if request.unsent:
                if sock_error := request.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    raise OSError(sock_error, "connect")
                request.unsent = request.unsent[request.sock.send(request.unsent) :]
                if not request.unsent:
                    self.poll.modify(fd, select.EPOLLIN)
                return
            chunk = request.sock.recv(65536)
        except OSError:
            self._finish(fd, "socket-error")
            return
        if chunk:
            request.chunks.append(chunk)
        else:  # the server closed: the answer is whole
            self._finish(fd, _kind(b"".join(request.chunks)))

    def _finish(self, fd: int, kind: str) -> None:
        request = self.live.pop(fd)
        self.poll.unregister(fd)
        request.sock.close()
        self._count(kind, time.monotonic() - request.due)

    def _count(self, kind: str, took: float) -> None:
        self.outcome.kinds[kind] += 1
        self.outcome.latencies.append(took)
        if kind in ("message", "empty") and took <= ANSWER_WITHIN:
            self.outcome.answered += 1


def offer(port: int, burst: Plan, rate: float) -> Outcome:
    """Offer the burst at `rate` req/s, open loop, a connection per request (`_Client`)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        return _Client(port, burst, rate).run()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def app_for(env: dict[str, str]) -> Any:
    """The organize app on the benchmark's database and keys, in this process."""
    from organize import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SECRET_KEY": env["SECRET_KEY"],
            "PHONE_HASH_KEY": env["PHONE_HASH_KEY"],
            "ENCRYPTION_KEY": env["ENCRYPTION_KEY"],
            "REDIS_URL": env.get("REDIS_URL"),
        }
    )


def subscribe_senders(env: dict[str, str]) -> int:
    """Every sender an active subscriber with a delivery of a new RSVP alert; its id."""
    import sqlalchemy as sa

    from organize import privacy
    from organize.extensions import db
    from organize.models import Alert, AlertTranslation, Delivery, Subscriber

    app = app_for(env)
    with app.app_context():
        now = datetime.now(UTC)
        alert = Alert(status="sent", rsvp=True, sent_at=now - timedelta(minutes=1))
        alert.translations.append(
            AlertTranslation(locale="en", title="Rally", body="Rally at noon. Reply 1 to join.")
        )
        db.session.add(alert)
        db.session.flush()
        hashes = {privacy.phone(number).hash: number for number in SENDERS}
        existing = {
            s.phone_hash: s
            for s in db.session.scalars(
                sa.select(Subscriber).where(Subscriber.phone_hash.in_(list(hashes)))
            )
        }
        for phone_hash, number in hashes.items():
            subscriber = existing.get(phone_hash)
            if subscriber is None:
                subscriber = Subscriber(
                    phone_hash=phone_hash,
                    phone_cipher=privacy.encrypt(number),
                    locale="en",
                    consent_source="bench",
                )
                db.session.add(subscriber)
            subscriber.status, subscriber.opted_out_at = "active", None
            db.session.flush()
            db.session.add(
                Delivery(
                    alert_id=alert.id,
                    subscriber_id=subscriber.id,
                    status="sent",
                    sent_at=now - timedelta(minutes=1),
                )
            )
        db.session.commit()
        return int(alert.id)


def recorded(env: dict[str, str], alert_id: int, since: datetime) -> tuple[int, int]:
    """(RSVPs recorded for the alert, senders opted out since `since`)."""
    import sqlalchemy as sa

    from organize import privacy
    from organize.extensions import db
    from organize.models import Delivery, Subscriber

    app = app_for(env)
    with app.app_context():
        rsvps = db.session.scalar(
            sa.select(sa.func.count()).where(
                Delivery.alert_id == alert_id, Delivery.rsvp_at.is_not(None)
            )
        )
        stop_senders = [privacy.phone(n).hash for i, n in enumerate(SENDERS) if i % 3 == 0]
        stops = db.session.scalar(
            sa.select(sa.func.count()).where(
                Subscriber.phone_hash.in_(stop_senders),
                Subscriber.status == "opted_out",
                Subscriber.opted_out_at >= since,
            )
        )
        return int(rsvps or 0), int(stops or 0)


def forget_kept(redis_url: str) -> None:
    """Drop every text kept for later, and its bookkeeping (`sms.overload`): the deferral
    round's texts are not the burst's, and nobody is waiting for their answers."""
    import redis

    from organize.plumbing.expiring import PREFIX
    from sms import overload

    connection = redis.Redis.from_url(redis_url)
    connection.delete(overload.QUEUE_KEY, overload.DRAIN_FLAG, overload.PRESSURE_KEY)
    for key in connection.scan_iter(match=PREFIX + "sms:deferred:*", count=1000):
        connection.delete(key)


def wait_for_drain(redis_url: str, limit: float = 900.0) -> float:
    """Seconds until nothing is kept for later and the RQ queue is empty (or `limit`)."""
    import redis

    connection = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    while time.monotonic() - started < limit:
        kept = connection.llen("organize:sms:deferred")
        queued = connection.llen("rq:queue:default")
        if not kept and not queued and not connection.exists("organize:sms:drain-queued"):
            return time.monotonic() - started
        time.sleep(0.5)
    return time.monotonic() - started
