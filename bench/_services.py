"""What the alert benchmark runs against: its own PostgreSQL database, a Redis db, the fake Twilio
as a process, RQ worker processes, and a sampler of their memory. Loopback only; Linux (/proc).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from bench import _cpu
from tests.processes import children_by_parent, descendants, signal_family

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(**settings: object) -> dict[str, str]:
    """The environment for a child process: this one's, the repository importable, overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TWILIO_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env.update({name: str(value) for name, value in settings.items()})
    return env


class Database:
    """A database created for this run and dropped at the end (even with connections open)."""

    def __init__(self, server_url: str, name: str) -> None:
        self.server = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.name = name
        self.url = str(sa.make_url(server_url).set(database=name).render_as_string(False))

    def create(self) -> None:
        """A fresh, empty database (a leftover of the same name is dropped first)."""
        with self.server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))

    def drop(self) -> None:
        """Gone, whoever is still connected."""
        with self.server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.server.dispose()


class FakeProcess:
    """`python -m tests.faketwilio --port P`: its own interpreter, so it has a GIL to itself.
    It answers from one event loop (aiohttp), or with `threads` a thread per connection.

    With `processes` > 1 that many fakes share the port (SO_REUSEPORT: the kernel spreads the
    connections), so one interpreter's CPU does not cap what the clients can push; each also
    listens on a control port of its own, and `counts` / `cpu_seconds` add theirs up."""

    def __init__(self, *, threads: bool = False, processes: int = 1) -> None:
        self.port = free_port()
        self.procs: list[subprocess.Popen[bytes]] = []
        self.controls: list[str] = []
        shared = processes > 1 and not threads
        try:
            for _ in range(processes if shared else 1):
                flags = ["--threads"] if threads else []
                if shared:
                    control = free_port()
                    flags += ["--control-port", str(control)]
                    self.controls.append(f"http://127.0.0.1:{control}")
                self.procs.append(self._start(flags))
        except BaseException:
            self.stop()
            raise
        self.url = f"http://127.0.0.1:{self.port}"
        self.controls = self.controls or [self.url]
        self.proc = self.procs[0]

    def _start(self, flags: list[str]) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faketwilio", "--port", str(self.port), *flags],
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline().decode().strip()  # printed once it listens
        if not line.startswith("http://127.0.0.1:"):
            stop(proc)
            proc.stdout.close()
            raise RuntimeError(f"the fake Twilio did not start: {line!r}")
        return proc

    def __enter__(self) -> FakeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def counts(self) -> dict[str, int]:
        """Messages received per recipient, by all the fake's processes."""
        total: dict[str, int] = {}
        for control in self.controls:
            url = f"{control}/_fake/messages"  # http://127.0.0.1:port, from the fake itself
            with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310
                counts: dict[str, int] = json.load(answer)["counts"]
            for number, count in counts.items():
                total[number] = total.get(number, 0) + count
        return total

    def cpu_seconds(self) -> float:
        """CPU time the fake's processes have used so far (user + system)."""
        return sum(self.cpu_each())

    def cpu_each(self) -> list[float]:
        """CPU time each of the fake's processes has used so far."""
        return [_cpu.own_seconds(proc.pid) for proc in self.procs]

    def stop(self) -> None:
        """Stop the processes (their record goes with them)."""
        for proc in self.procs:
            stop(proc)
            if proc.stdout is not None:
                proc.stdout.close()


def stop(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """SIGTERM the process, its group and its descendants' groups; SIGKILL what is left."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is None:
            signal_family(proc.pid, sig)
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
    proc.wait(timeout=grace)


def start_worker(
    env: dict[str, str], log: IO[bytes], command: list[str]
) -> subprocess.Popen[bytes]:
    """One RQ worker (`command` after the interpreter), in a session of its own."""
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _hwm_kb(pid: int) -> int:
    """VmHWM of a process in kB (the kernel's own high-water mark); 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    """Pss of a process in kB; 0 once it is gone. Pss shares each page among the processes
    that map it, so a forked scheduler or horse is not counted twice in a sum. Costly: the
    kernel walks the process's page tables."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Memory:
    """What the sampler saw of one worker: the largest single process (the worker, its
    scheduler or a work-horse; VmHWM) and the largest Pss sum over them at one time."""

    peak_process_kb: int = 0
    peak_total_kb: int = 0


class MemorySampler:
    """Polls /proc for each worker and every process below it: each process's VmHWM every
    `interval` seconds (cheap, and the kernel keeps the peak between reads), the process tree
    and the Pss sum every `every` intervals. The sampler shares the cores it measures: walking
    /proc and every page table four times a second cost 11-14 µs of CPU per message at W = 2
    (bench/broadcast.py's "driver"), about 3 % of the machine. A process that starts and
    ends between two walks of the tree (a batch job that found nothing to send) is not seen."""

    def __init__(
        self, workers: list[subprocess.Popen[bytes]], interval: float = 0.25, every: int = 4
    ) -> None:
        self.workers, self.interval, self.every = workers, interval, every
        self.memory = {proc.pid: Memory() for proc in workers}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        tick = 0
        trees: dict[int, list[int]] = {}
        while not self._stop.is_set():
            whole = tick % self.every == 0
            if whole:
                children = children_by_parent()
                trees = {p.pid: [p.pid, *descendants(p.pid, children)] for p in self.workers}
            for proc in self.workers:
                seen = self.memory[proc.pid]
                for pid in trees[proc.pid]:
                    seen.peak_process_kb = max(seen.peak_process_kb, _hwm_kb(pid))
                if whole:
                    total = sum(_pss_kb(pid) for pid in trees[proc.pid])
                    seen.peak_total_kb = max(seen.peak_total_kb, total)
            tick += 1
            self._stop.wait(self.interval)
