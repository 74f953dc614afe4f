"""Running the service for real (issue 16): health, metrics, error tracking, retention, keys,
`flask doctor`, and the `make serve` runner (`python -m organize.ops.serve`).

`install(app)` is called by the factory; it registers the endpoints, the scheduled jobs (by
importing their modules) and the commands.
"""

from collections.abc import Callable, Iterable
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

keys_cli = AppGroup("keys", help="Encryption keys for stored numbers.")
retention_cli = AppGroup("retention", help="Keep data only as long as needed.")


@keys_cli.command("rotate")
@click.option("--batch", default=500, show_default=True, help="Rows per transaction.")
def keys_rotate(batch: int) -> None:
    """Re-encrypt every stored number with the first ENCRYPTION_KEY."""
    from organize.ops.keys import rotate_numbers

    keys = [k for k in str(current_app.config["ENCRYPTION_KEY"]).split(",") if k.strip()]
    if len(keys) < 2:
        click.echo("Only one key in ENCRYPTION_KEY: put the new key first, the old one after.")
    for table, count in rotate_numbers(batch=batch).items():
        click.echo(f"{table}: {count} re-encrypted")
    click.echo("Done. Once every process runs with the new list, drop the old key from it.")


@retention_cli.command("sweep")
def retention_sweep() -> None:
    """Roll up old deliveries and purge expired state now (it also runs every hour)."""
    from organize.ops.retention import sweep

    for what, count in sweep().items():
        click.echo(f"{what}: {count}")


@click.command("doctor")
def doctor_command() -> None:
    """Check this deployment and say what is wrong."""
    from organize.ops.doctor import FAIL, run

    ops = current_app.extensions.get("ops", {})
    findings = run(parse_hours=ops.get("parse_hours"))
    for level, text in findings:
        click.echo(f"{level:<5} {text}")
    failed = sum(1 for level, _text in findings if level == FAIL)
    click.echo(f"{failed} problem(s) to fix" if failed else "All checks passed.")
    if failed:
        raise SystemExit(1)


def install(
    app: Flask,
    *,
    classify: Callable[[str], Any] | None = None,
    intents: Iterable[str] = (),
    parse_hours: Callable[[str], Any] | None = None,
) -> None:
    """Wire health, metrics, Sentry, the scheduled jobs and the commands into `app`.

    The factory passes what lives in the channels (organize does not import them): the SMS
    keyword classifier and its intents (metrics), the hotline hours parser (doctor)."""
    from organize.ops import health, metrics, retention, tracking

    app.extensions["ops"] = {"parse_hours": parse_hours, "purges": retention.PURGES}
    app.register_blueprint(health.bp)
    metrics.install(app, classify=classify, intents=intents)
    tracking.install(app)
    app.cli.add_command(keys_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(doctor_command)
