"""CSV import of people who already consented: parse and check every row first (a preview with
per-row errors), then add them all in one transaction, or none.

Between the preview and the confirmation the checked rows wait in expiring state (30 minutes),
Fernet-encrypted as a whole: numbers are never at rest in the clear, and the organizer does not
upload the file twice. The preview shows masked numbers only, and never echoes what was in a
phone cell that did not parse (it may be a number in an odd format).
"""

import csv
import io
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
import sqlalchemy as sa
from flask import current_app

from organize import audit, privacy, subscribers
from organize.alerts.quiet import STATE_ZONES
from organize.contacts import roster
from organize.extensions import db
from organize.models import Organizer, Subscriber
from organize.plumbing import expiring
from organize.plumbing.i18n import N_, Refused, normalize

MAX_ROWS = 5000
MAX_BYTES = 1_000_000
STAGE_SECONDS = 30 * 60
COLUMNS = {
    "phone": ("phone", "number", "phone number", "mobile", "teléfono", "telefono"),
    "language": ("language", "lang", "idioma"),
    "state": ("state", "region", "estado"),
    "tags": ("tags", "tag", "etiquetas"),
}
SKIPPED = ("opted_out", "suppressed")  # their "no" stands: an import never re-subscribes them


class ImportRefused(Refused):
    """The whole file (not one row) cannot be used."""


@dataclass
class Row:
    """One line of the file as the preview shows it."""

    line: int
    masked: str
    locale: str | None = None  # None: the file said nothing (new people get English)
    region: str | None = None
    tags: list[str] = field(default_factory=list)
    outcome: str = "new"  # new | update | skip | error
    errors: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    e164: str = ""


@dataclass
class Preview:
    """Every row checked; `token` only when nothing is wrong (then it can be imported)."""

    rows: list[Row]
    consent_source: str
    token: str | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)


def _columns(fieldnames: list[str]) -> dict[str, str]:
    found = {}
    for name in fieldnames:
        cleaned = (name or "").strip().lower()
        for column, aliases in COLUMNS.items():
            if cleaned in aliases and column not in found:
                found[column] = name
    return found


def _check_phone(raw: str, row: Row) -> None:
    try:
        parsed = phonenumbers.parse(raw, privacy.DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        row.errors.append((N_("Not a valid phone number."), {}))
        return
    row.e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    row.masked = privacy.mask(row.e164)


def _check_language(raw: str, row: Row) -> None:
    if not raw.strip():
        return
    code = normalize(raw)
    if code is None or code not in current_app.config["LANGUAGES"]:
        allowed = ", ".join(current_app.config["LANGUAGES"])
        row.errors.append(
            (
                N_("Unknown language “%(value)s”: use one of %(allowed)s."),
                {"value": raw.strip()[:20], "allowed": allowed},
            )
        )
    else:
        row.locale = code


def _check_state(raw: str, row: Row) -> None:
    value = raw.strip().upper()
    if not value:
        return
    if value not in STATE_ZONES:
        row.errors.append(
            (N_("Unknown state “%(value)s”: use 2 letters, like TX."), {"value": value[:20]})
        )
    else:
        row.region = value


def _check_tags(raw: str, row: Row) -> None:
    try:
        row.tags = roster.clean_tags(raw)
    except roster.RosterError as exc:
        row.errors.append((exc.message, exc.params))


def parse(data: bytes, *, consent_source: str) -> Preview:
    """Check every row of an uploaded CSV; raises ImportRefused for a file that is not usable."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(N_("The file is larger than 1 MB: split it."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(N_("Save the file as CSV in UTF-8 and upload it again.")) from exc
    reader = csv.DictReader(io.StringIO(text))
    columns = _columns(list(reader.fieldnames or []))
    if "phone" not in columns:
        raise ImportRefused(N_("The file needs a “phone” column."))
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(N_("At most %(max)d rows per file: split it."), max=MAX_ROWS)
        cell = {name: str(raw.get(header) or "") for name, header in columns.items()}
        if not any(v.strip() for v in raw.values() if isinstance(v, str)):
            continue  # a blank line
        row = Row(line=line, masked="•••")
        _check_phone(cell.get("phone", ""), row)
        _check_language(cell.get("language", ""), row)
        _check_state(cell.get("state", ""), row)
        _check_tags(cell.get("tags", ""), row)
        if row.e164:
            phone_hash = privacy.blind_index(row.e164)
            if phone_hash in seen:
                row.errors.append((N_("Same number as line %(line)d."), {"line": seen[phone_hash]}))
            seen.setdefault(phone_hash, line)
        rows.append(row)
    if not rows:
        raise ImportRefused(N_("The file has no rows."))
    statuses = _statuses(list(seen))
    for row in rows:
        status = statuses.get(privacy.blind_index(row.e164)) if row.e164 else None
        if row.errors:
            row.outcome = "error"
        elif status is not None:
            row.outcome = "skip" if status in SKIPPED else "update"
    return Preview(rows=rows, consent_source=consent_source)


def _statuses(hashes: list[str]) -> dict[str, str]:
    """The subscriber status of each number already known, a few hundred per query."""
    found: dict[str, str] = {}
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        rows = db.session.execute(
            sa.select(Subscriber.phone_hash, Subscriber.status).where(
                Subscriber.phone_hash.in_(chunk)
            )
        )
        found.update({phone_hash: status for phone_hash, status in rows})
    return found


def _key(organizer: Organizer, token: str) -> str:
    return f"contacts-import:{organizer.id}:{token}"


def stage(preview: Preview, *, organizer: Organizer) -> str:
    """Keep a clean preview's rows (encrypted, 30 minutes) for the confirmation; its token."""
    if any(row.outcome == "error" for row in preview.rows):
        raise ImportRefused(N_("Fix the rows with errors, then upload the file again."))
    token = secrets.token_urlsafe(16)
    payload = {
        "consent_source": preview.consent_source,
        "rows": [[r.e164, r.locale, r.region, r.tags] for r in preview.rows if r.outcome != "skip"],
        "skipped": preview.count("skip"),
    }
    expiring.store().put(
        _key(organizer, token), privacy.encrypt(json.dumps(payload)), STAGE_SECONDS
    )
    preview.token = token
    return token


def commit(*, token: str, organizer: Organizer) -> dict[str, int]:
    """Add or update every staged row in the caller's transaction (all or nothing: the caller
    commits once, or rolls back). Numbers that opted out since the preview are left alone."""
    key = _key(organizer, token)
    staged = expiring.store().get(key)
    if staged is None:
        raise ImportRefused(N_("This preview has expired: upload the file again."))
    payload = json.loads(privacy.decrypt(staged))
    source = str(payload["consent_source"])
    counts = {"added": 0, "updated": 0, "skipped": int(payload.get("skipped", 0))}
    for e164, locale, region, tags in payload["rows"]:
        phone = privacy.Phone(e164=e164, hash=privacy.blind_index(e164))
        existing = subscribers.get(phone_hash=phone.hash)
        if existing is not None and existing.status in SKIPPED:
            counts["skipped"] += 1
            continue
        counts["updated" if existing is not None else "added"] += 1
        subscriber = subscribers.request_signup(phone=phone, locale=locale or "en", source=source)
        if subscriber.status != "active":
            subscribers.confirm(subscriber=subscriber)
        if locale:
            subscribers.remember_locale(phone_hash=phone.hash, locale=locale)
        subscriber.tags = sorted(set(subscriber.tags or []) | set(tags))
        if region:
            subscribers.set_preferences(subscriber=subscriber, region=region)
    expiring.store().delete(key)
    audit.record(actor=organizer, action="contacts.import", detail=counts)
    return counts
