"""Build the name lists redaction loads, from the ``names-dataset`` package (dev-only).

Run from the repository root, offline: ``.venv/bin/python scripts/build_gazetteer.py``.
It writes ``organize/redaction/data/gazetteer_first.txt`` and ``gazetteer_last.txt``: folded
(lower-case, no accents) Latin-script names, one a line, sorted, so the build is reproducible
and a diff shows what changed. The pipeline never imports ``names_dataset``: it is ~55 MB of
pickles and takes seconds to load; the files written here are small and load in milliseconds.

What goes in, and why:
- the countries of origin of US low-wage and migrant workers (below), plus the US itself;
- per country, names ranked within ``FIRST_RANK`` / ``LAST_RANK`` there (the dataset ranks
  each name by frequency per country): frequent enough to be somebody's name, rare entries
  (typos, one-offs) left out;
- not a common word in English, Spanish, Tagalog or Kreyòl: the word lists the project ships
  (``data/common_words.txt``, ``data/not_names.txt``, Faker's en_US and tl_PH lorem lists, and
  every word of the project's own es/tl/ht/zh/en catalogs), so "Joy" or "Will" never become a
  name on their own here (the Faker-built lists keep their own, context-only, ambiguous set).
"""

from __future__ import annotations

import gzip
import importlib
import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from organize.redaction.names import fold  # noqa: E402

#: Thresholds (ranks within a country); committed so the build is reproducible.
FIRST_RANK = 1500
LAST_RANK = 1500
MIN_LENGTH = 3
COUNTRIES = (
    # Mexico, Central America, the Spanish-speaking Caribbean and South America
    "MX", "GT", "SV", "HN", "NI", "CR", "PA", "BZ", "DO", "PR", "CU", "CO", "EC", "PE", "VE",
    "BO",
    # Haiti and the English-speaking Caribbean
    "HT", "JM", "TT",
    # the Philippines, China, Vietnam, Korea and the rest of East and South-East Asia
    "PH", "CN", "TW", "HK", "VN", "KR", "ID", "MY",
    # South Asia
    "IN", "PK", "BD", "NP", "LK",
    # Nigeria, West and East Africa
    "NG", "GH", "SN", "CI", "CM", "BF", "ML", "ET", "KE", "SO", "SD", "UG", "CD",
    # the Arab world
    "EG", "MA", "DZ", "TN", "LY", "SA", "IQ", "JO", "LB", "SY", "YE", "PS", "AE", "KW",
    # others present in the workforce, and the US itself
    "AF", "IR", "TR", "RU", "UA", "PL", "RO", "BR", "US",
    # Where the dataset has no ranks for a country of origin (Vietnam, Kenya, Senegal, Pakistan,
    # Nepal, Somalia, the Dominican Republic, Cuba, Venezuela, Nicaragua ...: 19 of the above),
    # the places their migrant workers are counted stand in: the Gulf states, Macau, Singapore.
    "QA", "OM", "BH", "MO", "SG",
)  # fmt: skip
_LATIN_NAME = re.compile(r"[a-z][a-z'-]*[a-z]")
_WORD = re.compile(r"[^\W\d_]+")
DATA = ROOT / "organize" / "redaction" / "data"


def common_words() -> set[str]:
    """Folded everyday words in en/es/tl/ht from word lists the project already ships."""
    words: set[str] = set()
    for name in ("common_words.txt", "not_names.txt"):
        text = (DATA / name).read_text(encoding="utf-8")
        words |= {fold(w) for line in text.splitlines() for w in line.split("#", 1)[0].split()}
    for locale in ("en_US", "tl_PH", "fil_PH", "es_ES", "es_MX"):
        try:
            module = importlib.import_module(f"faker.providers.lorem.{locale}")
        except ModuleNotFoundError:
            continue
        words |= {fold(w) for w in getattr(module.Provider, "word_list", ())}
    for catalog in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        text = catalog.read_text(encoding="utf-8")
        words |= {fold(w) for w in _WORD.findall(text) if len(w) > 2}
    return words


def top_names(table: dict[str, dict[str, dict[str, float]]], max_rank: int) -> set[str]:
    """Folded Latin-script one-word names ranked within ``max_rank`` in any of ``COUNTRIES``."""
    wanted = set(COUNTRIES)
    names: set[str] = set()
    for name, info in table.items():
        ranks = info.get("rank") or {}
        if not any(rank <= max_rank for country, rank in ranks.items() if country in wanted):
            continue
        key = fold(name)
        if len(key) >= MIN_LENGTH and _LATIN_NAME.fullmatch(key):
            names.add(key)
    return names


def _load(filename: str) -> dict[str, dict[str, dict[str, float]]]:
    import names_dataset  # the dev-only package; its data ships inside it, nothing is fetched

    path = Path(names_dataset.__file__).resolve().parent / "v3" / filename
    with gzip.open(path, "rb") as handle:
        table: dict[str, dict[str, dict[str, float]]] = pickle.load(handle)  # noqa: S301
    return table


def main() -> None:
    """Write the two lists and print their sizes."""
    common = common_words()
    for filename, rank, out in (
        ("first_names.pkl.gz", FIRST_RANK, "gazetteer_first.txt"),
        ("last_names.pkl.gz", LAST_RANK, "gazetteer_last.txt"),
    ):
        names = top_names(_load(filename), rank) - common
        header = (
            f"# Built by scripts/build_gazetteer.py from names-dataset: rank <= {rank} in any of"
            f" {len(COUNTRIES)} countries, common en/es/tl/ht words dropped. Do not edit.\n"
        )
        (DATA / out).write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
        print(f"{out}: {len(names)} names")


if __name__ == "__main__":
    main()
