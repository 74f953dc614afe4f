"""ZIP code → state, offline: the three-digit prefix decides (data/zip3.tsv, from the USPS
prefix list). Enough to pick a state's help and rules; never stored with the person."""

from functools import lru_cache
from pathlib import Path

_TABLE = Path(__file__).resolve().parent / "data" / "zip3.tsv"


@lru_cache(maxsize=1)
def _prefixes() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        first, last, state = line.split("\t")
        for prefix in range(int(first), int(last) + 1):
            table[prefix] = state
    return table


def state_for_zip(text: str) -> str | None:
    """ "94110" or "94110-1234" → "CA"; None for anything that is not a known ZIP code."""
    digits = text.strip().replace(" ", "-").split("-")[0]
    if len(digits) != 5 or not digits.isascii() or not digits.isdigit():
        return None
    return _prefixes().get(int(digits[:3]))
