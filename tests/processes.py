"""Process families on Linux, read from /proc: the kill test's and the benchmarks' helpers.

An RQ worker forks its scheduler and a work-horse per job; signalling only the worker's pid
would leave them behind, so these walk the tree and signal every process group in it.
"""

import os
import time
from collections.abc import Callable
from pathlib import Path


def children_by_parent() -> dict[int, list[int]]:
    """Every live process's children, from one pass over /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    return children


def descendants(pid: int, children: dict[int, list[int]] | None = None) -> list[int]:
    """Every live process below `pid`."""
    children = children_by_parent() if children is None else children
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def signal_family(pid: int, sig: int) -> list[int]:
    """Send `sig` to `pid`, everything below it and their process groups (never our own group).
    Returns the family as it was found."""
    family = [pid, *descendants(pid)]
    groups = set()
    for member in family:
        try:
            groups.add(os.getpgid(member))
        except ProcessLookupError:
            continue
    groups.discard(os.getpgrp())
    for group in groups:
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            pass
    for member in family:
        try:
            os.kill(member, sig)
        except ProcessLookupError:
            pass
    return family


def wait_for(
    condition: Callable[[], bool],
    seconds: float,
    what: str,
    detail: Callable[[], str] | None = None,
    every: float = 0.05,
) -> float:
    """Poll `condition()` until true; returns the monotonic time it became true. On timeout
    raises TimeoutError naming `what`, with `detail()` read then (a log's tail, say)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            extra = f"\n{detail()}" if detail is not None else ""
            raise TimeoutError(f"gave up after {seconds:.0f} s waiting for {what}{extra}")
        time.sleep(every)
    return time.monotonic()
