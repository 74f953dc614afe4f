"""bench/_cpu.py's accounting: the benchmarks' CPU budgets (where a message's CPU went) must
count a process that ended during the measurement once, through the parent that reaped it,
and only for what it used after the first snapshot: a work-horse, a ceiling's client."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import _cpu

# Burns `BURN` s of CPU, says "ready", waits for a line, burns `BURN` s again, exits.
BURN = 0.3
CHILD = f"""
import sys, time
def burn():
    end = time.process_time() + {BURN}
    while time.process_time() < end:
        pass
burn()
print("ready", flush=True)
sys.stdin.readline()
burn()
"""

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/stat"), reason="reads Linux's /proc")


def _burnt_once() -> subprocess.Popen[bytes]:
    """CHILD, started and through its first burn."""
    child = subprocess.Popen(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdin is not None
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"ready"
    return child


def test_a_process_that_ends_counts_once_for_what_it_used_after_the_first_snapshot():
    me = os.getpid()
    child = _burnt_once()

    def ours(pid: int, comm: str, cmdline: str) -> str | None:
        return "ours" if pid in (me, child.pid) else None

    before = _cpu.snapshot(ours)
    assert before.processes[child.pid][1] >= BURN - 0.02  # its first burn is before the window
    child.stdin.write(b"go\n")
    child.stdin.close()
    child.wait(timeout=30)  # reaped by this process: its CPU now counts in ours
    child.stdout.close()
    after = _cpu.snapshot(ours)
    assert child.pid not in after.processes

    split = _cpu.between(before, after, items=1000)
    spent = split.groups["ours"]
    # The second burn, once: not its first (before the window), not twice (child and reaper).
    assert BURN - 0.02 <= spent < 1.5 * BURN
    # The machine's busy time holds every group's, up to the kernel's two ways of counting
    # (/proc/stat's ticks against a process's own times: 0.31 against 0.33 s seen in CI).
    assert split.machine >= 0.85 * spent - 0.02
    assert split.per_item("ours") == pytest.approx(spent / 1000 * 1e6)
    assert "ours" in split.describe(["ours"])


def test_splits_of_rounds_add_up():
    one = _cpu.Split(10, 1.0, {"web": 0.002, "Redis": 0.001}, 0.004)
    two = _cpu.Split(30, 2.0, {"web": 0.006}, 0.008)
    both = one + two
    assert (both.items, both.seconds, both.machine) == (40, 3.0, 0.012)
    assert both.groups == pytest.approx({"web": 0.008, "Redis": 0.001})
    assert both.per_item("web") == pytest.approx(200.0)
    assert both.machine_per_item == pytest.approx(300.0)
    assert _cpu.Split().describe(["web"]) == "nothing measured"


def test_an_ended_child_not_yet_reaped_counts_in_its_parents_group():
    """A zombie has no command line left, and its CPU is in no parent's yet: a work-horse that
    has sent its last message when the measurement ends (bench/broadcast.py counted it as
    "other" processes)."""
    me = os.getpid()
    child = _burnt_once()

    def parent_only(pid: int, comm: str, cmdline: str) -> str | None:
        return "ours" if pid == me else None

    before = _cpu.snapshot(parent_only)
    child.stdin.write(b"go\n")
    child.stdin.close()
    stat = f"/proc/{child.pid}/stat"
    for _ in range(3000):  # until it has exited, unreaped
        if Path(stat).read_text().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.01)
    else:
        pytest.fail("the child did not end")
    after = _cpu.snapshot(parent_only)
    child.wait(timeout=30)
    child.stdout.close()

    assert after.processes[child.pid][0] == "ours"
    spent = _cpu.between(before, after, items=1).groups["ours"]
    assert BURN - 0.02 <= spent < 1.5 * BURN
