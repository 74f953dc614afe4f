"""Benchmark the employer directory's search on PostgreSQL at national scale.

Run from the repository root: ``.venv/bin/python bench/directory.py [--employers 400000]``.
It creates `organize_directory_bench` (and `organize_directory_bench_plain`, the same rows
without the trigram indexes), fills it with N generated employers (a tenth with an alias), then
times `organize.directory.search` for a known name, a miss, a one-letter typo, a city and random
letters: in-process (median and p95 over `--rounds`) and through gunicorn (2 sync workers,
`GET /employers?q=…`), against the same queries on the unindexed copy (the ratio). It checks the
typo finds the name first and random letters find nothing, and reports the web workers' memory
before and after the searches. Targets print as PASS/FAIL lines; the exit status ignores them.
Both databases are dropped at the end unless `--keep`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._services import Database, child_env, free_port, stop  # noqa: E402
from organize import create_app, directory  # noqa: E402
from organize.extensions import db  # noqa: E402
from organize.models import Base  # noqa: E402
from organize.models.employers import PG_SEARCH_BACKFILL, PG_SEARCH_DDL  # noqa: E402
from organize.plumbing.text import match_key, name_key, slugify  # noqa: E402

KEYS = {
    "SECRET_KEY": "bench-secret-key",
    "PHONE_HASH_KEY": "bench-phone-hash-key",
    "ENCRYPTION_KEY": "mJ9vnHkPo7yTQk0f3Zm2rVjkYx8o1dV5Yh0cQ6cX5xY=",
}
CITIES = [
    *"Houston|Dallas|Austin|San Antonio|El Paso|Fort Worth|Phoenix|Tucson|Los Angeles".split("|"),
    *"San Diego|San Jose|Fresno|Sacramento|Oakland|Bakersfield|Denver|Las Vegas".split("|"),
    *"Albuquerque|Chicago|Detroit|Milwaukee|Minneapolis|Omaha|Kansas City|St Louis".split("|"),
    *"Memphis|Nashville|Atlanta|Miami|Orlando|Tampa|Jacksonville|Charlotte|Raleigh".split("|"),
    *"Richmond|Baltimore|Philadelphia|Newark|New York|Boston|Providence|Hartford".split("|"),
    *"Pittsburgh|Cleveland|Columbus|Indianapolis|Louisville|New Orleans|Birmingham".split("|"),
    *"Oklahoma City|Tulsa|Salt Lake City|Boise|Portland|Seattle|Spokane|Anchorage".split("|"),
    *"Honolulu|Yakima|Salinas|Immokalee|Homestead|Brownsville|Laredo|McAllen|Dalton".split("|"),
]
TRADES = (
    "Cleaning|Janitorial|Construction|Roofing|Drywall|Painting|Landscaping|Farms|Produce|Dairy|"
    "Packing|Warehouse|Logistics|Staffing|Restaurant|Grill|Taqueria|Kitchen|Bakery|Catering|"
    "Car Wash|Auto Detail|Nails|Salon|Home Care|Senior Care|Daycare|Laundry|Market|Meats|"
    "Poultry|Seafood|Hotel|Suites|Framing|Concrete|Plumbing|Electric|Movers|Recycling"
).split("|")
WORDS = (
    "Sunrise|Golden|Lone Star|Eagle|Premier|Royal|United|Family|Bright|Green Valley|Blue Sky|"
    "Silver|Pacific|Atlantic|Southern|Northern|Capital|Metro|Liberty|Pioneer|Summit|Harvest|"
    "Evergreen|Diamond|Star|Red Rock|Prairie|Coastal|Mountain|River|El Sol|La Estrella|"
    "Los Amigos|San Miguel|Santa Fe|Guadalupe|Jalisco|Oaxaca|Michoacan|Tres Hermanos"
).split("|")
SUFFIXES = ("", "", "", " LLC", " Inc", " Co", " Services", " Group", " & Sons", " Express")
SEARCH_INDEXES = ("ix_employer_search_key_trgm", "ix_employer_word_word_trgm")
SEARCH_TRIGGERS = ("employer", "employer_alias")
KNOWN = ("Sunrise Cleaning", "Houston")
QUERIES = {  # what a worker types; the typo drops one letter of a name that exists
    "known name": "sunrise cleaning",
    "miss": "zephyr quokka tiles",
    "typo": "sunrise cleanig",
    "city": "houston",
    "random letters": "xqzvkwpjd",
}
MEDIAN_TARGET_MS, P95_TARGET_MS = 25.0, 50.0


def generate(count: int, seed: int = 19) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """`count` distinct (name, city) employers, the known one first; aliases for a tenth."""
    from faker import Faker

    faker = Faker("en_US")
    faker.seed_instance(seed)
    surnames = sorted({faker.last_name() for _ in range(3000)})
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    employers: list[dict[str, object]] = []
    aliases: list[dict[str, object]] = []
    while len(employers) < count:
        if not employers:
            name, city = KNOWN
        else:
            head = rng.choice(surnames) if rng.random() < 0.6 else rng.choice(WORDS)
            if rng.random() < 0.3:
                head = f"{rng.choice(WORDS)} {rng.choice(surnames)}"
            name = f"{head} {rng.choice(TRADES)}{rng.choice(SUFFIXES)}"
            city = rng.choice(CITIES)
        key = (name_key(name), match_key(city))
        if key in seen:
            continue
        seen.add(key)
        employer_id = len(employers) + 1
        slug = f"{slugify(name + ' ' + city)}-{employer_id}"
        employers.append(
            {"id": employer_id, "name": name, "slug": slug, "name_key": key[0],
             "city": city, "city_key": key[1], "region": "", "industry": "other",
             "added_by": "import", "status": "approved"}
        )  # fmt: skip
        if rng.random() < 0.1:
            alias = f"{rng.choice(surnames)} {rng.choice(TRADES)}"
            aliases.append({"employer_id": employer_id, "name": alias, "name_key": name_key(alias),
                            "listed": True})  # fmt: skip
    return employers, aliases


def copy_rows(conn: sa.Connection, table: str, rows: list[dict[str, object]]) -> None:
    """COPY, the fastest way in: hundreds of thousands of rows in seconds."""
    columns = list(rows[0])
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:  # type: ignore[union-attr]
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


def build(main: Database, plain: Database, count: int) -> None:
    """Schema (with the search indexes, as `create_all` makes them), rows, then the plain copy."""
    main.create()
    engine = sa.create_engine(main.url)
    started = time.perf_counter()
    employers, aliases = generate(count)
    print(f"generated {len(employers):,} employers, {len(aliases):,} aliases "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        trgm = ("ix_employer_name_key_trgm", "ix_employer_city_key_trgm",
                "ix_employer_alias_name_key_trgm")  # fmt: skip
        for name in trgm + SEARCH_INDEXES:  # loading first and indexing after is much faster
            conn.exec_driver_sql(f"DROP INDEX {name}")
        for trigger in SEARCH_TRIGGERS:  # the search key is filled in one statement after
            conn.exec_driver_sql(f"ALTER TABLE {trigger} DISABLE TRIGGER ALL")
        copy_rows(conn, "employer", employers)
        copy_rows(conn, "employer_alias", aliases)
        for statement in PG_SEARCH_BACKFILL:
            conn.exec_driver_sql(statement)
        for trigger in SEARCH_TRIGGERS:
            conn.exec_driver_sql(f"ALTER TABLE {trigger} ENABLE TRIGGER ALL")
        conn.exec_driver_sql("SELECT setval('employer_id_seq', (SELECT max(id) FROM employer))")
    started = time.perf_counter()
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            for index in table.indexes:
                if index.name in trgm:
                    index.create(conn)
        for statement in PG_SEARCH_DDL:  # the search key's and word list's indexes
            if statement.startswith("CREATE INDEX"):
                conn.exec_driver_sql(statement)
    print(f"trigram indexes built in {time.perf_counter() - started:.1f} s")
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    with main.server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{plain.name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{plain.name}" TEMPLATE "{main.name}"'))
    plain_engine = sa.create_engine(plain.url)
    with plain_engine.begin() as conn:
        for name in trgm + SEARCH_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX {name}")
    plain_engine.dispose()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (the PostgreSQL backend is on this machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process(
    url: str, rounds: int, measure_cpu: bool = True
) -> tuple[dict[str, list[float]], dict[str, list[str]], dict[str, tuple[float, float]]]:
    """Milliseconds per search (a fresh session each, as a request has), the first names, and
    the CPU per search of PostgreSQL's backend and of this process (what a quiet machine would
    wait for: wall time on a busy one also counts other processes' turns)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, **KEYS, "REVIEW_PUBLISH_DELAY": "0"})
    times: dict[str, list[float]] = {label: [] for label in QUERIES}
    first: dict[str, list[str]] = {}
    cpu: dict[str, tuple[float, float]] = {}
    with app.app_context():
        for label, query in QUERIES.items():  # warm-up: plans, caches, the confusables table
            first[label] = [h.employer.name for h in directory.search(query=query).hits[:3]]
            db.session.remove()
        for _ in range(rounds):
            for label, query in QUERIES.items():
                started = time.perf_counter()
                directory.search(query=query)
                db.session.remove()
                times[label].append((time.perf_counter() - started) * 1000)
        for label, query in QUERIES.items() if measure_cpu else ():  # one backend to read
            backend = db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            server, app_cpu = _cpu_seconds(int(backend or 0)), time.process_time()
            for _ in range(rounds):
                directory.search(query=query)
                db.session.rollback()
            cpu[label] = (
                (_cpu_seconds(int(backend or 0)) - server) * 1000 / rounds,
                (time.process_time() - app_cpu) * 1000 / rounds,
            )
            db.session.remove()
        db.engine.dispose()
    return times, first, cpu


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _workers(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def through_gunicorn(url: str, rounds: int) -> tuple[dict[str, list[float]], list[int], list[int]]:
    """Milliseconds per `GET /employers?q=` through gunicorn, and the workers' RSS before/after."""
    port = free_port()
    env = child_env(ORGANIZE_ENV="development", DATABASE_URL=url, REVIEW_PUBLISH_DELAY="0", **KEYS)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/employers?q="
    times: dict[str, list[float]] = {label: [] for label in QUERIES}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(4):  # both workers warm
            for query in QUERIES.values():
                urllib.request.urlopen(base + urllib.parse.quote(query), timeout=30).read()  # noqa: S310
        before = [_rss_kb(pid) for pid in _workers(proc.pid)]
        for _ in range(rounds):
            for label, query in QUERIES.items():
                started = time.perf_counter()
                urllib.request.urlopen(base + urllib.parse.quote(query), timeout=30).read()  # noqa: S310
                times[label].append((time.perf_counter() - started) * 1000)
        after = [_rss_kb(pid) for pid in _workers(proc.pid)]
    finally:
        stop(proc)
    return times, before, after


def report(title: str, indexed: dict[str, list[float]], plain: dict[str, list[float]]) -> None:
    """One table: median and p95, indexed and not, and the ratio of medians."""
    print(f"\n{title}")
    print(f"{'query':<16}{'median':>10}{'p95':>10}{'unindexed median':>20}{'p95':>10}{'ratio':>8}")
    for label in QUERIES:
        a, b = indexed[label], plain[label]
        ratio = statistics.median(b) / statistics.median(a)
        med_a, p95_a, med_b, p95_b = (
            statistics.median(a), percentile(a, 95), statistics.median(b), percentile(b, 95)
        )  # fmt: skip
        print(
            f"{label:<16}{med_a:>8.1f}ms{p95_a:>8.1f}ms{med_b:>18.1f}ms{p95_b:>8.1f}ms{ratio:>7.1f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employers", type=int, default=400_000)
    parser.add_argument("--rounds", type=int, default=40, help="timed searches per query")
    parser.add_argument("--plain-rounds", type=int, default=10, help="… on the unindexed copy")
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://root@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--keep", action="store_true", help="keep both databases")
    parser.add_argument("--reuse", action="store_true", help="use databases kept by --keep")
    args = parser.parse_args()
    main_db = Database(args.postgres_url, "organize_directory_bench")
    plain_db = Database(args.postgres_url, "organize_directory_bench_plain")
    try:
        if not args.reuse:
            build(main_db, plain_db, args.employers)
        indexed, first, cpu = in_process(main_db.url, args.rounds)
        plain, _, _ = in_process(plain_db.url, args.plain_rounds, measure_cpu=False)
        report(f"in-process, {args.employers:,} employers (PostgreSQL)", indexed, plain)
        print("\nCPU per search (indexed): PostgreSQL backend + this process")
        for label, (server, app_cpu) in cpu.items():
            print(f"{label:<16}{server:>8.1f}ms + {app_cpu:>5.1f}ms = {server + app_cpu:>6.1f}ms")
        web, before, after = through_gunicorn(main_db.url, args.rounds)
        web_plain, _, _ = through_gunicorn(plain_db.url, args.plain_rounds)
        report("through gunicorn (2 sync workers, GET /employers?q=…)", web, web_plain)
        print(f"\nload average (1, 5, 15 min) at the end: {os.getloadavg()}")
        print(f"\nweb workers' RSS before/after the searches: {before} / {after} kB")
        print("\nfirst results:", {label: names[:1] for label, names in first.items()})
        checks = {
            "hits, misses, typos: median ≤ 25 ms in-process": all(
                statistics.median(indexed[q]) <= MEDIAN_TARGET_MS
                for q in ("known name", "miss", "typo")
            ),
            "p95 ≤ 50 ms in-process (every query)": all(
                percentile(v, 95) <= P95_TARGET_MS for v in indexed.values()
            ),
            "a one-letter typo finds the name first": first["typo"][:1] == [KNOWN[0]],
            "the known name comes first": first["known name"][:1] == [KNOWN[0]],
            "random letters find nothing": first["random letters"] == [],
            "web worker memory unchanged (±5 %)": all(
                abs(a - b) <= 0.05 * b for a, b in zip(after, before, strict=False)
            ),
        }
        print()
        for check, ok in checks.items():
            print(f"{'PASS' if ok else 'FAIL'}  {check}")
    finally:
        if not args.keep:
            main_db.drop()
            plain_db.drop()


if __name__ == "__main__":
    main()
