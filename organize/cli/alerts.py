"""Commands organizers script: import-subscribers and alerts create|send|cancel|status|reconcile."""

import csv
import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from organize import privacy, subscribers
from organize.alerts import compose, deliveries, fanout, reconcile
from organize.extensions import db
from organize.models import Alert, Subscriber
from organize.outbound.jobs import QueueUnavailable

alerts_cli = AppGroup("alerts", help="Compose, send and follow action alerts.")


@click.command("import-subscribers")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--consent-source", required=True, help="Where these people gave consent.")
def import_subscribers(path: Path, consent_source: str) -> None:
    """Import a CSV (phone, language, region, tags) of people who already consented."""
    added = merged = 0
    problems: list[str] = []
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "phone" not in reader.fieldnames:
            raise click.ClickException("the CSV needs a 'phone' column")
        for line, row in enumerate(reader, start=2):
            phone = privacy.phone(row.get("phone") or "")
            if phone.e164 is None:
                problems.append(f"line {line}: not a phone number")
                continue
            locale = (row.get("language") or "en").strip().lower() or "en"
            tags = sorted({t.strip() for t in (row.get("tags") or "").split(",") if t.strip()})
            subscriber = subscribers.get(phone_hash=phone.hash)
            if phone.hash in seen or subscriber is not None:
                merged += 1
            else:
                added += 1
            seen.add(phone.hash)
            if subscriber is not None and subscriber.status == "opted_out":
                problems.append(f"line {line}: opted out earlier; not re-subscribed")
                continue
            subscriber = subscribers.request_signup(
                phone=phone, locale=locale, source=consent_source
            )
            subscribers.confirm(subscriber=subscriber)
            subscriber.tags = sorted(set(subscriber.tags or []) | set(tags))
            region = (row.get("region") or "").strip().upper() or None
            subscribers.set_preferences(subscriber=subscriber, region=region)
    db.session.commit()
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(f"{added} added, {merged} merged, {len(problems)} problems.")


def _load(alert_id: int) -> Alert:
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        raise click.ClickException(f"no alert {alert_id}")
    return alert


@alerts_cli.command("create")
@click.option("--title", required=True)
@click.option("--body", "bodies", multiple=True, required=True, help="LANG=TEXT, repeatable.")
@click.option("--title-for", "titles", multiple=True, help="LANG=TITLE for other languages.")
@click.option("--channel", type=click.Choice(["sms", "voice", "both"]), default="sms")
@click.option("--language", "languages", multiple=True)
@click.option("--region", "regions", multiple=True)
@click.option("--industry", "industries", multiple=True)
@click.option("--tag", "tags", multiple=True)
@click.option("--urgent", is_flag=True)
@click.option("--rsvp", is_flag=True)
def create(
    title: str,
    bodies: tuple[str, ...],
    titles: tuple[str, ...],
    channel: str,
    languages: tuple[str, ...],
    regions: tuple[str, ...],
    industries: tuple[str, ...],
    tags: tuple[str, ...],
    urgent: bool,
    rsvp: bool,
) -> None:
    """Create a draft; prints its id alone on the last line."""
    named_titles = dict(t.split("=", 1) for t in titles if "=" in t)
    texts = {}
    for item in bodies:
        locale, _sep, text = item.partition("=")
        if not _sep:
            raise click.ClickException(f"--body wants LANG=TEXT, got {item!r}")
        texts[locale.strip()] = (named_titles.get(locale.strip(), title), text)
    audience = {"languages": languages, "regions": regions, "industries": industries, "tags": tags}
    try:
        alert = compose.create(
            texts=texts, channel=channel, audience=audience, urgent=urgent, rsvp=rsvp
        )
    except compose.AlertError as exc:
        raise click.ClickException(exc.message % exc.params if exc.params else exc.message) from exc
    db.session.commit()
    click.echo(alert.id)


@alerts_cli.command("send")
@click.argument("alert_id", type=int)
def send(alert_id: int) -> None:
    """Start sending (a second call does nothing)."""
    alert = _load(alert_id)
    if not compose.claim_for_sending(alert=alert, actor=None):
        db.session.rollback()
        click.echo(f"alert {alert_id} is {alert.status}; nothing to do")
        return
    db.session.commit()
    try:
        fanout.start(alert_id=alert.id)
    except QueueUnavailable as exc:
        raise click.ClickException(
            "the job queue (Redis) is unavailable; nothing was sent"
        ) from exc
    click.echo(f"alert {alert_id} is sending")


@alerts_cli.command("cancel")
@click.argument("alert_id", type=int)
def cancel(alert_id: int) -> None:
    """Cancel; deliveries not yet claimed are skipped."""
    try:
        count = compose.cancel(alert=_load(alert_id), actor=None)
    except compose.AlertError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"cancelled; {count} deliveries will not be sent")


@alerts_cli.command("status")
@click.argument("alert_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def status(alert_id: int, as_json: bool) -> None:
    """Counts per delivery status, and the people who answered its RSVP."""
    alert = _load(alert_id)
    counts = compose.progress(alert_id=alert_id)
    rsvp = deliveries.rsvp_count(alert_id=alert_id)
    if as_json:
        payload = {"alert": alert_id, "status": alert.status, "deliveries": counts, "rsvp": rsvp}
        click.echo(json.dumps(payload))
        return
    click.echo(f"alert {alert_id}: {alert.status}")
    for name, count in sorted(counts.items()):
        click.echo(f"  {name:12} {count}")
    click.echo(f"  {'rsvp':12} {rsvp}")


@alerts_cli.command("reconcile")
def reconcile_now() -> None:
    """Run the reconciler once, now (it also runs on its own while alerts are sending)."""
    click.echo(json.dumps(reconcile.reconcile()))


def active_count() -> int:
    """Active subscribers (for the console)."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Subscriber).where(Subscriber.status == "active")
        )
        or 0
    )
