"""Benchmark the signed SMS webhook `POST /sms/inbound` under gunicorn against a bare Flask app.

Run from the repository root: ``.venv/bin/python bench/webhook.py [--seconds N] [--connections C]``.
PostgreSQL and Redis when `BENCH_DATABASE_URL` / `BENCH_REDIS_URL` are set (else SQLite, no
Redis). The app and `bench/baseline_app.py` run under the production `gunicorn.conf.py` (its
workers, threads and worker class; `--worker-class` / `--threads` override both alike) on free
loopback ports. Phase 1 drives each to capacity with `wrk` (closed loop; a
Python client when `wrk` is missing) and reports req/s of 200 answers, p50/p99 and app/baseline.
Phase 2 offers half the app's capacity from an open-loop Python client that times each request
from its scheduled start, so a stall is charged to every request it delays. Each phase runs in
ABBA order (app, baseline, baseline, app) so load that drifts during the run biases neither side.
Phase 3 (`bench/_burst.py`, the app only) offers twice the measured capacity for
`--burst-seconds` (60), open loop, a connection per request: "1" replies to a live RSVP alert,
RIGHTS, STOPs; then waits for the RQ worker to drain what was kept for later, and counts what
the database recorded. Targets are printed as PASS/FAIL lines, then one summary line:
`webhook: ratio R, p99_half P ms, burst answered A/N within 15 s, stops lost S, rsvps lost V`.
The exit status does not depend on them.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from cryptography.fernet import Fernet
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/webhook.py`

from bench import _burst, _cpu
from bench._services import FakeProcess, child_env, start_worker
from bench._services import stop as stop_process
from organize.plumbing.webhooks import DEV_AUTH_TOKEN
from tests.faketwilio import ACCOUNT, TOKEN
from tests.processes import descendants

ROOT = Path(__file__).resolve().parents[1]
PATH = "/sms/inbound"
FORM = "application/x-www-form-urlencoded"
WORKERS = int(os.environ.get("GUNICORN_WORKERS", "3"))  # gunicorn.conf.py's default
TARGETS = {"app": "wsgi:app", "baseline": "bench.baseline_app:create_app()"}
# A third server: the app with every text kept for later (the burst's path), measured once.
DEFERRAL = "deferral"
CPU_ORDER = ["web", "client", "PostgreSQL", "Redis"]
RATIO_TARGET = 0.4  # issue 12 (0.6 the stretch)
P99_TARGET_MS = 25.0
BODIES = ("RIGHTS", "1", "HELP")
# 200 fictional senders: the 555-01xx block of two Houston area codes.
SENDERS = tuple(f"+1{area}55501{n:02d}" for area in ("713", "832") for n in range(100))
TO_NUMBER = "+15005550006"
# The webhook answers 200 with this apology when its database or a flow fails (sms/__init__.py):
# counted as an error, like a 500 would be.
APOLOGY = b"Sorry, we cannot answer right now"
# Unique requests per second of closed-loop app traffic: above what 2 cores serve, so no
# MessageSid repeats (the app answers a replayed sid from its stored reply, a cheaper path).
POOL_PER_SECOND = 5000
BASELINE_POOL = 5000  # the baseline keeps no state: its pool may cycle
WRK_THREADS = 1  # one epoll loop keeps up with 2 sync workers and leaves a core to the servers
OPEN_LOOP_THREADS = 8  # enough for half capacity; more threads only fight over the GIL
# Settings that would change what is measured: production mode refuses the dev signature,
# PUBLIC_URL changes the signed URL, GUNICORN_CMD_ARGS could add an access log or workers.
SCRUBBED_ENV = ("TWILIO_AUTH_TOKEN", "ORGANIZE_ENV", "FLASK_ENV", "PUBLIC_URL", "GUNICORN_CMD_ARGS")

Request = tuple[bytes, str]  # (form body, X-Twilio-Signature)


@dataclass
class Result:
    """Statuses and latencies (a histogram in µs) of one phase, merged over its rounds."""

    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    latency_us: Counter[int] = field(default_factory=Counter)
    lag_us: Counter[int] = field(default_factory=Counter)  # open loop: sent how late
    replayed: bool = False

    def add(self, status: str, seconds: float) -> None:
        """Record one request."""
        self.statuses[status] += 1
        self.latency_us[round(seconds * 1e6)] += 1

    def merge(self, other: Result) -> None:
        """Fold another round (or thread) into this one."""
        self.seconds += other.seconds
        self.statuses.update(other.statuses)
        self.latency_us.update(other.latency_us)
        self.lag_us.update(other.lag_us)
        self.replayed |= other.replayed

    @property
    def errors(self) -> int:
        """Anything but a plain 200: other statuses, the apology, no answer at all."""
        return sum(self.statuses.values()) - self.statuses["200"]

    @property
    def ok_rate(self) -> float:
        """Req/s counting only 200 answers, so fast 403s or 500s cannot pass for throughput."""
        return self.statuses["200"] / self.seconds if self.seconds else 0.0

    def p(self, quantile: float) -> float:
        """Nearest-rank latency percentile in ms (all answers, errors included)."""
        return percentile_ms(self.latency_us, quantile)


def percentile_ms(histogram: Counter[int], quantile: float) -> float:
    """Nearest-rank percentile of a µs histogram, in ms."""
    rank = math.ceil(quantile * sum(histogram.values()))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value / 1000
    return math.nan


def signed_requests(port: int, count: int, account_sid: str) -> list[Request]:
    """Twilio-shaped inbound texts, each with a fresh MessageSid, signed for this port's URL."""
    url = f"http://127.0.0.1:{port}{PATH}"
    validator = RequestValidator(DEV_AUTH_TOKEN)
    requests = []
    for i in range(count):
        # Each sender walks RIGHTS -> 1 -> HELP, while neighbouring requests mix the three.
        rounds, sender = divmod(i, len(SENDERS))
        sid = "SM" + uuid.uuid4().hex
        params = {
            "ToCountry": "US",
            "From": SENDERS[sender],
            "To": TO_NUMBER,
            "Body": BODIES[(rounds + sender) % len(BODIES)],
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "SmsSid": sid,
            "AccountSid": account_sid,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        body = urllib.parse.urlencode(params).encode()
        requests.append((body, validator.compute_signature(url, params)))
    return requests


def http_request(port: int, request: Request) -> bytes:
    """The bytes of one signed POST, ready to send."""
    body, signature = request
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {FORM}\r\n"
        f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Connection:
    """HTTP/1.1 on a plain socket: half the CPU per request of http.client (measured here),
    on cores the servers need. Keeps the connection alive when the server does (sync workers
    close it after each answer, as they would for Twilio)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None

    def exchange(self, payload: bytes) -> str:
        """Send a prepared request; its status, `200-apology`, or `socket-error`."""
        reused = self.sock is not None
        try:
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sock.sendall(payload)
            status, body, keep_alive = self._read_response(self.sock)
        except (OSError, ValueError, IndexError) as exc:
            self.close()
            # A kept-alive socket the server has since closed: send again, once, on a new one.
            stale = reused and isinstance(exc, ConnectionError)
            return self.exchange(payload) if stale else "socket-error"
        if not keep_alive:
            self.close()
        return "200-apology" if status == "200" and APOLOGY in body else status

    @staticmethod
    def _read_response(sock: socket.socket) -> tuple[str, bytes, bool]:
        data = b""
        while b"\r\n\r\n" not in data:
            if not (chunk := sock.recv(65536)):
                raise ConnectionError("closed before the headers")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {
            k.strip().lower(): v.strip().lower()
            for k, _, v in (ln.partition(":") for ln in lines[1:])
        }
        length = int(headers.get("content-length", "-1"))
        while len(body) < length or (length < 0 and not body.endswith(b"0\r\n\r\n")):
            if not (chunk := sock.recv(65536)):
                if length < 0:
                    break  # no length, not chunked: the body ends with the connection
                raise ConnectionError("closed inside the body")
            body += chunk
        return lines[0].split()[1], body, headers.get("connection") != "close" and length >= 0

    def close(self) -> None:
        """Drop the socket; the next exchange connects afresh."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None


# --- load generators ---------------------------------------------------------------------------


def run_closed_loop(port: int, payloads: list[bytes], seconds: float, connections: int) -> Result:
    """Back-to-back requests on `connections` threads (warm-up, and the fallback without wrk)."""
    result, lock = Result(), threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(share: list[bytes]) -> None:
        conn, mine, n = Connection(port), Result(), 0
        while (start := time.perf_counter()) < deadline:
            mine.replayed |= n >= len(share)
            mine.add(conn.exchange(share[n % len(share)]), time.perf_counter() - start)
            n += 1
        conn.close()
        with lock:
            result.merge(mine)

    started = time.perf_counter()
    run_threads(worker, [(payloads[k::connections],) for k in range(connections)])
    result.seconds = time.perf_counter() - started
    return result


def run_open_loop(port: int, payloads: list[bytes], rate: float, seconds: float) -> Result:
    """Offer `rate` req/s on a fixed schedule; each latency runs from the scheduled start.

    Request i is due at t0 + i/rate whether or not earlier ones were answered: when every
    thread is busy (a slow server, or the client itself), the wait is charged to the request.
    """
    result, lock = Result(), threading.Lock()
    pending = iter(range(min(len(payloads), round(rate * seconds))))
    t0 = time.perf_counter() + 0.05

    def worker() -> None:
        conn, mine = Connection(port), Result()
        while True:
            with lock:
                i = next(pending, None)
            if i is None:
                break
            due = t0 + i / rate
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            mine.lag_us[round((time.perf_counter() - due) * 1e6)] += 1
            mine.add(conn.exchange(payloads[i]), time.perf_counter() - due)
        conn.close()
        with lock:
            result.merge(mine)

    run_threads(worker, [() for _ in range(OPEN_LOOP_THREADS)])
    result.seconds = time.perf_counter() - t0
    return result


def run_threads(target: Callable[..., None], arguments: list[tuple[object, ...]]) -> None:
    """One daemon thread per argument tuple (Ctrl-C is not held up by them); wait for all,
    then raise the first exception one of them met, rather than report a partial result."""
    failures: list[BaseException] = []

    def guarded(*args: object) -> None:
        try:
            target(*args)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=guarded, args=args, daemon=True) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


WRK_SCRIPT = string.Template(r"""
-- Generated by bench/webhook.py. DATA holds one "body<TAB>signature" per line.
local DATA, HOST, THREADS = $data, $host, $threads
local all_threads, next_id = {}, 0
local pool, size, i = {}, 0, 0
statuses, wraps = {}, 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(all_threads, thread)
end

function init(args)
  -- Format every request here, once, so request() costs the servers' cores nothing.
  -- Thread k takes lines k, k+THREADS, ...: no two threads send the same MessageSid.
  local headers = {["Host"] = HOST, ["Content-Type"] = "$form"}
  local line_no = 0
  for line in io.lines(DATA) do
    if line_no % THREADS == thread_id then
      local tab = line:find("\t", 1, true)
      headers["X-Twilio-Signature"] = line:sub(tab + 1)
      size = size + 1
      pool[size] = wrk.format("POST", "$path", headers, line:sub(1, tab - 1))
    end
    line_no = line_no + 1
  end
end

function request()
  i = i + 1
  if i > size then
    i, wraps = 1, wraps + 1
  end
  return pool[i]
end

function response(status, headers, body)
  local key = tostring(status)
  if status == 200 and body:find("$apology", 1, true) then
    key = "200-apology"
  end
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged, wrapped = {}, 0
  for _, thread in ipairs(all_threads) do
    for key, count in pairs(thread:get("statuses")) do
      merged[key] = (merged[key] or 0) + count
    end
    wrapped = wrapped + thread:get("wraps")
  end
  local e = summary.errors
  for _, kind in ipairs({"connect", "read", "write", "timeout"}) do
    if e[kind] > 0 then
      merged["socket-" .. kind] = e[kind]
    end
  end
  local parts, histogram = {}, {}
  for key, count in pairs(merged) do
    parts[#parts + 1] = key .. ":" .. count
  end
  for n = 1, #latency do
    local value, count = latency(n)
    histogram[n] = string.format("%d:%d", value, count)
  end
  io.write(string.format(
    "WRK_RESULT duration_us=%d requests=%d p50_us=%d p99_us=%d wraps=%d statuses=%s\n",
    summary.duration, summary.requests, latency:percentile(50), latency:percentile(99), wrapped,
    table.concat(parts, ",")))
  io.write("WRK_LATENCY_US " .. table.concat(histogram, ",") .. "\n")
end
""")


def run_wrk(
    wrk: str, port: int, pool: list[Request], seconds: int, connections: int, workdir: Path
) -> Result:
    """Closed loop with wrk; statuses and the latency histogram come from the done() hook."""
    data = workdir / f"requests-{port}.tsv"
    with data.open("w") as fh:
        fh.writelines(f"{body.decode()}\t{signature}\n" for body, signature in pool)
    script = workdir / f"webhook-{port}.lua"
    script.write_text(
        WRK_SCRIPT.substitute(
            data=lua_string(str(data)),
            host=lua_string(f"127.0.0.1:{port}"),
            threads=WRK_THREADS,
            form=FORM,
            path=PATH,
            apology=APOLOGY.decode(),
        )
    )
    command = [wrk, "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    lines = {ln.split(" ", 1)[0]: ln for ln in done.stdout.splitlines() if ln.startswith("WRK_")}
    if done.returncode != 0 or "WRK_RESULT" not in lines:
        sys.exit(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    print(f"    {lines['WRK_RESULT']}")
    fields = dict(item.split("=", 1) for item in lines["WRK_RESULT"].split()[1:])
    result = Result(seconds=int(fields["duration_us"]) / 1e6, replayed=fields["wraps"] != "0")
    for key, count in (part.split(":") for part in fields["statuses"].split(",")):
        if int(count):
            result.statuses[key] += int(count)
    for part in lines.get("WRK_LATENCY_US", "").partition(" ")[2].split(","):
        if part:
            value, count = part.split(":")
            result.latency_us[int(value)] += int(count)
    return result


def lua_string(text: str) -> str:
    """A Lua long-bracket literal holding `text` verbatim."""
    level = "=" * next(n for n in range(10) if f"]{'=' * n}]" not in text)
    return f"[{level}[{text}]{level}]"


# --- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_environment(database_url: str, gunicorn: dict[str, str]) -> dict[str, str]:
    """Development mode with the dev token, explicit secrets (nothing written to instance/);
    Redis when BENCH_REDIS_URL is set; the gunicorn overrides for both servers."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.pop("REDIS_URL", None)
    if redis_url := os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = redis_url
    env.update(gunicorn)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(32),
        PHONE_HASH_KEY=secrets.token_urlsafe(32),
        ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and seed (`--if-empty`, so a reused BENCH_DATABASE_URL is not seeded twice)."""
    for args in (["db", "upgrade"], ["seed-demo", "--if-empty"]):
        command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"`flask {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")


def start_server(target: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """gunicorn with the production settings, in its own process group (stopped as a whole at
    the end); only the address differs."""
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["-b", f"127.0.0.1:{port}"]
    with log.open("w") as out:
        return subprocess.Popen(
            [*command, target], cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )


def wait_until_listening(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Block until the port accepts connections; stop with the log if gunicorn exits first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"gunicorn did not listen on {port} within 60 s:\n{log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """TERM the process group (master and workers); KILL whatever of it is left after 10 s."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(server.pid, signal.SIGKILL)  # the group outlives its reaped master
    except ProcessLookupError:
        pass  # already empty: the usual case
    server.wait()


def log_anomalies(log: Path) -> list[str]:
    """Lines a server logged besides gunicorn's INFO: app warnings, tracebacks, worker timeouts."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line for line in lines if line.strip() and "[INFO]" not in line]


def _ours() -> _cpu.Classifier:
    """This driver and every process below it (the servers, wrk) as one group, for telling the
    benchmark's own CPU from other processes' (PostgreSQL and Redis are groups of their own)."""
    family = {os.getpid(), *descendants(os.getpid())}
    return lambda pid, comm, cmdline: "ours" if pid in family else None


# --- the run -----------------------------------------------------------------------------------


def _role(pid: int, comm: str, cmdline: str) -> str | None:
    """This benchmark's processes, for `_cpu`: the servers (gunicorn masters and workers) and
    the client (this driver, whose threads are the Python clients and which reaps wrk)."""
    if "gunicorn" in cmdline:
        return "web"
    return "client" if pid == os.getpid() or comm == "wrk" else None


def abba(seconds: float) -> list[tuple[str, float]]:
    """App, baseline, baseline, app: each side gets `seconds`, and a linear drift cancels out."""
    first = seconds // 2 if isinstance(seconds, int) else seconds / 2
    rounds = [("app", first), ("baseline", first)]
    rounds += [("baseline", seconds - first), ("app", seconds - first)]
    return [(name, length) for name, length in rounds if length > 0]


def describe(name: str, result: Result) -> None:
    """Figures, status counts, and warnings for one side of a phase."""
    print(
        f"  {name:<9}{result.ok_rate:8.1f} req/s   p50 {result.p(0.5):6.2f} ms"
        f"   p99 {result.p(0.99):6.2f} ms   ({sum(result.statuses.values())} requests"
        f" in {result.seconds:.1f} s)"
    )
    statuses = " ".join(f"{key}:{count}" for key, count in result.statuses.most_common())
    print(f"  {'':9}statuses {statuses or '-'}")
    if result.errors:
        share = result.errors / sum(result.statuses.values())
        print(f"  {'':9}ERRORS: {result.errors} not 200 ({share:.1%}), in the latencies too")
    if result.lag_us:
        lag50, lag99 = percentile_ms(result.lag_us, 0.5), percentile_ms(result.lag_us, 0.99)
        print(f"  {'':9}client send lag p50 {lag50:.2f} ms, p99 {lag99:.2f} ms (late sends count)")
    if result.replayed and name == "app":
        print(f"  {'':9}WARNING: the request pool ran out and MessageSids were replayed")


def warm_up(bench: Bench, name: str) -> str:
    """Load until a whole second is served at speed: gunicorn listens before its workers are
    ready, and each worker imports the app and opens its database on its first requests."""
    payloads, port = bench.payloads(name, 2000), bench.ports[name]
    total, deadline = Result(), time.perf_counter() + 30
    while time.perf_counter() < deadline:
        done = sum(total.statuses.values()) % len(payloads)
        second = run_closed_loop(port, payloads[done:] + payloads[:done], 1.0, 2 * WORKERS)
        total.merge(second)
        if total.seconds >= 2 and sum(second.statuses.values()) >= 10 * WORKERS:
            break
    statuses = " ".join(f"{key}:{count}" for key, count in total.statuses.most_common())
    return f"{statuses or 'no answer'} in {total.seconds:.1f} s"


def table_row(label: str, result: Result) -> str:
    """A markdown row: label, req/s of 200 answers, p50, p99."""
    return f"| {label} | {result.ok_rate:.0f} | {result.p(0.5):.1f} ms | {result.p(0.99):.1f} ms |"


@dataclass
class Bench:
    """One run: both servers up on their ports, and what the phases share."""

    seconds: int
    connections: int
    workdir: Path
    wrk: str | None
    ports: dict[str, int]
    gunicorn: dict[str, str] = field(default_factory=dict)
    burst_seconds: int = 60
    account_sid: str = field(default_factory=lambda: "AC" + secrets.token_hex(16))
    env: dict[str, str] = field(default_factory=dict)
    cpu: dict[str, _cpu.Split] = field(default_factory=dict)  # per server, closed loop

    @property
    def server(self) -> str:
        """The gunicorn settings both servers run with, as the report names them."""
        kind = self.gunicorn.get("GUNICORN_WORKER_CLASS", "sync (gunicorn.conf.py)")
        threads = self.gunicorn.get("GUNICORN_THREADS")
        return f"gunicorn -w {WORKERS} {kind}" + (f" x{threads} threads" if threads else "")

    @property
    def client(self) -> str:
        """The closed-loop client, as the report names it."""
        if self.wrk:
            return f"wrk -t{WRK_THREADS} -c{self.connections}"
        return f"Python, {self.connections} threads"

    def payloads(self, name: str, count: int) -> list[bytes]:
        """`count` fresh signed requests for one server, ready to send."""
        port = self.ports[name]
        return [http_request(port, r) for r in signed_requests(port, count, self.account_sid)]

    def capacity(self, app_pool: list[Request], base_pool: list[Request]) -> dict[str, Result]:
        """Closed loop at full speed; the app's pool is split over its rounds, never reused."""
        results = {name: Result() for name in TARGETS}
        used = 0
        for name, length in abba(self.seconds):
            pool = base_pool
            if name == "app":
                pool = app_pool[used : used + int(length) * POOL_PER_SECOND]
                used += len(pool)
            results[name].merge(self.closed_loop(name, pool, length))
        return results

    def closed_loop(self, name: str, pool: list[Request], length: float) -> Result:
        """One closed-loop round against one server, its CPU per request added to `cpu`."""
        port = self.ports[name]
        before = _cpu.snapshot(_role)
        if self.wrk:
            result = run_wrk(self.wrk, port, pool, int(length), self.connections, self.workdir)
        else:
            payloads = [http_request(port, r) for r in pool]
            result = run_closed_loop(port, payloads, length, self.connections)
        split = _cpu.between(before, _cpu.snapshot(_role), sum(result.statuses.values()))
        self.cpu[name] = self.cpu.get(name, _cpu.Split()) + split
        return result

    def deferral(self) -> Result:
        """Capacity when every text is kept for later: what absorbs a burst. The kept texts
        are dropped afterwards (no drain job should answer them during the burst)."""
        port, count = self.ports[DEFERRAL], self.seconds * POOL_PER_SECOND
        pool = signed_requests(port, count, self.account_sid)
        result = self.closed_loop(DEFERRAL, pool, self.seconds)
        if redis_url := self.env.get("REDIS_URL"):
            _burst.forget_kept(redis_url)
        return result

    def half_capacity(self, rate: float) -> dict[str, Result]:
        """Open loop at `rate` for both: the app's figures, and the floor the baseline shows."""
        results = {name: Result() for name in TARGETS}
        payloads = {
            name: self.payloads(name, math.ceil(rate * self.seconds) + 1) for name in TARGETS
        }
        for name, length in abba(float(self.seconds)):
            sent = sum(results[name].statuses.values())
            results[name].merge(
                run_open_loop(self.ports[name], payloads[name][sent:], rate, length)
            )
        return results


def serve(
    bench: Bench, servers: list[subprocess.Popen[bytes]]
) -> tuple[list[Request], list[Request]]:
    """Migrate and seed while signing the capacity pools; start both servers; warm them up."""
    started = time.perf_counter()
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{bench.workdir / 'bench.db'}"
    env = bench.env = app_environment(database_url, bench.gunicorn)
    with ThreadPoolExecutor(max_workers=1) as executor:
        setup = executor.submit(prepare_database, env)  # a subprocess: signing runs meanwhile
        pool_size = bench.seconds * POOL_PER_SECOND
        app_pool = signed_requests(bench.ports["app"], pool_size, bench.account_sid)
        base_pool = signed_requests(bench.ports["baseline"], BASELINE_POOL, bench.account_sid)
        setup.result()
    deferring = {**env, "SMS_DEFER": "always"}
    for name, target, settings in [
        *((name, target, env) for name, target in TARGETS.items()),
        *([(DEFERRAL, TARGETS["app"], deferring)] if env.get("REDIS_URL") else []),
    ]:
        log = bench.workdir / f"gunicorn-{name}.log"
        servers.append(start_server(target, bench.ports[name], settings, log))
        wait_until_listening(servers[-1], bench.ports[name], log)
        print(f"warm-up {name}: {warm_up(bench, name)}")
    print(f"setup: {time.perf_counter() - started:.1f} s")
    return app_pool, base_pool


def measure(bench: Bench, servers: list[subprocess.Popen[bytes]]) -> None:
    """Set up, run both phases, report. Started servers go into `servers` for the caller."""
    database = (os.environ.get("BENCH_DATABASE_URL") or "sqlite").split(":")[0].split("+")[0]
    redis_note = "+ Redis" if os.environ.get("BENCH_REDIS_URL") else "no Redis"
    print(
        f"POST {PATH} on {bench.server}: app vs bench/baseline_app.py, {database} {redis_note}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before start"
    )
    if not bench.wrk:
        print(
            "NOTE: wrk not found (apt-get install -y wrk): the capacity phase uses a Python client,"
            " which takes CPU and the GIL from the same cores, so req/s read lower than with wrk."
        )
    app_pool, base_pool = serve(bench, servers)
    whole = _cpu.snapshot(_ours())

    print(f"\n== capacity: closed loop, {bench.client}, {bench.seconds} s per side, ABBA rounds")
    capacity = bench.capacity(app_pool, base_pool)
    for name, result in capacity.items():
        describe(name, result)
    app, base = capacity["app"], capacity["baseline"]
    ratio = app.ok_rate / base.ok_rate if base.ok_rate else 0.0
    print(f"  ratio app/baseline {ratio:.2f}")
    if DEFERRAL in bench.ports and bench.env.get("REDIS_URL"):
        print(f"\n== deferral: every text kept for later (SMS_DEFER=always), {bench.client}")
        kept = bench.deferral()
        describe(DEFERRAL, kept)
        over_app = kept.ok_rate / app.ok_rate if app.ok_rate else 0.0
        over_base = kept.ok_rate / base.ok_rate if base.ok_rate else 0.0
        print(
            f"  deferral/app {over_app:.2f}, deferral/baseline {over_base:.2f}: a burst at twice"
            " capacity needs deferral/app of 2 or more (more again with the burst's own client)"
        )
    print("\n== CPU per request while closed loop (bench/_cpu.py; client = wrk or this driver)")
    for name, split in bench.cpu.items():
        print(f"  {name:<9}{split.describe(CPU_ORDER)}")

    rate = app.ok_rate / 2
    half = {name: Result() for name in TARGETS}
    if rate >= 1:
        print(f"\n== half capacity: open loop, Python client, {rate:.0f} req/s, {bench.seconds} s")
        half = bench.half_capacity(rate)
        for name, result in half.items():
            describe(name, result)
        print("  (the baseline at the same rate shows the floor: client, gunicorn, Flask)")
        if (floor := half["baseline"].p(0.99)) > P99_TARGET_MS / 2:
            print(
                f"  WARNING: the baseline's own p99 is {floor:.1f} ms at this rate: the client or"
                " the machine, not only the app, limits this figure"
            )
    else:
        print("\nno 200 answers from the app: no half-capacity phase")

    spent = _cpu.between(whole, _cpu.snapshot(_ours()), 1)
    busy = max(0.0, spent.machine - sum(spent.groups.values())) / (spent.seconds or 1.0)
    noisy = ": figures are noisy, compare ratios over runs" if busy > 0.25 else ""
    print(
        f"\nother processes (not this benchmark's, PostgreSQL or Redis) used {busy:.2f} of"
        f" {os.cpu_count()} CPUs while measuring{noisy}"
    )
    for name in TARGETS:
        if anomalies := log_anomalies(bench.workdir / f"gunicorn-{name}.log"):
            print(f"{name} server log: {len(anomalies)} lines besides INFO, the last ones:")
            for line in anomalies[-3:]:
                print(f"    {line[:160]}")

    print()
    p99 = half["app"].p(0.99) if half["app"].statuses else math.inf
    verdict(ratio >= RATIO_TARGET, f"ratio app/baseline {ratio:.2f} (target >= {RATIO_TARGET})")
    verdict(
        p99 <= P99_TARGET_MS, f"p99 at half capacity {p99:.1f} ms (target <= {P99_TARGET_MS:g} ms)"
    )

    print(f"\n| `POST {PATH}`, {bench.server} | req/s | p50 | p99 |")
    print("|---|---:|---:|---:|")
    print(table_row(f"app, capacity ({bench.client})", app))
    print(table_row("baseline (fixed TwiML), capacity", base))
    if half["app"].statuses:
        print(table_row(f"app at half capacity ({rate:.0f} req/s, open loop)", half["app"]))
        print(table_row("baseline at the same rate (the floor)", half["baseline"]))
    print(
        f"\napp/baseline **{ratio:.2f}** (target ≥ {RATIO_TARGET}); p99 at half capacity "
        f"**{p99:.1f} ms** (target ≤ {P99_TARGET_MS:g} ms). {database}, {bench.seconds} s per "
        f"side, {os.cpu_count()} CPUs shared by the client and both servers."
    )
    burst = "burst not run"
    if bench.burst_seconds and app.ok_rate >= 1:
        burst = run_burst(bench, 2 * app.ok_rate)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    print(f"webhook: ratio {ratio:.2f}, p99_half {p99:.1f} ms, {burst}")


def run_burst(bench: Bench, rate: float) -> str:
    """Phase 3: the burst, the drain, the count. Returns the summary's burst part."""
    count = round(rate * bench.burst_seconds)
    print(f"\n== burst: open loop, {rate:.0f} req/s (twice capacity) for {bench.burst_seconds} s")
    alert_id = _burst.subscribe_senders(bench.env)
    burst = _burst.plan(bench.ports["app"], count, bench.account_sid)
    since = datetime.now(UTC)
    redis_url = bench.env.get("REDIS_URL")
    workers: list[subprocess.Popen[bytes]] = []
    with FakeProcess() as fake:
        log = (bench.workdir / "rq-worker.log").open("wb")
        if redis_url:
            worker_env = child_env(
                **{k: v for k, v in bench.env.items() if not k.startswith("GUNICORN_")},
                TWILIO_ACCOUNT_SID=ACCOUNT,
                TWILIO_AUTH_TOKEN=TOKEN,
                TWILIO_API_URL=fake.url,
                TWILIO_FROM=TO_NUMBER,
            )
            command = ["-m", "flask", "--app", "wsgi", "rq", "worker"]
            workers.append(start_worker(worker_env, log, command))
        try:
            outcome = _burst.offer(bench.ports["app"], burst, rate)
            print(f"  offered {outcome.offered}: {dict(outcome.kinds.most_common())}")
            lat = sorted(outcome.latencies)
            if lat:
                p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
                print(
                    f"  latency from the due time: p50 {p50 * 1000:.0f} ms,"
                    f" p99 {p99 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms"
                )
            drained = _burst.wait_for_drain(redis_url) if redis_url else 0.0
            replies = sum(fake.counts().values())
            print(f"  drained {drained:.0f} s after the burst; {replies} replies sent by REST")
        finally:
            for worker in workers:
                stop_process(worker)
            log.close()
    rsvps, stops = _burst.recorded(bench.env, alert_id, since)
    while (again := _burst.recorded(bench.env, alert_id, since)) != (rsvps, stops):
        rsvps, stops = again  # gunicorn still works through connections the client gave up on
        time.sleep(2)
    sent_rsvps, sent_stops = outcome.sent["1"], outcome.sent["STOP"]
    print(f"  RSVPs recorded {rsvps}/{sent_rsvps}, STOPs recorded {stops}/{sent_stops}")
    answered_all = outcome.answered == outcome.offered
    verdict(answered_all, f"burst answered {outcome.answered}/{outcome.offered} within 15 s")
    verdict(stops >= sent_stops and rsvps >= sent_rsvps, "no STOP and no RSVP lost")
    if anomalies := log_anomalies(bench.workdir / "rq-worker.log"):
        print(f"rq worker log: {len(anomalies)} lines, the last ones:")
        for line in anomalies[-3:]:
            print(f"    {line[:160]}")
    return (
        f"burst answered {outcome.answered}/{outcome.offered} within 15 s, "
        f"stops lost {max(0, sent_stops - stops)}, rsvps lost {max(0, sent_rsvps - rsvps)}"
    )


def verdict(passed: bool, text: str) -> None:
    """A PASS/FAIL line; informative only, the exit status stays 0."""
    print(f"{'PASS' if passed else 'FAIL'} {text}")


def on_sigterm(signum: int, frame: object) -> NoReturn:
    """SIGTERM becomes SystemExit, so the `finally` below still stops the servers."""
    sys.exit(128 + signum)


def main() -> None:
    """Parse arguments; measure; always stop the servers and remove the temporary files."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per side and phase (default 10)")
    parser.add_argument("--connections", type=int, default=4, help="closed loop (default 4)")
    parser.add_argument("--burst-seconds", type=int, default=60, help="0: no burst (default 60)")
    parser.add_argument("--worker-class", help="gunicorn worker class for both servers")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker for both")
    args = parser.parse_args()
    if args.seconds < 1 or args.connections < 1:
        parser.error("--seconds and --connections must be at least 1")
    signal.signal(signal.SIGTERM, on_sigterm)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, piped too
    workdir = Path(tempfile.mkdtemp(prefix="organize-bench-webhook-"))
    ports = {name: free_port() for name in (*TARGETS, DEFERRAL)}
    gunicorn = {}
    if args.worker_class:
        gunicorn["GUNICORN_WORKER_CLASS"] = args.worker_class
    if args.threads:
        gunicorn["GUNICORN_THREADS"] = str(args.threads)
    bench = Bench(
        args.seconds,
        args.connections,
        workdir,
        shutil.which("wrk"),
        ports,
        gunicorn,
        args.burst_seconds,
    )
    servers: list[subprocess.Popen[bytes]] = []
    try:
        measure(bench, servers)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        for server in servers:
            stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
