"""`make serve` (`python -m organize.ops.serve`): the whole service in production mode.

Refuses to start, naming what is missing, unless the production settings are there (from the
environment or a `.env` file beside the Procfile, as honcho reads it). Then it brings the
database to the newest migration, empties the metrics directory, and runs the Procfile's
processes (web, worker, cron) with honcho.

On SIGTERM or Ctrl-C honcho passes SIGTERM to every process: gunicorn finishes the requests in
flight, the RQ worker lets its running job finish (rq's warm shutdown; a send batch writes its
outcomes) and the scheduler stops. honcho kills what is still running after KILL_WAIT; we raise
its 5 s to STOP_TIMEOUT (default 60 s). Deliveries a killed batch leaves `sending` are settled
by the reconciler after the lease, so even then nothing is lost or sent twice.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = (
    "SECRET_KEY",
    "PHONE_HASH_KEY",
    "ENCRYPTION_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "PUBLIC_URL",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM",
)


def settings(environ: Mapping[str, str], root: Path = ROOT) -> dict[str, str]:
    """The environment the processes will get: this one, then `.env` on top (honcho's order)."""
    from honcho.environ import parse

    merged = dict(environ)
    env_file = root / ".env"
    if env_file.exists():
        merged.update(parse(env_file.read_text()))
    return merged


def missing(env: Mapping[str, str]) -> list[str]:
    """Required production settings that are unset or empty."""
    return [name for name in REQUIRED if not env.get(name, "").strip()]


def main(argv: list[str] | None = None) -> int:
    """Check, migrate, run. Returns honcho's exit code."""
    env = settings(os.environ)
    env["ORGANIZE_ENV"] = "production"
    absent = missing(env)
    if absent:
        print(  # noqa: T201 - a command-line message
            "Not starting: these production settings are missing: "
            + ", ".join(absent)
            + ".\nSet them in the environment or in .env"
            " (see README, Deploy on one Debian server).",
            file=sys.stderr,
        )
        return 2
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    # Every process imports this checkout (not another copy an editable install points at).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    metrics_dir = Path(
        env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(ROOT / "instance" / "metrics"))
    )
    shutil.rmtree(metrics_dir, ignore_errors=True)  # counters of a previous run are stale
    metrics_dir.mkdir(parents=True, exist_ok=True)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    upgrade = subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=False)  # noqa: S603
    if upgrade.returncode:
        print("Not starting: the database migration failed (see above).", file=sys.stderr)  # noqa: T201
        return 2
    os.environ.clear()
    os.environ.update(env)
    os.chdir(ROOT)
    from honcho import command, manager

    manager.KILL_WAIT = int(env.get("STOP_TIMEOUT", "60"))
    try:
        command.main(["start", "-f", str(ROOT / "Procfile"), *(argv or [])])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
