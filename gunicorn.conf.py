"""gunicorn settings for production (`gunicorn -c gunicorn.conf.py wsgi:app`; the Procfile uses it).

Sized for a 2-core server shared with PostgreSQL, Redis and the RQ workers: three sync worker
processes. Measured with bench/webhook.py (PostgreSQL + Redis, the same machine and run order):
sync served the text line about twice what gthread (2 × 4 threads) did — 0.20–0.21 of the bare
baseline vs 0.07–0.12 — because a text's waits are short Redis and database round trips, while
threads in one process queue for the GIL. A third worker keeps a core busy while another waits
on a round trip: under a burst at twice capacity, two workers answered 78 % of the texts within
Twilio's 15 s, three answered 99.9–100 %. Sync workers leave slow clients to the reverse proxy,
which buffers requests (deploy/ has Caddy) — and, since gunicorn closes each connection
gracefully (RFC 9112 §9.6: after the answer a sync worker waits, up to 2 s, for the client to
close its side; seen in py-spy as `util.close_graceful`), without the proxy every text would hold
a worker for one more round trip to Twilio. Override with GUNICORN_WORKERS / GUNICORN_THREADS /
GUNICORN_WORKER_CLASS / BIND without editing this file (threads above 1 make gunicorn use gthread).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")  # the reverse proxy is the only way in
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
# Twilio gives a webhook 15 s in all: a request still running after 20 s is lost anyway.
timeout = 20
graceful_timeout = 20  # SIGTERM: requests in flight finish, then the workers exit
# A burst waits here while the text line keeps texts for later (sms/overload.py reads this
# queue): deeper than gunicorn's 2048, within the kernel's somaxconn (4096 on Debian).
backlog = 4096
keepalive = 5  # the proxy keeps connections open to us
# Recycle workers now and then (slow leaks in libraries) — but not every few seconds: at a
# burst's 1,000–2,000 texts a second, 5,000 requests was a fresh worker every 10–15 s, each
# starting with cold caches (SQL compilation, connections) while Twilio waits.
max_requests = 50000
max_requests_jitter = 5000
# Built once in the master and shared by the forked workers (copy-on-write); connections are
# never inherited (see post_fork).
preload_app = True
# No access log: it would hold client addresses (promise 1). Errors still go to stderr,
# through organize.plumbing.logscrub.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
forwarded_allow_ips = "127.0.0.1,::1"
proc_name = "organize-web"


def when_ready(server: object) -> None:
    """Before the workers are forked: configure SQLAlchemy's mappers once in the master (each
    worker otherwise does it on its first query, a few hundred ms of CPU, again after every
    recycle, while Twilio waits), then freeze what the master has built: the garbage
    collector's full passes in a worker then walk only what that worker made, not the whole
    loaded app, and leave the shared pages unwritten (as the RQ worker does). It did not move
    the text line's p99 at half capacity in bench/webhook.py (41–51 ms either way that day)."""
    import gc
    import sys

    if sys.modules.get("wsgi") is not None:  # not for another app (bench/baseline_app.py)
        from sqlalchemy.orm import configure_mappers

        configure_mappers()
    gc.collect()
    gc.freeze()


def post_fork(server: object, worker: object) -> None:
    """Drop database connections the master may have opened while loading the app; show the
    text line its queues (the accept queue, and gthread's own), to know when it runs late."""
    import sys

    wsgi = sys.modules.get("wsgi")  # imported in the master (preload_app) when serving organize
    if wsgi is None:
        return  # another app (bench/baseline_app.py under the same settings)
    from organize.extensions import db
    from sms import overload

    with wsgi.app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
    overload.watch_worker(worker)


def child_exit(server: object, worker: object) -> None:
    """Prometheus multi-process mode: a dead worker's live gauges must not linger."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
