"""Where the machine's CPU went while a benchmark measured: per group of processes, per message.

On two cores the benchmarks' ratios are CPU budgets: the client, the server under test, the
fake Twilio, PostgreSQL and Redis share the same cores, so a ratio can be no better than the
ceiling's CPU per message over the pipeline's. This reads that budget from /proc (Linux): each
process's user + system time, plus that of the children it has reaped (an RQ work-horse's CPU
lands in its worker's once the worker has waited for it; a PostgreSQL backend's in the
postmaster's), and the machine's busy time from /proc/stat. What no group claims (the kernel's
interrupts, this driver, anything else running) is "other".
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
Classifier = Callable[[int, str, str], str | None]  # (pid, command name, command line) -> group


def by_name(pid: int, comm: str, cmdline: str) -> str | None:
    """The services every benchmark here shares."""
    if comm.startswith("postgres") or cmdline.startswith("postgres"):
        return "PostgreSQL"
    if comm.startswith("redis-server"):
        return "Redis"
    if "tests.faketwilio" in cmdline:
        return "fake"
    return None


@dataclass
class Snapshot:
    """CPU seconds so far: the machine's (busy, every core) and each process's, with its group."""

    at: float
    busy: float
    processes: dict[int, tuple[str, float]] = field(default_factory=dict)


def _machine_busy() -> float:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    return (sum(fields[:8]) - idle) / TICK  # guest time is already counted in user


def _after_comm(stat: str) -> list[str]:
    """A /proc/<pid>/stat line's fields after the command name (which may hold spaces):
    [0] state, [1] parent, [11:13] own user and system ticks, [13:15] reaped children's."""
    return stat.rsplit(")", 1)[1].split()


def own_seconds(pid: int) -> float:
    """CPU seconds a live process has used itself (user + system), not counting its children."""
    fields = _after_comm(Path(f"/proc/{pid}/stat").read_text())
    return (int(fields[11]) + int(fields[12])) / TICK


def snapshot(classify: Classifier) -> Snapshot:
    """Every process `classify` (or `by_name`) puts in a group, and the machine's busy time. A
    process neither names is in its nearest named ancestor's group: a work-horse that has
    ended but is not yet reaped (a zombie) has no command line left, and its CPU is in no
    parent's yet."""
    taken = Snapshot(time.monotonic(), _machine_busy())
    seen: dict[int, tuple[int, str | None, float]] = {}  # pid: parent, group, CPU seconds
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        pid = int(entry.name)
        fields = _after_comm(stat)
        used = sum(int(v) for v in fields[11:15]) / TICK  # utime, stime, cutime, cstime
        group = classify(pid, comm, cmdline) or by_name(pid, comm, cmdline)
        seen[pid] = (int(fields[1]), group, used)
    for pid, (parent, group, used) in seen.items():
        hops = 0
        while group is None and parent in seen and hops < 16:
            parent, group, _ = seen[parent]
            hops += 1
        if group is not None:
            taken.processes[pid] = (group, used)
    return taken


@dataclass
class Split:
    """CPU per item (µs) by group between two snapshots, and the machine's."""

    items: int = 0
    seconds: float = 0.0
    groups: dict[str, float] = field(default_factory=dict)  # CPU seconds
    machine: float = 0.0

    def __add__(self, other: Split) -> Split:
        """Two measurements of the same thing as one (ABBA rounds)."""
        groups = dict(self.groups)
        for group, spent in other.groups.items():
            groups[group] = groups.get(group, 0.0) + spent
        return Split(
            self.items + other.items,
            self.seconds + other.seconds,
            groups,
            self.machine + other.machine,
        )

    def per_item(self, group: str) -> float:
        return self.groups.get(group, 0.0) / self.items * 1e6 if self.items else 0.0

    @property
    def machine_per_item(self) -> float:
        return self.machine / self.items * 1e6 if self.items else 0.0

    def describe(self, order: list[str]) -> str:
        """`web 712 µs, Redis 53, …, other 40; machine 845 µs (2 cores: at most 2,367/s)`."""
        if not self.items:
            return "nothing measured"
        named = [g for g in order if g in self.groups] + sorted(set(self.groups) - set(order))
        named = [g for g in named if self.per_item(g) >= 0.5] or ["(no group)"]
        other = max(0.0, self.machine - sum(self.groups.values())) / self.items * 1e6
        parts = [f"{g} {self.per_item(g):.0f}" for g in named] + [f"other {other:.0f}"]
        cores = os.cpu_count() or 1
        most = cores / self.machine * self.items if self.machine else 0.0
        return (
            f"{parts[0]} µs, {', '.join(parts[1:])}; machine {self.machine_per_item:.0f} µs"
            f" ({cores} cores: at most {most:,.0f}/s)"
        )


def between(before: Snapshot, after: Snapshot, items: int) -> Split:
    """What each group used between the snapshots, for `items` messages or requests. A process
    that ended meanwhile counts through the parent that reaped it, which has its whole life:
    what it had used by the first snapshot comes off again (its parent is in its group here:
    a client and this driver, a work-horse and its worker, a backend and the postmaster)."""
    groups: dict[str, float] = {}
    for pid, (group, used) in after.processes.items():
        earlier = before.processes.get(pid)
        spent = used - (earlier[1] if earlier and earlier[0] == group else 0.0)
        groups[group] = groups.get(group, 0.0) + spent
    for pid, (group, used) in before.processes.items():
        if pid not in after.processes:
            groups[group] = groups.get(group, 0.0) - used
    groups = {group: max(0.0, spent) for group, spent in groups.items()}
    return Split(items, after.at - before.at, groups, after.busy - before.busy)
