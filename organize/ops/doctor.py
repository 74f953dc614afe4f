"""`flask doctor`: check a deployment and say in plain words what is wrong.

Each check returns findings: ("ok" | "warn" | "fail", sentence). Nothing secret is printed: a
setting is named, never shown. The command exits 1 when anything fails.
"""

import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from cryptography.fernet import Fernet
from flask import current_app

from organize.config import SECRET_NAMES

Finding = tuple[str, str]
OK, WARN, FAIL = "ok", "warn", "fail"


def _sid(value: str, prefix: str) -> bool:
    """A Twilio SID: two letters then 32 hexadecimal digits."""
    return (
        len(value) == 34
        and value.startswith(prefix)
        and all(c in string.hexdigits for c in value[2:])
    )


def _phone(value: str) -> bool:
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    return value.startswith("+") and phonenumbers.is_valid_number(parsed)


def check_secrets(config: dict[str, Any]) -> Iterator[Finding]:
    """Set, long enough, distinct; ENCRYPTION_KEY made of Fernet keys."""
    values = {name: str(config.get(name) or "") for name in SECRET_NAMES}
    missing = [name for name, value in values.items() if not value]
    if missing:
        yield FAIL, f"not set: {', '.join(missing)}"
    for name in ("SECRET_KEY", "PHONE_HASH_KEY"):
        if values[name] and len(values[name]) < 32:
            yield FAIL, f"{name} is too short: use 32 random characters or more"
    present = [value for value in values.values() if value]
    if len(set(present)) < len(present):
        yield FAIL, "SECRET_KEY, PHONE_HASH_KEY and ENCRYPTION_KEY must all be different"
    keys = [k.strip() for k in values["ENCRYPTION_KEY"].split(",") if k.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            yield FAIL, f"ENCRYPTION_KEY: key {position} is not a Fernet key"
    if not missing:
        yield OK, "secrets are set and distinct"


def check_public_url(config: dict[str, Any]) -> Iterator[Finding]:
    """Twilio signs the https URL it calls; callbacks are built from it."""
    url = config.get("PUBLIC_URL")
    if not url:
        yield FAIL, "PUBLIC_URL is not set: Twilio's signatures cannot be checked"
        return
    parts = urlsplit(str(url))
    if parts.scheme != "https" or not parts.netloc:
        yield FAIL, "PUBLIC_URL must be an https:// address (Twilio calls it over TLS)"
    elif parts.path not in {"", "/"}:
        yield WARN, "PUBLIC_URL has a path: it should be the origin only (https://your.host)"
    else:
        yield OK, "PUBLIC_URL is https"
    if int(config.get("TRUSTED_PROXIES") or 0) < 1:
        yield WARN, "TRUSTED_PROXIES is 0: behind a reverse proxy set it to 1"


def check_twilio(config: dict[str, Any]) -> Iterator[Finding]:
    """Credentials and the sending number well-formed (not tried against Twilio)."""
    problems = list(_twilio_problems(config))
    yield from problems
    if not any(level == FAIL for level, _text in problems):
        yield OK, "Twilio settings well-formed"


def _twilio_problems(config: dict[str, Any]) -> Iterator[Finding]:
    sid, token = str(config.get("TWILIO_ACCOUNT_SID") or ""), config.get("TWILIO_AUTH_TOKEN")
    sender = str(config.get("TWILIO_FROM") or "")
    if not _sid(sid, "AC"):
        yield FAIL, "TWILIO_ACCOUNT_SID should be AC followed by 32 hexadecimal digits"
    token_text = str(token or "")
    if len(token_text) != 32 or not all(c in string.hexdigits for c in token_text):
        yield FAIL, "TWILIO_AUTH_TOKEN should be 32 hexadecimal digits (the account's Auth Token)"
    if not sender:
        yield FAIL, "TWILIO_FROM is not set: alerts and replies by REST cannot be sent"
    elif not (_sid(sender, "MG") or _phone(sender)):
        yield FAIL, "TWILIO_FROM should be a number in E.164 (+15125550123) or an MG… service SID"
    if config.get("TWILIO_API_URL"):
        yield WARN, "TWILIO_API_URL is set: messages go to that address, not to Twilio"


def check_catalogs(config: dict[str, Any]) -> Iterator[Finding]:
    """Each language's .mo exists and is newer than its .po."""
    from organize.plumbing.i18n import TRANSLATIONS_DIR, catalog_name

    stale = []
    for locale in config["LANGUAGES"]:
        folder = Path(TRANSLATIONS_DIR) / catalog_name(locale) / "LC_MESSAGES"
        po, mo = folder / "messages.po", folder / "messages.mo"
        if not mo.exists() or (po.exists() and mo.stat().st_mtime < po.stat().st_mtime):
            stale.append(locale)
    if stale:
        yield (
            FAIL,
            f"catalogs not compiled for {', '.join(stale)}: run pybabel compile -d translations",
        )
    else:
        yield OK, "catalogs compiled"


def check_migrations(config: dict[str, Any]) -> Iterator[Finding]:
    """The database is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    from organize.extensions import db

    migrate: Migrate = current_app.extensions["migrate"].migrate
    script = ScriptDirectory.from_config(migrate.get_config())
    try:
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:
        yield FAIL, f"cannot reach the database ({type(exc).__name__}): check DATABASE_URL"
        return
    heads = set(script.get_heads())
    if current != heads:
        yield FAIL, "the database is not at the newest migration: run flask --app wsgi db upgrade"
    else:
        yield OK, "database reachable, migrations at head"


def check_queue(config: dict[str, Any]) -> Iterator[Finding]:
    """Redis answers and a worker is alive; the scheduled jobs ran lately."""
    from organize.ops.health import check_queue as probe

    if not config.get("REDIS_URL"):
        yield FAIL, "REDIS_URL is not set: alerts would be sent inside web requests"
        return
    redis_check, worker, scheduler = probe()
    if not redis_check["ok"]:
        yield FAIL, f"cannot reach Redis ({redis_check.get('error')}): check REDIS_URL"
        return
    yield OK, "Redis reachable"
    if not worker["ok"]:
        yield FAIL, "no RQ worker is running: start the worker process (Procfile: worker)"
    else:
        yield OK, f"{worker['workers']} worker(s) running"
    if not scheduler["ok"]:
        yield WARN, "the scheduled jobs have not run lately: is the cron process running?"


def check_audio(config: dict[str, Any]) -> Iterator[Finding]:
    """Languages without a TTS voice need their recorded prompts."""
    from organize import audio

    tts = audio.say_languages()
    for locale in config["LANGUAGES"]:
        if locale in tts:
            continue
        have = audio.recorded(locale)
        lacking = [key for key in audio.PROMPT_KEYS if key not in have]
        if lacking:
            yield (
                WARN,
                f"{locale}: {len(lacking)} voice prompts have no recording (callers hear "
                f"{config.get('VOICE_FALLBACK_LOCALE') or audio.VOICE_FALLBACK_LOCALE}); "
                "see flask --app wsgi audio missing",
            )
        else:
            yield OK, f"{locale}: voice prompts recorded"


def check_hotline(
    config: dict[str, Any], parse_hours: Callable[[str], Any] | None
) -> Iterator[Finding]:
    """The phone menu offers "0 — talk to an organizer": it needs a number and hours."""
    number, hours = config.get("HOTLINE_NUMBER"), config.get("HOTLINE_HOURS")
    if not number:
        yield WARN, "HOTLINE_NUMBER is not set: callers pressing 0 reach nobody"
        return
    if not _phone(str(number)):
        yield FAIL, "HOTLINE_NUMBER should be a number in E.164 (+15125550123)"
    if not hours:
        yield WARN, "HOTLINE_HOURS is not set: the hotline is dialled at any hour"
    elif parse_hours is not None:
        try:
            parse_hours(str(hours))
        except ValueError:
            example = "Mon-Fri 09:00-17:00 America/Chicago"
            yield FAIL, f"HOTLINE_HOURS is not understood (example: {example})"
            return
    yield OK, "hotline configured"


def run(parse_hours: Callable[[str], Any] | None = None) -> list[Finding]:
    """Every check, in the order a volunteer would fix them."""
    config = current_app.config
    findings: list[Finding] = []
    if config["ENV_NAME"] != "production":
        findings.append((FAIL, "ORGANIZE_ENV is not production"))
    for check in (check_secrets, check_public_url, check_twilio, check_catalogs):
        findings += list(check(config))
    findings += list(check_migrations(config))
    findings += list(check_queue(config))
    findings += list(check_audio(config))
    findings += list(check_hotline(config, parse_hours))
    return findings
