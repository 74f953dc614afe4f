"""Benchmark the alert pipeline end to end: N subscribers, W RQ workers, the fake Twilio.

Run from the repository root: ``.venv/bin/python bench/broadcast.py [--subscribers N]
[--workers 1 2 4] [--rate-check]``. Needs PostgreSQL (it creates and drops its own database,
`organize_bench_<pid>`) and Redis (db 14, flushed); all traffic stays on 127.0.0.1.

For each W it measures:
- the ceiling, before and after the pipeline (the table shows their mean): W processes, each
  posting Twilio's Messages create (To, From, Body, basic auth) with raw aiohttp, SEND_CONCURRENCY
  requests in flight on one session, straight to a fresh fake — what this machine can push with
  the HTTP client the send core is built on. The old ceiling (SEND_CONCURRENCY threads on
  `requests` sessions per process) is measured once per W on `--reference-count` messages and
  printed for reference, and so is twilio's own async client posting the same messages with
  nothing else (no claim, opt-out check, decryption or bookkeeping): the floor any send core
  built on it pays, and the pipeline's ratio to it. The fake's CPU per request and its share
  of a core during the ceiling are printed too (all its processes, and the busiest one): the
  fake must not be what limits it;
- the pipeline: W `flask --app wsgi rq worker --with-scheduler` processes (organize.outbound.worker)
  with SEND_RATE=0, from pressing send (`fanout.send`) to the alert's status "sent". The
  fake's record must show exactly one message per subscriber; the peak RSS (VmHWM) of every
  worker process and of its scheduler and work-horses is polled from /proc while it runs.
One summary line per W (`broadcast: W=1 ratio …`) follows the table.
`--rate-check` instead sends with SEND_RATE=100 (7,000 subscribers, about 70 s) and measures the
achieved segments per second over 60 s of the steady part. The fake runs as its own processes
(`python -m tests.faketwilio`, each one event loop, `--fake-processes` of them, default 4, sharing
the port with SO_REUSEPORT: one alone was 90 % busy at the ceiling, and the kernel spreads the
eight connections by a hash, so with two one of them once took six; `--fake-threads` for one
thread-per-connection server) so it never shares a GIL with this driver or a client. Targets
print as PASS/FAIL lines; the exit status does not depend on them. Every run is bounded
(`--timeout`).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import redis
import sqlalchemy as sa
from flask import Flask
from rq import Worker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import _cpu
from bench._services import (
    ROOT,
    Database,
    FakeProcess,
    MemorySampler,
    child_env,
    start_worker,
    stop,
)
from organize.config import defaults
from tests.processes import wait_for

RATIO_TARGETS = {1: 0.7, 2: 0.6}  # W >= 2: two workers, the fake and PostgreSQL share 2 cores
FAKE_BUSY_LIMIT = 0.8  # of one core: beyond it the fake may be what limits the ceiling
RATE_TOLERANCE = 0.02
RSS_TARGET_MB = 200
ACCOUNT = "AC" + "0" * 32
TOKEN = "fake-auth-token"  # noqa: S105 - the fake's
SENDER = "+15005550006"
KEYS = {
    "SECRET_KEY": "bench-secret-key",
    "PHONE_HASH_KEY": "bench-phone-hash-key",
    "ENCRYPTION_KEY": "mJ9vnHkPo7yTQk0f3Zm2rVjkYx8o1dV5Yh0cQ6cX5xY=",
}
# One GSM-7 segment each, so messages per second are segments per second.
TEXTS = {
    "en": ("Strike Friday", "Meet at the gate at 7am. Bring water."),
    "es": ("Huelga el viernes", "Nos vemos en la puerta a las 7am. Traigan agua."),
}
# What organize ships (README, Deployment): Flask-RQ's command, with
# organize.outbound.worker.AppWorker behind it.
WORKER = ["-m", "flask", "--app", "wsgi", "rq", "worker", "--with-scheduler"]


def number(i: int) -> str:
    """The i-th fictional subscriber: +1 713 2xx xxxx."""
    return f"+1713{2000000 + i:07d}"


@dataclass
class Run:
    """One pipeline measurement."""

    workers: int
    seconds: float
    sent: int
    exactly_once: bool
    peak_process_mb: float
    peak_total_mb: float
    cpu: _cpu.Split
    note: str = ""

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


class Bench:
    """The database, Redis and app the runs share; the subscribers are inserted once."""

    def __init__(self, args: argparse.Namespace, database: Database, logs: Path) -> None:
        from organize import create_app

        self.args, self.database, self.logs = args, database, logs
        self.redis = redis.Redis.from_url(args.redis_url)
        self.redis.ping()
        self.redis.flushdb()
        self.app: Flask = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database.url,
                "REDIS_URL": args.redis_url,
                "RQ_CONNECTION": args.redis_url,
                "REVIEW_PUBLISH_DELAY": "0",
                **KEYS,
            }
        )

    def populate(self, count: int) -> None:
        """The schema and `count` active subscribers, half English, half Spanish."""
        from organize import privacy
        from organize.extensions import db
        from organize.models import Base, Subscriber
        from organize.outbound.segments import measure

        assert all(measure(f"{t}\n{b}").count == 1 for t, b in TEXTS.values())
        with self.app.app_context():
            Base.metadata.create_all(db.engine)
            for start in range(0, count, 5000):
                rows: list[dict[str, Any]] = [
                    {
                        "phone_hash": privacy.phone(number(i)).hash,
                        "phone_cipher": privacy.encrypt(number(i)),
                        "status": "active",
                        "locale": "es" if i % 2 else "en",
                        "tags": [],
                        "time_zone": "UTC",
                        "consent_source": "bench",
                    }
                    for i in range(start, min(count, start + 5000))
                ]
                db.session.execute(sa.insert(Subscriber), rows)
                db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()

    def worker_env(self, fake: FakeProcess, rate: float) -> dict[str, str]:
        """What a worker reads from its environment."""
        extra = {"SEND_BATCH_SIZE": self.args.batch_size} if self.args.batch_size else {}
        return child_env(
            ORGANIZE_ENV="development",
            DATABASE_URL=self.database.url,
            REDIS_URL=self.args.redis_url,
            REVIEW_PUBLISH_DELAY="0",
            SEND_RATE=rate,
            SEND_CONCURRENCY=self.args.concurrency,
            TWILIO_ACCOUNT_SID=ACCOUNT,
            TWILIO_AUTH_TOKEN=TOKEN,
            TWILIO_API_URL=fake.url,
            TWILIO_FROM=SENDER,
            **KEYS,
            **extra,
        )

    def send(
        self,
        *,
        fake: FakeProcess,
        workers: int,
        rate: float,
        expected: int,
        poll: Callable[[], None] | None = None,
    ) -> Run:
        """Start the workers, press send, wait (bounded) for "sent", check the fake's record.

        `poll()` is called about twice a second while it sends.
        """
        from organize.alerts import compose, fanout
        from organize.extensions import db
        from organize.models import Alert

        command = WORKER
        env = self.worker_env(fake, rate)
        log_path = self.logs / f"workers-{workers}-{rate:g}.log"
        procs: list[subprocess.Popen[bytes]] = []
        with self.app.app_context(), log_path.open("ab") as log:
            try:
                self._reset()
                alert = compose.create(texts=TEXTS, urgent=True)
                db.session.commit()
                procs = [start_worker(env, log, command) for _ in range(workers)]
                wait_for(
                    lambda: Worker.count(connection=self.redis) == workers,
                    120,
                    f"{workers} workers to start (see {log_path})",
                )
                with MemorySampler(procs) as sampler:
                    cpu = _cpu.snapshot(_role)
                    started = time.monotonic()
                    assert fanout.send(alert=alert, actor=None)
                    status: str | None = "sending"
                    next_poll = 0.0
                    while status != "sent" and time.monotonic() < started + self.args.timeout:
                        time.sleep(0.25)
                        status = db.session.scalar(
                            sa.select(Alert.status).where(Alert.id == alert.id)
                        )
                        db.session.rollback()
                        if poll is not None and time.monotonic() >= next_poll:
                            poll()
                            next_poll = time.monotonic() + 0.5
                    seconds = time.monotonic() - started
                    split = _cpu.between(cpu, _cpu.snapshot(_role), expected)
                progress = compose.progress(alert_id=alert.id)
                db.session.rollback()
            finally:
                for proc in procs:
                    stop(proc)
        counts = fake.counts()
        exactly = (
            status == "sent"
            and set(counts.values()) == {1}
            and set(counts) == {number(i) for i in range(expected)}
            and progress == {"sent": expected}
        )
        memory = list(sampler.memory.values())
        return Run(
            workers=workers,
            seconds=seconds,
            sent=sum(counts.values()),
            exactly_once=exactly,
            peak_process_mb=max(m.peak_process_kb for m in memory) / 1024,
            peak_total_mb=max(m.peak_total_kb for m in memory) / 1024,
            cpu=split,
            note="" if status == "sent" else f"(gave up after {seconds:.0f} s: {progress})",
        )

    def _reset(self) -> None:
        """Forget the previous alert's rows and jobs (the subscribers stay)."""
        from organize.extensions import db

        db.session.execute(sa.text("TRUNCATE delivery, alert_translation, alert CASCADE"))
        db.session.commit()
        self.redis.flushdb()


@dataclass
class Ceiling:
    """One ceiling measurement: clients posting straight to a fresh fake."""

    rate: float  # messages per second
    fake_ms: float  # the fake's CPU per request
    fake_busy: float  # the share of one core the fake's processes used meanwhile, together
    fake_busiest: float  # the share of one core its busiest process used: what could cap it
    cpu: _cpu.Split  # where the machine's CPU went, per message


def _role(pid: int, comm: str, cmdline: str) -> str | None:
    """The pipeline's own processes, for `_cpu`: RQ workers, with their work-horses and
    schedulers; and this driver (polling the alert and the workers' memory), so that "other"
    is what none of it did."""
    if pid == os.getpid():
        return "driver"
    return "workers" if " rq worker" in cmdline else None


def _client(pid: int, comm: str, cmdline: str) -> str | None:
    """A ceiling's clients, for `_cpu`: they exit before the second snapshot, so their CPU is
    read from this driver, which reaps them and does nothing else meanwhile."""
    return "client" if pid == os.getpid() or "--post" in cmdline else None


def baseline(
    *,
    workers: int,
    count: int,
    concurrency: int,
    timeout: float,
    client: str,
    fake_threads: bool,
    fake_processes: int,
) -> Ceiling:
    """W processes posting `count` Messages creates straight to a fresh fake, `concurrency` in
    flight each: with `client` "aiohttp" (what a worker's send core is built on) or "requests"
    (a thread per request in flight, the previous ceiling)."""
    procs: list[subprocess.Popen[bytes]] = []
    with FakeProcess(threads=fake_threads, processes=fake_processes) as fake:
        try:
            share = [count // workers + (i < count % workers) for i in range(workers)]
            offsets = [sum(share[:i]) for i in range(workers)]
            for n, offset in zip(share, offsets, strict=True):
                command = [__file__, "--post", client, fake.url, str(n), str(concurrency)]
                procs.append(
                    subprocess.Popen(
                        [sys.executable, *command, str(offset)],
                        cwd=ROOT,
                        env=child_env(),
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        start_new_session=True,
                    )
                )
            for proc in procs:  # each says "ready" once its connections are open
                assert proc.stdout is not None
                assert proc.stdout.readline().strip() == b"ready"
            cpu = fake.cpu_each()
            machine = _cpu.snapshot(_client)
            started = time.time()
            for proc in procs:
                assert proc.stdin is not None
                proc.stdin.write(b"go\n")
                proc.stdin.close()
                proc.stdin = None  # communicate() must not flush it again
            finished = []
            for proc in procs:
                out, _err = proc.communicate(timeout=timeout)
                finished.append(float(out.split()[-1]))
            cpu = [now - then for now, then in zip(fake.cpu_each(), cpu, strict=True)]
            split = _cpu.between(machine, _cpu.snapshot(_client), count)
        finally:
            for proc in procs:
                if proc.poll() is None:
                    stop(proc)
        assert sum(fake.counts().values()) == count, "the fake lost baseline requests"
    seconds = max(finished) - started
    busy, busiest = sum(cpu) / seconds, max(cpu) / seconds
    return Ceiling(count / seconds, sum(cpu) * 1000 / count, busy, busiest, split)


def post(client: str, url: str, count: int, concurrency: int, offset: int) -> None:
    """Child of `baseline`: `count` Messages creates, `concurrency` in flight."""
    endpoint = f"{url}/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    indexes = iter(range(offset, offset + count))

    def form(i: int) -> dict[str, str]:
        title, body = TEXTS["es" if i % 2 else "en"]
        return {"To": number(i), "From": SENDER, "Body": f"{title}\n{body}"}

    if client == "aiohttp":
        asyncio.run(_post_aiohttp(url, endpoint, indexes, concurrency, form))
    elif client == "twilio":
        asyncio.run(_post_twilio(url, indexes, concurrency, form))
    else:
        _post_requests(url, endpoint, indexes, concurrency, form)
    print(f"{time.time():.6f}", flush=True)


async def _post_aiohttp(
    url: str,
    endpoint: str,
    indexes: Iterator[int],
    concurrency: int,
    form: Callable[[int], dict[str, str]],
) -> None:
    """One event loop, one session, `concurrency` requests in flight."""
    import aiohttp

    headers = {
        "Authorization": aiohttp.encode_basic_auth(ACCOUNT, TOKEN),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:

        async def connect() -> None:
            async with session.get(f"{url}/_fake/connect") as answer:
                await answer.read()

        await asyncio.gather(*(connect() for _ in range(concurrency)))  # before the clock
        print("ready", flush=True)
        sys.stdin.readline()

        async def run() -> None:
            for i in indexes:
                # The form encoded as the send core encodes it (not through FormData).
                body = urlencode(form(i)).encode()
                async with session.post(endpoint, data=body, headers=headers) as answer:
                    await answer.read()
                    answer.raise_for_status()

        await asyncio.gather(*(run() for _ in range(concurrency)))


async def _post_twilio(
    url: str, indexes: Iterator[int], concurrency: int, form: Callable[[int], dict[str, str]]
) -> None:
    """twilio's `Client` on the send core's async HTTP client, and nothing else: no claim, no
    opt-out check, no decryption, no bookkeeping. The most any sender built on it can do."""
    from twilio.rest import Client

    from organize.outbound.messaging import RedirectingAsyncHttpClient

    http = RedirectingAsyncHttpClient(url, 30.0, concurrency)
    client = Client(ACCOUNT, TOKEN, http_client=http)

    async def connect() -> None:
        async with http.own.get(f"{url}/_fake/connect") as answer:
            await answer.read()

    try:
        await asyncio.gather(*(connect() for _ in range(concurrency)))
        print("ready", flush=True)
        sys.stdin.readline()

        async def run() -> None:
            for i in indexes:
                message = form(i)
                await client.messages.create_async(
                    to=message["To"], from_=message["From"], body=message["Body"]
                )

        await asyncio.gather(*(run() for _ in range(concurrency)))
    finally:
        await http.close()


def _post_requests(
    url: str,
    endpoint: str,
    indexes: Iterator[int],
    threads: int,
    form: Callable[[int], dict[str, str]],
) -> None:
    """`threads` threads, each on its own keep-alive session."""
    import requests

    sessions = [requests.Session() for _ in range(threads)]
    for session in sessions:
        session.auth = (ACCOUNT, TOKEN)
        session.get(f"{url}/_fake/connect", timeout=10)  # connected before the clock starts
    print("ready", flush=True)
    sys.stdin.readline()
    lock = threading.Lock()

    def run(session: requests.Session) -> None:
        while True:
            with lock:
                i = next(indexes, None)
            if i is None:
                return
            session.post(endpoint, data=form(i), timeout=30).raise_for_status()

    pool = [threading.Thread(target=run, args=(s,)) for s in sessions]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


@dataclass
class Result:
    """A W's pipeline run and the ceilings measured around it."""

    run: Run
    ceiling: float  # aiohttp, the mean of before and after
    reference: float  # requests threads, for comparison with earlier figures
    twilio: float  # twilio's async client alone: the floor any send core on it pays
    fake: Ceiling  # the fake's load during the aiohttp ceiling (the after run)


def throughput(bench: Bench, args: argparse.Namespace) -> list[Result]:
    """For each W: the requests ceiling (reference), the aiohttp ceiling, the pipeline, the
    aiohttp ceiling again."""
    results = []
    for workers in args.workers:

        def ceiling(client: str, count: int, workers: int = workers) -> Ceiling:
            return baseline(
                workers=workers,
                count=count,
                concurrency=args.concurrency,
                timeout=args.timeout,
                client=client,
                fake_threads=args.fake_threads,
                fake_processes=args.fake_processes,
            )

        reference = ceiling("requests", min(args.subscribers, args.reference_count))
        twilio = ceiling("twilio", min(args.subscribers, args.reference_count))
        # Before and after: the mean is fair to the pipeline run between them if load drifts.
        before = ceiling("aiohttp", args.subscribers)
        with FakeProcess(threads=args.fake_threads, processes=args.fake_processes) as fake:
            run = bench.send(fake=fake, workers=workers, rate=0, expected=args.subscribers)
        after = ceiling("aiohttp", args.subscribers)
        results.append(
            Result(run, (before.rate + after.rate) / 2, reference.rate, twilio.rate, after)
        )
        print(
            f"W={workers}: pipeline {run.rate:,.0f} msgs/s ({run.sent:,} in {run.seconds:.1f} s),"
            f" aiohttp ceiling {before.rate:,.0f} before and {after.rate:,.0f} after,"
            f" requests ceiling {reference.rate:,.0f}, twilio's async client alone"
            f" {twilio.rate:,.0f}; the fake {after.fake_ms:.3f} ms CPU a"
            f" request, {after.fake_busy:.0%} of a core busy at the ceiling (its busiest"
            f" process {after.fake_busiest:.0%}) {run.note}",
            flush=True,
        )
        print(cpu_budget(run, after, twilio, (before.rate + after.rate) / 2), flush=True)
    return results


def cpu_budget(run: Run, ceiling: Ceiling, twilio: Ceiling, rate: float) -> str:
    """Where a message's CPU went in the pipeline and in the ceilings, and the ratio the
    pipeline's CPU alone allows: on 2 shared cores, at most cores / its CPU per message."""
    order = ["workers", "client", "fake", "PostgreSQL", "Redis", "driver"]
    most = (os.cpu_count() or 1) / run.cpu.machine_per_item * 1e6 if run.cpu.machine else 0.0
    return (
        f"  CPU per message: pipeline {run.cpu.describe(order)};\n"
        f"    aiohttp ceiling {ceiling.cpu.describe(order)};\n"
        f"    twilio's client alone {twilio.cpu.describe(order)};\n"
        f"    so the pipeline's CPU allows a ratio of at most {most / rate:.2f} here"
        if rate
        else ""
    )


def rate_check(bench: Bench, args: argparse.Namespace, workers: int) -> tuple[Run, float]:
    """SEND_RATE=args.rate: segments per second over `args.rate_seconds` of the steady part."""
    samples: list[tuple[float, int]] = []
    with FakeProcess(processes=args.fake_processes) as fake:

        def poll() -> None:
            samples.append((time.monotonic(), sum(fake.counts().values())))

        run = bench.send(
            fake=fake, workers=workers, rate=args.rate, expected=args.rate_subscribers, poll=poll
        )
    first = next((t for t, n in samples if n), None)
    if first is None:
        return run, 0.0
    start = first + 5.0  # past the bucket's one-second burst and the first work-horses
    window = [(t, n) for t, n in samples if start <= t <= start + args.rate_seconds]
    if len(window) < 2 or window[-1][0] - window[0][0] < args.rate_seconds * 0.9:
        return run, 0.0  # not enough steady sending to judge
    (t0, n0), (t1, n1) = window[0], window[-1]
    return run, (n1 - n0) / (t1 - t0)


def setting_line(args: argparse.Namespace, rate: str) -> str:
    batch = args.batch_size or f"{defaults(production=False)['SEND_BATCH_SIZE']} (default)"
    return (
        f"`flask rq worker`, SEND_RATE={rate}, SEND_CONCURRENCY={args.concurrency},"
        f" SEND_BATCH_SIZE={batch}, {os.cpu_count()} cores"
    )


def report(args: argparse.Namespace, results: list[Result]) -> None:
    """The README table, the summary lines, then the PASS/FAIL lines."""
    print(f"\n{args.subscribers:,} subscribers; {setting_line(args, '0')}\n")
    print(
        "| W | msgs/s | aiohttp ceiling msgs/s | ratio | requests ceiling msgs/s"
        " | twilio async client alone msgs/s (pipeline / it) | peak worker RSS MB | exactly-once |"
    )
    print("|--:|--:|--:|--:|--:|--:|--:|:--|")
    for r in results:
        ratio = r.run.rate / r.ceiling if r.ceiling else 0.0
        rss = f"{r.run.peak_process_mb:.0f} (all its processes, PSS: {r.run.peak_total_mb:.0f})"
        once = "yes" if r.run.exactly_once else "no"
        print(
            f"| {r.run.workers} | {r.run.rate:,.0f} | {r.ceiling:,.0f} | {ratio:.2f}"
            f" | {r.reference:,.0f} | {r.twilio:,.0f} ({r.run.rate / r.twilio:.2f})"
            f" | {rss} | {once} |"
        )
    print()
    for r in results:
        ratio = r.run.rate / r.ceiling if r.ceiling else 0.0
        print(
            f"broadcast: W={r.run.workers} ratio {ratio:.2f} (pipeline {r.run.rate:.0f} msgs/s,"
            f" ceiling {r.ceiling:.0f} msgs/s), exactly once"
            f" {'yes' if r.run.exactly_once else 'no'}, peak RSS {r.run.peak_process_mb:.0f} MB"
        )
    print()
    for r in results:
        ratio = r.run.rate / r.ceiling if r.ceiling else 0.0
        target = RATIO_TARGETS.get(r.run.workers, RATIO_TARGETS[2])
        w = r.run.workers
        print(f"{_verdict(ratio >= target)}: W={w} ratio {ratio:.2f} (>= {target})")
        print(
            f"{_verdict(r.run.peak_process_mb <= RSS_TARGET_MB)}: W={w} peak RSS of a"
            f" worker process {r.run.peak_process_mb:.0f} MB (<= {RSS_TARGET_MB} MB)"
        )
        print(f"{_verdict(r.run.exactly_once)}: W={w} exactly once {r.run.note}")
        print(
            f"{_verdict(r.fake.fake_busiest < FAKE_BUSY_LIMIT)}: W={w} the fake is not the"
            f" bottleneck (its busiest process {r.fake.fake_busiest:.0%} of a core at the"
            f" ceiling, < {FAKE_BUSY_LIMIT:.0%}; all {r.fake.fake_busy:.0%})"
        )


def report_rate(args: argparse.Namespace, checks: list[tuple[Run, float]]) -> None:
    print(f"\n{args.rate_subscribers:,} subscribers; {setting_line(args, f'{args.rate:g}')}\n")
    print(f"| W | segments/s over {args.rate_seconds:g} s | off by | exactly-once |")
    print("|--:|--:|--:|:--|")
    for run, achieved in checks:
        off = abs(achieved - args.rate) / args.rate
        once = "yes" if run.exactly_once else "no"
        print(f"| {run.workers} | {achieved:.2f} | {off:.1%} | {once} |")
    print()
    for run, achieved in checks:
        off = abs(achieved - args.rate) / args.rate
        ok = bool(achieved) and off <= RATE_TOLERANCE
        print(f"{_verdict(ok)}: W={run.workers} rate {achieved:.2f}/s within ±2% of {args.rate:g}")
        print(f"{_verdict(run.exactly_once)}: W={run.workers} exactly once {run.note}")


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--concurrency", type=int, default=8, help="SEND_CONCURRENCY")
    parser.add_argument("--batch-size", type=int, help="SEND_BATCH_SIZE (default: the app's)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run, at most")
    parser.add_argument("--rate-check", action="store_true", help="SEND_RATE=100 for 60 s")
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--rate-seconds", type=float, default=60.0)
    parser.add_argument("--rate-subscribers", type=int, default=7000)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://root@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep the workers' logs")
    parser.add_argument(
        "--reference-count",
        type=int,
        default=20_000,
        help="messages for the requests ceiling (printed for reference)",
    )
    parser.add_argument(
        "--fake-threads", action="store_true", help="the fake's thread-per-connection server"
    )
    parser.add_argument(
        "--fake-processes",
        type=int,
        default=4,
        help="fake Twilio processes sharing its port (one could cap the ceiling)",
    )
    parser.add_argument("--post", nargs=5, help=argparse.SUPPRESS)  # a baseline child
    args = parser.parse_args()
    if args.post:
        client, url, count, concurrency, offset = args.post
        post(client, url, int(count), int(concurrency), int(offset))
        return

    # One run at a time: they would flush each other's Redis db.
    lock = (Path(tempfile.gettempdir()) / "organize-bench-broadcast.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit("another bench/broadcast.py is running")
    # SIGTERM (timeout, CI) unwinds like Ctrl-C, so the finally below still cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    database = Database(args.postgres_url, f"organize_bench_{os.getpid()}")
    logs = Path(tempfile.mkdtemp(prefix="bench-broadcast-"))
    bench: Bench | None = None
    database.create()
    try:
        bench = Bench(args, database, logs)
        if args.rate_check:
            bench.populate(args.rate_subscribers)
            report_rate(args, [rate_check(bench, args, w) for w in args.workers])
        else:
            bench.populate(args.subscribers)
            report(args, throughput(bench, args))
        if not args.keep_logs:
            shutil.rmtree(logs)
    finally:
        if logs.exists():
            print(f"worker logs kept in {logs}")
        if bench is not None:
            bench.redis.flushdb()
            with bench.app.app_context():
                from organize.extensions import db

                db.session.remove()
                db.engine.dispose()
        database.drop()


if __name__ == "__main__":
    main()
