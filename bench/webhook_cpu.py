"""CPU per text of `POST /sms/inbound`, in process: the WSGI app called directly, without
gunicorn, a client or wrk on the same cores — so a shared machine blurs it less than
bench/webhook.py's ratio (issue 12), and a change of 50 µs shows.

Run from the repository root: ``.venv/bin/python bench/webhook_cpu.py [--texts N] [--rounds R]``.
PostgreSQL and Redis when `BENCH_DATABASE_URL` / `BENCH_REDIS_URL` are set (else SQLite, no
Redis), migrated and seeded as bench/webhook.py does. The texts are bench/webhook.py's capacity
mix (`signed_requests`: each sender walks RIGHTS, "1", HELP), with the reply budget lifted so
that every text is answered (bench/webhook.py's senders pass it, and then cost less). Prints
the process CPU (`time.process_time`) per text, by body, the median over rounds; then, counted
in a separate pass, Redis commands and SQL statements per text. To compare two trees, run it
in each, alternately (ABAB), and compare medians. It counts the web process only: Redis's and
PostgreSQL's own CPU come on top, on the same cores, under gunicorn.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/...`

from bench.webhook import app_environment, prepare_database, signed_requests

PORT = 8000  # only signed into the URL: nothing listens
WARM_UP = 600  # three texts per sender: languages cached, statements compiled


def environ(body: bytes, signature: str) -> dict[str, Any]:
    """What gunicorn hands the app for one signed text."""
    return {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/sms/inbound",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": f"127.0.0.1:{PORT}",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_TWILIO_SIGNATURE": signature,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(PORT),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def texts(count: int, account_sid: str) -> list[tuple[str, dict[str, Any]]]:
    """(body, environ) of `count` fresh signed texts of the capacity mix."""
    made = []
    for body, signature in signed_requests(PORT, count, account_sid):
        said = body.split(b"&Body=", 1)[1].split(b"&", 1)[0].decode()
        made.append((said, environ(body, signature)))
    return made


def main() -> None:
    """Set up, warm up, time the rounds, count round trips, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=3000, help="texts per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    workdir = Path(tempfile.gettempdir())  # SQLite: a file kept for the next run (seeded once)
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'cpu.db'}"
    env = app_environment(database_url, {})
    env["SMS_REPLY_BUDGET"] = str(10**9)
    prepare_database(env)
    os.environ.update(env)

    import redis
    import sqlalchemy as sa
    from sqlalchemy.orm import configure_mappers

    from organize import create_app
    from organize.extensions import db

    app = create_app()
    configure_mappers()  # as gunicorn.conf.py's when_ready does in the master
    gc.collect()
    gc.freeze()
    account_sid = "AC" + "0" * 32
    statuses: Counter[str] = Counter()

    def start_response(status: str, headers: list[tuple[str, str]], *_: object) -> None:
        statuses[status] += 1

    def answer(environ: dict[str, Any]) -> None:
        b"".join(app(environ, start_response))

    for _, warm in texts(WARM_UP, account_sid):
        answer(warm)
    per_body: dict[str, list[float]] = defaultdict(list)
    overall: list[float] = []
    for _ in range(args.rounds):
        spent: dict[str, float] = defaultdict(float)
        seen: Counter[str] = Counter()
        batch = texts(args.texts, account_sid)
        for body, prepared in batch:
            started = time.process_time()
            answer(prepared)
            spent[body] += time.process_time() - started
            seen[body] += 1
        for body in seen:
            per_body[body].append(spent[body] / seen[body] * 1e6)
        overall.append(sum(spent.values()) / len(batch) * 1e6)

    counted: Counter[str] = Counter()
    sent = redis.connection.AbstractConnection.send_packed_command

    def counting(self: Any, *a: Any, **k: Any) -> Any:
        counted["redis"] += 1
        return sent(self, *a, **k)

    def statement(*_: Any) -> None:
        counted["sql"] += 1

    redis.connection.AbstractConnection.send_packed_command = counting  # type: ignore[method-assign]
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", statement)
    sample = texts(300, account_sid)
    for _, prepared in sample:
        answer(prepared)

    backend = database_url.split(":")[0].split("+")[0]
    redis_note = "Redis" if os.environ.get("BENCH_REDIS_URL") else "no Redis"
    print(f"POST /sms/inbound in process, {backend} + {redis_note}, {args.rounds} rounds")
    print(
        f"  all texts   {statistics.median(overall):7.0f} µs CPU per text (rounds: "
        + ", ".join(f"{v:.0f}" for v in overall)
        + ")"
    )
    for body, values in sorted(per_body.items()):
        print(f"  {body:10s}  {statistics.median(values):7.0f} µs")
    print(
        f"  per text: {counted['redis'] / len(sample):.2f} Redis commands, "
        f"{counted['sql'] / len(sample):.2f} SQL statements; statuses {dict(statuses)}"
    )


if __name__ == "__main__":
    main()
