"""Flask commands: seed-demo, create-organizer, translate (init|update|compile)."""

import secrets
import sys
import tomllib
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from babel.messages.frontend import CommandLineInterface
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from organize import employers, organizers, resources, reviews, rights
from organize.cli.alerts import alerts_cli, import_subscribers
from organize.extensions import db
from organize.models import ROLES, Employer, Organizer
from organize.plumbing.i18n import TRANSLATIONS_DIR, catalog_name

SEED_DIR = Path(__file__).resolve().parents[1] / "seed"
ROOT = Path(__file__).resolve().parents[2]
translate = AppGroup("translate", help="Manage the message catalogs.")


def _pybabel(*args: str) -> None:
    """Run a pybabel command in-process (no dependence on a script on PATH)."""
    CommandLineInterface().run(["pybabel", *args])


@translate.command("update")
def translate_update() -> None:
    """Extract messages and merge them into every catalog."""
    pot = TRANSLATIONS_DIR / "messages.pot"
    _pybabel(
        "extract",
        "-F",
        str(TRANSLATIONS_DIR / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "N_",
        "--no-location",
        "--sort-output",
        "-o",
        str(pot),
        str(ROOT),
    )
    _pybabel("update", "-i", str(pot), "-d", str(TRANSLATIONS_DIR), "--no-fuzzy-matching")
    fill_source_catalog(TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po")


def fill_source_catalog(po_path: Path) -> int:
    """English is the source language: its msgstrs are the msgids, so the catalog is complete."""
    from babel.messages.pofile import read_po, write_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string or ()):
                message.string = tuple(message.id)
                filled += 1
        elif not message.pluralizable and not message.string:
            message.string = message.id
            filled += 1
    with po_path.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, include_lineno=False)
    return filled


@translate.command("compile")
def translate_compile() -> None:
    """Compile .po into .mo (done by `make`; .mo files are not committed)."""
    _pybabel("compile", "-d", str(TRANSLATIONS_DIR), "--statistics")


@translate.command("init")
@click.argument("lang")
def translate_init(lang: str) -> None:
    """Start a catalog for a new language, where Babel will look for it (`tl` → `fil`)."""
    pot = TRANSLATIONS_DIR / "messages.pot"
    _pybabel("init", "-i", str(pot), "-d", str(TRANSLATIONS_DIR), "-l", catalog_name(lang))


@click.command("create-organizer")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="organizer", show_default=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Read from a prompt, or from stdin when piped.",
)
def create_organizer(email: str, role: str, password: str) -> None:
    """Create an organizer account (argon2-hashed password)."""
    try:
        organizers.create(email=email, password=password, role=role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {role} {email.strip().lower()}.")
    click.echo("They set up their second factor (an authenticator app) at their first sign-in.")


@click.command("reset-second-factor")
@click.argument("email")
@with_appcontext
def reset_second_factor(email: str) -> None:
    """For a lost phone: forget an organizer's authenticator and recovery codes and end their
    sessions; they set a new one up at their next sign-in (audited)."""
    organizer = db.session.scalar(
        sa.select(Organizer).where(Organizer.email == email.strip().lower())
    )
    if organizer is None:
        raise click.ClickException(f"no organizer {email.strip().lower()}")
    organizers.reset_second_factor(organizer=organizer)
    db.session.commit()
    click.echo(
        f"Second factor reset for {organizer.email}; they enrol again at their next sign-in."
    )


def _load(name: str) -> dict[str, Any]:
    with (SEED_DIR / name).open("rb") as fh:
        return tomllib.load(fh)


def rights_seed_files() -> list[Path]:
    """organize/seed/rights/*.toml in menu order (rights_menu.toml; unlisted ones last)."""
    order: list[str] = _load("rights_menu.toml").get("order", [])
    return sorted(
        (SEED_DIR / "rights").glob("*.toml"),
        key=lambda p: (order.index(p.stem) if p.stem in order else len(order), p.stem),
    )


def seed_rights() -> int:
    """Load every rights topic from organize/seed/rights/*.toml."""
    files = rights_seed_files()
    for position, path in enumerate(files):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        texts = {k: v for k, v in data.items() if isinstance(v, dict)}
        rights.upsert(
            slug=data["slug"],
            category=data["category"],
            position=position,
            reviewed_on=data.get("reviewed"),
            reviewed_by=data.get("reviewed_by", ""),
            sources=list(data.get("sources", [])),
            texts=texts,
            state_notes=_state_notes(data.get("state_note", [])),
        )
    return len(files)


def _state_notes(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """`[[state_note]]` rows (state, en, es, … and `draft = ["zh"]`) → rights.upsert's shape."""
    notes: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        drafts = set(row.get("draft", []))
        notes[row["state"]] = {
            locale: {"text": text, "draft": locale in drafts}
            for locale, text in row.items()
            if locale not in ("state", "draft")
        }
    return notes


def seed_national() -> int:
    """The real national agencies and hotlines, every state's fallback (safe in production)."""
    return _seed_places(_load("national.toml").get("resource", []))


def seed_resources() -> int:
    """Demo worker centers, legal aid and co-ops (fictional, 555-01xx numbers), and the
    national agencies."""
    return _seed_places(_load("resources.toml").get("resource", [])) + seed_national()


def _seed_places(rows: list[dict[str, Any]]) -> int:
    for row in rows:
        resources.upsert(
            name=row["name"],
            region=row["region"],
            kind=row["kind"],
            phone=row.get("phone", ""),
            hours=row.get("hours", ""),
            languages=list(row.get("languages", [])),
            description_en=row.get("description_en", ""),
            description_es=row.get("description_es", ""),
            texts=dict(row.get("texts", {})),
            schedule=list(row.get("schedule", [])),
            url=row.get("url", ""),
            city=row.get("city", ""),
        )
    return len(rows)


def seed_employers_and_reviews() -> tuple[int, int]:
    """Demo employers, and demo reviews run through the same submit path as real ones."""
    by_name: dict[str, Employer] = {}
    for row in _load("employers.toml").get("employer", []):
        employer, _created = employers.add(
            name=row["name"],
            city=row.get("city", ""),
            region=row.get("region", ""),
            industry=row.get("industry", "other"),
            aliases=row.get("aliases", []),
            added_by="seed",
        )
        by_name[row["name"]] = employer
    moderator = db.session.scalar(sa.select(Organizer).order_by(Organizer.id))
    count = 0
    for row in _load("reviews.toml").get("review", []):
        review = reviews.submit(
            employer=by_name[row["employer"]],
            text=row["text"],
            locale=row.get("locale", "en"),
            channel="web",
            ratings={k: row.get(k) for k in ("pay", "hours", "safety", "respect", "recommend")},
            flags={
                k: row.get(k) for k in ("wage_theft", "documents_withheld", "immigration_threats")
            },
            submission_key=reviews.new_submission_key(),
        )
        if row.get("status") == "approved" and moderator is not None:
            reviews.approve(review=review, actor=moderator)
        count += 1
    return len(by_name), count


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when employers already exist.")
def seed_demo(if_empty: bool) -> None:
    """Demo employers, rights topics, reviews and (development only) a demo organizer."""
    if if_empty and db.session.scalar(sa.select(Employer.id).limit(1)) is not None:
        click.echo("Database already has data; not seeding.")
        return
    password = None
    if current_app.config["ENV_NAME"] != "production":
        exists = db.session.scalar(sa.select(Organizer.id).where(Organizer.email == DEMO_EMAIL))
        if exists is None:
            password = secrets.token_urlsafe(12)
            organizers.create(email=DEMO_EMAIL, password=password, role="admin")
    topics = seed_rights()
    places = seed_resources()
    employer_count, review_count = seed_employers_and_reviews()
    db.session.commit()
    click.echo(
        f"Seeded {employer_count} employers, {review_count} reviews, {topics} topics, "
        f"{places} places."
    )
    if password:
        click.echo(f"Demo organizer (development only): {DEMO_EMAIL} / {password}", err=True)


DEMO_EMAIL = "demo@organize.test"


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(translate)
    app.cli.add_command(create_organizer)
    app.cli.add_command(reset_second_factor)
    app.cli.add_command(seed_demo)
    app.cli.add_command(import_subscribers)
    app.cli.add_command(alerts_cli)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run these through `flask --app wsgi …`.")
