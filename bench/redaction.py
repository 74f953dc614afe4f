"""Benchmark the redaction pipeline: speed per review, one-off costs, and recall/precision.

Run from the repository root: ``.venv/bin/python bench/redaction.py [--rounds N]``.
Speed is measured here only, never asserted in tests. The baseline is the least any
redaction could do: ``nh3.clean`` plus one ``PhoneNumberMatcher`` pass over the same texts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_t0 = time.perf_counter()
import organize  # noqa: E402,F401 - timed on its own: the app package pulls in Flask

_t1 = time.perf_counter()
from organize.redaction import redact  # noqa: E402

_t2 = time.perf_counter()
from organize.redaction.names import gazetteer  # noqa: E402
from organize.redaction.scoring import TYPES, Case, Score, load_cases, score  # noqa: E402

DEV_CORPUS = Path(
    os.environ.get("ORGANIZE_PII_CORPUS") or ROOT.parent / "shared" / "pii" / "dev.jsonl"
)
OWN_CASES = ROOT / "tests" / "redaction" / "cases.jsonl"
HELD_OUT = ROOT / "tests" / "redaction" / "heldout.jsonl"  # never used for tuning
HELD_OUT_V2 = ROOT / "tests" / "redaction" / "heldout2.jsonl"  # v2's targets (five languages)
FRESH = ROOT / "tests" / "redaction" / "fresh.jsonl"  # written after v2's tuning, never tuned on

# Run in a fresh interpreter: the gazetteer's memory and build time, with and without the
# lists built from names-dataset (data/gazetteer_*.txt), so what v2 adds is measured alone.
_GAZETTEER_PROBE = """
import sys, time
sys.path.insert(0, {root!r})
import organize.redaction.names as names
if {without!r}:
    names._built = lambda filename: set()
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
import faker.providers.person.en_US, organize.redaction  # imports are not the gazetteer's
before, start = rss(), time.perf_counter()
names.gazetteer()
print(rss() - before, time.perf_counter() - start)
"""


def _baseline(text: str, lang: str) -> None:
    import nh3
    from phonenumbers import Leniency, PhoneNumberMatcher

    nh3.clean(text)
    list(PhoneNumberMatcher(text, "US", leniency=Leniency.POSSIBLE))


def _times(fn: Callable[[str, str], object], cases: list[Case], rounds: int) -> list[float]:
    """Seconds per call, every case ``rounds`` times, after one warm-up pass."""
    for case in cases:
        fn(case.text, case.lang)
    samples = []
    for _ in range(rounds):
        for case in cases:
            start = time.perf_counter()
            fn(case.text, case.lang)
            samples.append(time.perf_counter() - start)
    return samples


def _ms(samples: list[float], quantile: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000


def _gazetteer_cost() -> None:
    """Print the memory and first-call time the names-dataset lists add to a worker."""
    import subprocess

    figures = {}
    for without in (True, False):
        code = _GAZETTEER_PROBE.format(root=str(ROOT), without=without)
        runs = []
        for _ in range(3):  # the fastest of three: the machine may be busy
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            rss, seconds = out.stdout.split()
            runs.append((int(rss) / 2**20, float(seconds) * 1000))
        figures[without] = min(runs, key=lambda run: run[1])
    (mb_v1, ms_v1), (mb_v2, ms_v2) = figures[True], figures[False]
    print(f"gazetteer without names-dataset lists: {mb_v1:.1f} MB, {ms_v1:.0f} ms")
    print(f"gazetteer with them (v2):              {mb_v2:.1f} MB, {ms_v2:.0f} ms")
    print(f"added by v2's lists:                   {mb_v2 - mb_v1:.1f} MB, {ms_v2 - ms_v1:.0f} ms")


def _report(name: str, cases: list[Case], rounds: int) -> None:
    result: Score = score(cases, lambda text, lang: redact(text, lang).text)
    pipeline = _times(redact, cases, rounds)
    baseline = _times(_baseline, cases, rounds)
    median, base = statistics.median(pipeline) * 1000, statistics.median(baseline) * 1000
    print(f"\n== {name}: {len(cases)} reviews x {rounds} rounds")
    for kind in (*TYPES, "URL"):
        recall = result.recall(kind)
        if recall is not None:
            counts = f"{result.found.get(kind, 0)}/{result.total[kind]}"
            print(f"  recall {kind:<8} {recall:6.3f}  ({counts})")
    print(
        f"  precision       {result.precision:6.3f}  ({result.kept_words}/{result.all_words} words)"
    )
    print(f"  employer words lost {len(result.lost_keep)}  {result.lost_keep[:5]}")
    for miss in result.misses[:10]:
        print(f"  missed {miss}")
    print(f"  pipeline median {median:.3f} ms  p95 {_ms(pipeline, 0.95):.3f} ms")
    print(
        f"  baseline median {base:.3f} ms  p95 {_ms(baseline, 0.95):.3f} ms  (nh3.clean + matcher)"
    )
    print(f"  ratio pipeline/baseline {median / base:.2f}x")


def main() -> None:
    """Print one-off costs, then figures for each corpus present."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    start = time.perf_counter()
    gazetteer()
    built = time.perf_counter() - start
    start = time.perf_counter()
    redact("warm 555-1234 maria@example.com <b>x</b>", "es")  # phonenumbers, babel, regexes
    first = time.perf_counter() - start
    print(f"import organize (app package, Flask): {(_t1 - _t0) * 1000:.1f} ms")
    print(f"import organize.redaction on top:     {(_t2 - _t1) * 1000:.1f} ms")
    print(f"gazetteer build (one-off):            {built * 1000:.1f} ms")
    print(f"first redact after that (lazy libs):  {first * 1000:.1f} ms")
    _gazetteer_cost()
    if DEV_CORPUS.exists():
        _report(f"dev corpus {DEV_CORPUS}", load_cases(DEV_CORPUS), args.rounds)
    else:
        print(f"\n== dev corpus absent ({DEV_CORPUS}); skipped")
    _report(f"own cases {OWN_CASES.relative_to(ROOT)}", load_cases(OWN_CASES), args.rounds)
    _report(f"held-out {HELD_OUT.relative_to(ROOT)}", load_cases(HELD_OUT), args.rounds)
    _report(f"held-out v2 {HELD_OUT_V2.relative_to(ROOT)}", load_cases(HELD_OUT_V2), args.rounds)
    _report(f"fresh {FRESH.relative_to(ROOT)}", load_cases(FRESH), args.rounds)


if __name__ == "__main__":
    main()
