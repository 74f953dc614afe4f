"""Benchmark the signed SMS webhook `POST /sms/inbound` under gunicorn against a bare Flask app.

Run from the repository root: ``.venv/bin/python bench/webhook.py [--seconds N] [--connections C]``.
Both apps run under the same gunicorn settings (2 sync workers, no access log) on free loopback
ports. Phase 1 drives each to capacity with `wrk` (closed loop; a Python client when `wrk` is
missing) and reports req/s of 200 answers, p50/p99 and app/baseline. Phase 2 offers the app half
its measured capacity from an open-loop Python client that times every request from its scheduled
start, so a stall is charged to the requests it delays (no coordinated omission).
Targets are printed as PASS/FAIL lines; the exit status does not depend on them.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NoReturn

from cryptography.fernet import Fernet
from twilio.request_validator import RequestValidator

from organize.webhooks import DEV_AUTH_TOKEN

ROOT = Path(__file__).resolve().parents[1]
PATH = "/sms/inbound"
FORM = "application/x-www-form-urlencoded"
WORKERS = 2
RATIO_TARGET = 0.6
P99_TARGET_MS = 25.0
BODIES = ("RIGHTS", "1", "HELP")
# 200 fictional numbers: the 555-01xx block of two Houston area codes.
SENDERS = tuple(f"+1{area}55501{n:02d}" for area in ("713", "832") for n in range(100))
TO_NUMBER = "+15005550006"
# Unique signed requests per second of a closed-loop phase: above what 2 cores can serve, so
# no MessageSid is sent twice (the app answers a replayed sid from its stored reply).
POOL_PER_SECOND = 4000
WRK_THREADS = 1  # one epoll loop keeps up with 2 sync workers and leaves a core to the servers
OPEN_LOOP_THREADS = 16
# Settings that would change what is measured: production mode refuses the dev signature,
# PUBLIC_URL changes the signed URL, GUNICORN_CMD_ARGS could add an access log or workers.
SCRUBBED_ENV = ("TWILIO_AUTH_TOKEN", "ORGANIZE_ENV", "FLASK_ENV", "PUBLIC_URL", "GUNICORN_CMD_ARGS")

Request = tuple[bytes, str]  # (form body, X-Twilio-Signature)


@dataclass
class Result:
    """What one load phase measured; latencies in milliseconds."""

    requests: int  # answers received, whatever their status
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: Counter[str] = field(default_factory=Counter)
    note: str = ""

    @property
    def ok(self) -> int:
        """Answers with status 200; everything else counts as an error."""
        return self.statuses.get("200", 0)

    @property
    def errors(self) -> int:
        """Non-200 answers plus requests that got no answer (socket errors, timeouts)."""
        return sum(count for status, count in self.statuses.items() if status != "200")

    @property
    def ok_rate(self) -> float:
        """Req/s counting only 200 answers, so fast 403s or 500s cannot pass for throughput."""
        return self.ok / self.seconds if self.seconds else 0.0

    def status_text(self) -> str:
        """`200:12345 403:2 socket-error:1`, most frequent first."""
        return " ".join(f"{status}:{count}" for status, count in self.statuses.most_common())


def signed_requests(url: str, count: int, account_sid: str) -> list[Request]:
    """Twilio-shaped inbound SMS, each with a fresh MessageSid, signed for `url`."""
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


def percentile_ms(samples: list[float], quantile: float) -> float:
    """Nearest-rank percentile of durations in seconds, in milliseconds."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(quantile * len(ordered)) - 1)] * 1000


def post(conn: http.client.HTTPConnection, request: Request) -> str:
    """Send one webhook; the status as text, or `socket-error` (the connection is then reset)."""
    body, signature = request
    headers = {"Content-Type": FORM, "X-Twilio-Signature": signature}
    try:
        conn.request("POST", PATH, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        conn.close()
        return "socket-error"
    return str(response.status)


# --- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_environment(database_url: str) -> dict[str, str]:
    """Development mode with the dev token, explicit secrets (nothing written to instance/)."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
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


def start_server(
    target: str, port: int, env: dict[str, str], log: IO[str]
) -> subprocess.Popen[str]:
    """gunicorn in its own process group, so the whole group can be stopped at the end."""
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
    return subprocess.Popen(
        [*command, target],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_until_listening(server: subprocess.Popen[str], port: int, log: Path) -> None:
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


def stop_server(server: subprocess.Popen[str]) -> None:
    """TERM the process group (master and workers), KILL it if it lingers."""
    if server.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


# --- load generators ---------------------------------------------------------------------------

WRK_SCRIPT = r"""-- Generated by bench/webhook.py. DATA holds one "body<TAB>signature" per line.
local DATA, HOST, THREADS = %(data)s, %(host)s, %(threads)d
local all_threads, next_id = {}, 0
local pool, size, i = {}, 0, 0
statuses, wraps, pool_size = {}, 0, 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(all_threads, thread)
end

function init(args)
  -- Format every request once, here, so request() costs the servers' cores nothing.
  -- Thread k takes lines k, k+THREADS, ...: no two threads send the same MessageSid.
  local headers = {["Host"] = HOST, ["Content-Type"] = "%(form)s"}
  local line_no = 0
  for line in io.lines(DATA) do
    if line_no %% THREADS == thread_id then
      local tab = line:find("\t", 1, true)
      headers["X-Twilio-Signature"] = line:sub(tab + 1)
      size = size + 1
      pool[size] = wrk.format("POST", "%(path)s", headers, line:sub(1, tab - 1))
    end
    line_no = line_no + 1
  end
  pool_size = size
end

function request()
  i = i + 1
  if i > size then
    i, wraps = 1, wraps + 1
  end
  return pool[i]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged, wrapped, unique = {}, 0, 0
  for _, thread in ipairs(all_threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
    wrapped = wrapped + thread:get("wraps")
    unique = unique + thread:get("pool_size")
  end
  local parts = {}
  for status, count in pairs(merged) do
    parts[#parts + 1] = status .. ":" .. count
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%%d duration_us=%%d p50_us=%%.0f p99_us=%%.0f max_us=%%.0f "
      .. "connect=%%d read=%%d write=%%d timeout=%%d non2xx3xx=%%d wraps=%%d pool=%%d "
      .. "statuses=%%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status, wrapped, unique,
    #parts > 0 and table.concat(parts, ",") or "-"))
end
"""


def lua_string(text: str) -> str:
    """A Lua long-bracket literal holding `text` verbatim."""
    level = "=" * next(n for n in range(10) if f"]{'=' * n}]" not in text)
    return f"[{level}[{text}]{level}]"


def run_wrk(
    wrk: str, port: int, pool: list[Request], seconds: int, connections: int, workdir: Path
) -> tuple[Result, str]:
    """Closed loop with wrk; percentiles and status counts come from the script's done() hook."""
    data = workdir / f"requests-{port}.tsv"
    with data.open("w") as fh:
        fh.writelines(f"{body.decode()}\t{signature}\n" for body, signature in pool)
    script = workdir / f"webhook-{port}.lua"
    values = {"data": lua_string(str(data)), "host": lua_string(f"127.0.0.1:{port}")}
    script.write_text(WRK_SCRIPT % {**values, "threads": WRK_THREADS, "form": FORM, "path": PATH})
    command = [wrk, "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_RESULT ")), "")
    if done.returncode != 0 or not line:
        sys.exit(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    fields = dict(item.split("=", 1) for item in line.split()[1:])
    statuses: Counter[str] = Counter()
    if fields["statuses"] != "-":
        statuses.update(
            {s: int(n) for s, n in (p.split(":") for p in fields["statuses"].split(","))}
        )
    for kind in ("connect", "read", "write", "timeout"):
        if count := int(fields[kind]):
            statuses[f"socket-{kind}"] += count
    notes = []
    if int(fields["wraps"]):
        notes.append(f"pool of {fields['pool']} exhausted: MessageSids were replayed")
    result = Result(
        requests=int(fields["requests"]),
        seconds=int(fields["duration_us"]) / 1e6,
        p50_ms=float(fields["p50_us"]) / 1000,
        p99_ms=float(fields["p99_us"]) / 1000,
        statuses=statuses,
        note="; ".join(notes),
    )
    return result, line


def run_closed_loop(port: int, pool: list[Request], seconds: float, connections: int) -> Result:
    """The fallback without wrk: one thread per connection, each sending back to back."""
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    wrapped = threading.Event()
    deadline = time.perf_counter() + seconds

    def worker(share: list[Request]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        counts: Counter[str] = Counter()
        n = 0
        while (start := time.perf_counter()) < deadline:
            if n == len(share):
                wrapped.set()
            counts[post(conn, share[n % len(share)])] += 1
            mine.append(time.perf_counter() - start)
            n += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(counts)

    started = time.perf_counter()
    threads = [
        threading.Thread(target=worker, args=(pool[k::connections],), daemon=True)
        for k in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    note = "pool exhausted: MessageSids were replayed" if wrapped.is_set() else ""
    return Result(
        len(latencies),
        elapsed,
        percentile_ms(latencies, 0.5),
        percentile_ms(latencies, 0.99),
        statuses,
        note,
    )


def run_open_loop(port: int, pool: list[Request], rate: float, seconds: float) -> Result:
    """Offer `rate` req/s on a fixed schedule; latency runs from the scheduled start.

    Request i is due at t0 + i/rate whether or not earlier ones were answered; a worker that
    picks it up late (all busy, or the client itself slow) still charges the delay to it.
    """
    total = min(len(pool), int(rate * seconds))
    latencies: list[float] = []
    lags: list[float] = []
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    next_index = iter(range(total))
    t0 = time.perf_counter() + 0.05

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                break
            due = t0 + i / rate
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            lag = time.perf_counter() - due
            status = post(conn, pool[i])
            latency = time.perf_counter() - due
            with lock:
                latencies.append(latency)
                lags.append(lag)
                statuses[status] += 1
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(OPEN_LOOP_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    note = f"send lag p99 {percentile_ms(lags, 0.99):.2f} ms"
    return Result(
        len(latencies),
        elapsed,
        percentile_ms(latencies, 0.5),
        percentile_ms(latencies, 0.99),
        statuses,
        note,
    )


# --- report ------------------------------------------------------------------------------------


def describe(name: str, result: Result) -> None:
    """One line of figures, plus the status counts and any warning."""
    print(
        f"  {name:<9} {result.ok_rate:8.1f} req/s (200s)  p50 {result.p50_ms:6.2f} ms"
        f"  p99 {result.p99_ms:6.2f} ms  [{result.requests} answers in {result.seconds:.1f} s]"
    )
    print(f"  {'':<9} statuses {result.status_text() or '-'}")
    if result.errors:
        share = result.errors / max(1, sum(result.statuses.values()))
        print(f"  {'':<9} ERRORS: {result.errors} non-200 ({share:.1%}); latencies include them")
    if result.note:
        print(f"  {'':<9} note: {result.note}")


def table_row(label: str, result: Result) -> str:
    """A markdown row: label, req/s of 200 answers, p50, p99."""
    return f"| {label} | {result.ok_rate:.0f} | {result.p50_ms:.1f} ms | {result.p99_ms:.1f} ms |"


def verdict(passed: bool, text: str) -> None:
    """A PASS/FAIL line; informative only, the exit status stays 0."""
    print(f"{'PASS' if passed else 'FAIL'} {text}")


def on_sigterm(signum: int, frame: object) -> NoReturn:
    """Turn SIGTERM into SystemExit so the `finally` blocks stop the servers."""
    sys.exit(128 + signum)


def main() -> None:
    """Set up, serve both apps, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each phase (s)")
    parser.add_argument("--connections", type=int, default=4, help="closed-loop connections")
    args = parser.parse_args()
    if args.seconds < 1 or args.connections < 1:
        parser.error("--seconds and --connections must be at least 1")
    signal.signal(signal.SIGTERM, on_sigterm)

    workdir = Path(tempfile.mkdtemp(prefix="organize-bench-webhook-"))
    servers: list[subprocess.Popen[str]] = []
    try:
        measure(args.seconds, args.connections, workdir, servers)
    finally:
        for server in servers:
            stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)


def measure(
    seconds: int, connections: int, workdir: Path, servers: list[subprocess.Popen[str]]
) -> None:
    """All phases; started servers are appended to `servers` for the caller to stop."""
    wrk = shutil.which("wrk")
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    database = database_url.split("://", 1)[0]
    env = app_environment(database_url)
    app_port, base_port = free_port(), free_port()
    client = (
        f"wrk -t{WRK_THREADS} -c{connections}"
        if wrk
        else f"Python closed-loop client, {connections} connections"
    )
    print(
        f"POST {PATH}: gunicorn -w {WORKERS} (sync), {os.cpu_count()} CPUs, {database}, "
        f"{client}, {seconds} s per phase"
    )
    if not wrk:
        print(
            "NOTE: wrk not found (apt-get install -y wrk); using a Python client instead. It "
            "shares the 2 cores and the GIL with itself, so req/s are lower than wrk would show."
        )

    started = time.perf_counter()
    setup = threading.Thread(target=prepare_database, args=(env,), daemon=True)
    setup.start()
    account_sid = "AC" + secrets.token_hex(16)
    pool_size = seconds * POOL_PER_SECOND
    app_pool = signed_requests(f"http://127.0.0.1:{app_port}{PATH}", pool_size, account_sid)
    base_pool = signed_requests(f"http://127.0.0.1:{base_port}{PATH}", pool_size, account_sid)
    setup.join()
    print(
        f"setup: db upgrade + seed-demo and {2 * pool_size} signed requests "
        f"in {time.perf_counter() - started:.1f} s"
    )

    targets = {
        "app": ("wsgi:app", app_port),
        "baseline": ("bench.baseline_app:create_app()", base_port),
    }
    for name, (target, port) in targets.items():
        log_path = workdir / f"gunicorn-{name}.log"
        servers.append(start_server(target, port, env, log_path.open("w")))
        wait_until_listening(servers[-1], port, log_path)
    for name, (_target, port) in targets.items():
        # Both workers import lazily on their first requests: keep that out of the figures.
        warm = signed_requests(f"http://127.0.0.1:{port}{PATH}", 2000, account_sid)
        result = run_closed_loop(port, warm, 1.0, 2 * WORKERS)
        print(f"warm-up {name}: {result.status_text()}")

    print(f"\n== capacity, closed loop ({client}, {seconds} s)")
    capacity: dict[str, Result] = {}
    for name, pool, port in (("app", app_pool, app_port), ("baseline", base_pool, base_port)):
        if wrk:
            capacity[name], line = run_wrk(wrk, port, pool, seconds, connections, workdir)
            print(f"  {line}")
        else:
            capacity[name] = run_closed_loop(port, pool, seconds, connections)
    for name, result in capacity.items():
        describe(name, result)
    app, base = capacity["app"], capacity["baseline"]
    ratio = app.ok_rate / base.ok_rate if base.ok_rate else 0.0
    print(f"  ratio app/baseline {ratio:.2f}")

    rate = app.ok_rate / 2
    if rate < 1:
        print("\nno successful answers from the app: skipping the half-capacity phase")
        verdict(ratio >= RATIO_TARGET, f"ratio app/baseline {ratio:.2f} (target >= {RATIO_TARGET})")
        return
    count = int(rate * seconds)
    print(f"\n== half capacity, open loop (Python client, {rate:.0f} req/s, {seconds} s)")
    half: dict[str, Result] = {}
    for name, port in (("app", app_port), ("baseline", base_port)):
        pool = signed_requests(f"http://127.0.0.1:{port}{PATH}", count, account_sid)
        half[name] = run_open_loop(port, pool, rate, seconds)
        describe(name, half[name])
    print("  (baseline at the same rate: the floor set by the client, gunicorn and Flask)")

    print()
    verdict(ratio >= RATIO_TARGET, f"ratio app/baseline {ratio:.2f} (target >= {RATIO_TARGET})")
    p99 = half["app"].p99_ms
    verdict(
        p99 <= P99_TARGET_MS, f"p99 at half capacity {p99:.1f} ms (target <= {P99_TARGET_MS:g} ms)"
    )

    print(f"\n| `POST {PATH}` | req/s | p50 | p99 |")
    print("|---|---:|---:|---:|")
    print(table_row("app, capacity (closed loop)", app))
    print(table_row("baseline (fixed TwiML), capacity", base))
    print(table_row(f"app at half capacity ({rate:.0f} req/s offered, open loop)", half["app"]))
    print(
        f"\napp/baseline {ratio:.2f}. gunicorn -w {WORKERS} sync, {database}, {client}, "
        f"{seconds} s per phase, {os.cpu_count()} CPUs shared by client and servers."
    )


if __name__ == "__main__":
    main()
