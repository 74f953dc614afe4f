"""Help-near-you entries from the console: one at a time, or many from a CSV file.

One set of rules checks both (a name, a known kind, a state code or "national", a phone number
that `phonenumbers` calls valid, stored in E.164). A CSV import is previewed first, with every bad
row and why; it then imports all of its rows or, on any problem, none of them.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import time
from typing import Any

import phonenumbers
import sqlalchemy as sa

from organize import audit, resources
from organize.editing import EditError
from organize.extensions import db
from organize.models import RESOURCE_KINDS, Organizer, Resource
from organize.plumbing.i18n import N_
from organize.plumbing.text import clean

# The CSV's columns, in the order the template lists them; name, kind and region are required.
COLUMNS = (
    "name",
    "kind",
    "region",
    "phone",
    "url",
    "languages",
    "schedule",
    "hours",
    "description_en",
    "description_es",
    "description_zh",
    "description_tl",
    "description_ht",
)
DRAFT_LOCALES = ("zh", "tl", "ht")  # imported descriptions wait for a native speaker
MAX_ROWS = 2000
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_ZONES = {"et": "ET", "local": "local"}


@dataclass
class Row:
    """One CSV row (or form), checked: the fields to store, or why it cannot be stored."""

    line: int
    name: str
    region: str
    fields: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    exists: bool = False

    def refuse(self, message: str, **params: Any) -> None:
        self.errors.append((message, params))


def _clock(text: str) -> str:
    """ "9:00" or "09:00" → "09:00" (24-hour); ValueError otherwise."""
    hours, colon, minutes = text.partition(":")
    if not colon or not hours.isdigit() or not minutes.isdigit():
        raise ValueError(text)
    return time(int(hours), int(minutes)).strftime("%H:%M")


def parse_schedule(text: str) -> list[dict[str, Any]]:
    """ "mon-fri 09:00-18:00; sat 10:00-14:00 ET" or "24/7" → the `schedule` data; ValueError
    when a part does not read that way."""
    entries: list[dict[str, Any]] = []
    for part in filter(None, (p.strip().lower() for p in text.split(";"))):
        if part == "24/7":
            entries.append({"always": True})
            continue
        words = part.split()
        if len(words) not in (2, 3):
            raise ValueError(part)
        first, _dash, last = words[0].partition("-")
        opens, _dash, closes = words[1].partition("-")
        days = [_DAYS.index(first), _DAYS.index(last or first)]
        entry: dict[str, Any] = {
            "days": days,
            "open": _clock(opens),
            "close": _clock(closes),
        }
        if len(words) == 3:
            entry["tz"] = _ZONES[words[2]]
        if days[0] > days[1] or entry["open"] >= entry["close"]:
            raise ValueError(part)
        entries.append(entry)
    return entries


def check(values: dict[str, str], line: int = 0) -> Row:
    """Check one entry's values (CSV cells or form fields) and build what to store."""
    get = {key: clean(str(values.get(key) or "")) for key in COLUMNS}
    region = get["region"].upper() if get["region"].lower() != resources.NATIONAL else "national"
    row = Row(line=line, name=get["name"][:200], region=region)
    if not row.name:
        row.refuse(N_("The name is missing."))
    if get["kind"] not in RESOURCE_KINDS:
        row.refuse(N_("Unknown kind %(value)s."), value=get["kind"] or "—")
    if region not in resources.STATES and region != resources.NATIONAL:
        row.refuse(N_("Unknown state %(value)s."), value=get["region"] or "—")
    phone = ""
    if get["phone"]:
        try:
            parsed = phonenumbers.parse(get["phone"], "US")
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            row.refuse(N_("Not a valid phone number: %(value)s."), value=get["phone"])
        else:
            phone = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if get["url"] and not get["url"].startswith(("https://", "http://")):
        row.refuse(N_("The web address must start with https://."))
    languages = [code for code in re.split(r"[\s,;]+", get["languages"].lower()) if code]
    if any(not _LANGUAGE.fullmatch(code) for code in languages):
        row.refuse(N_("Languages are codes such as en es zh: %(value)s."), value=get["languages"])
    try:
        schedule = parse_schedule(get["schedule"])
    except (ValueError, KeyError):
        schedule = []
        row.refuse(
            N_("Hours must read like mon-fri 09:00-17:00: %(value)s."), value=get["schedule"]
        )
    texts = {
        locale: {"description": get[f"description_{locale}"], "draft": True}
        for locale in DRAFT_LOCALES
        if get[f"description_{locale}"]
    }
    row.fields = {
        "kind": get["kind"],
        "phone": phone,
        "url": get["url"][:300],
        "languages": languages,
        "schedule": schedule,
        "hours": get["hours"][:100],
        "description_en": get["description_en"],
        "description_es": get["description_es"],
        "texts": texts,
    }
    return row


def read_csv(text: str) -> list[Row]:
    """Every row of the file, checked (line numbers as a spreadsheet shows them); a file that
    is not a CSV with a `name` column is refused as a whole."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "name" not in headers:
        raise EditError(N_("The file needs a header row with at least name, kind and region."))
    unknown = [h for h in headers if h not in COLUMNS]
    if unknown:
        raise EditError(N_("Unknown columns: %(names)s."), names=", ".join(unknown))
    reader.fieldnames = headers
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for number, values in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            raise EditError(N_("At most %(limit)s rows at a time."), limit=MAX_ROWS)
        if not any((v or "").strip() for v in values.values() if isinstance(v, str)):
            continue  # a blank line
        row = check({k: v for k, v in values.items() if isinstance(k, str)}, line=number)
        key = (row.name.casefold(), row.region)
        if row.name and key in seen:
            row.refuse(N_("The same name and state appear twice in the file."))
        seen.add(key)
        row.exists = _existing(row.name, row.region) is not None
        rows.append(row)
    return rows


def _merged_texts(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Other languages' texts: a changed description is a draft again; hours written for a
    language and descriptions the import does not mention are kept."""
    merged = {locale: dict(entry) for locale, entry in (old or {}).items()}
    for locale, entry in new.items():
        kept = merged.setdefault(locale, {})
        if kept.get("description") != entry["description"]:
            kept.update(entry)
    return merged


def _existing(name: str, region: str) -> Resource | None:
    return db.session.scalar(
        sa.select(Resource).where(Resource.name == name, Resource.region == region)
    )


def import_rows(rows: list[Row], *, actor: Organizer) -> tuple[int, int]:
    """Create or update (by name and state) every row, or none: any bad row refuses the whole
    file, and a failure half-way rolls back to before the first. Returns (created, updated)."""
    if not rows:
        raise EditError(N_("The file has no rows."))
    if any(row.errors for row in rows):
        raise EditError(N_("Nothing was imported: fix the rows marked below."))
    created = updated = 0
    with db.session.begin_nested():  # a savepoint: all rows or none, whatever the caller does
        for row in rows:
            found = _existing(row.name, row.region)
            existed = found is not None
            texts = _merged_texts(found.texts if found else None, row.fields["texts"])
            resources.upsert(name=row.name, region=row.region, **{**row.fields, "texts": texts})
            created, updated = created + (not existed), updated + existed
        audit.record(
            actor=actor,
            action="resources.import",
            target_type="resource",
            detail={"created": created, "updated": updated, "names": [r.name for r in rows]},
        )
    return created, updated


def save(*, resource: Resource | None, values: dict[str, str], actor: Organizer) -> Row:
    """Add or change one entry from the console form; returns the checked row (with its errors,
    and nothing stored, when it has any)."""
    row = check(values)
    clash = _existing(row.name, row.region)
    if clash is not None and clash is not resource:
        row.refuse(N_("An entry with this name and state exists already."))
    if row.errors:
        return row
    target = resource or Resource(name=row.name, region=row.region)
    before = {key: getattr(target, key) for key in ("name", "region", *row.fields)}
    target.name, target.region = row.name, row.region
    for key, value in row.fields.items():
        setattr(target, key, value)
    target.texts = _merged_texts(before["texts"], row.fields["texts"])
    if resource is None:
        db.session.add(target)
    db.session.flush()
    after = {key: getattr(target, key) for key in before}
    changed = {k: {"from": before[k], "to": v} for k, v in after.items() if before[k] != v}
    audit.record(
        actor=actor,
        action="resource.create" if resource is None else "resource.update",
        target_type="resource",
        target_id=target.id,
        detail={"changed": changed} if resource is not None else {"name": target.name},
    )
    return row


def delete(*, resource: Resource, actor: Organizer) -> None:
    """Remove an entry (a place that closed, a number that changed hands); audited by name."""
    audit.record(
        actor=actor,
        action="resource.delete",
        target_type="resource",
        target_id=resource.id,
        detail={"name": resource.name, "region": resource.region},
    )
    db.session.delete(resource)
    db.session.flush()


def to_values(resource: Resource) -> dict[str, str]:
    """A stored entry as the form's fields."""
    schedule = []
    for entry in resource.schedule or []:
        if entry.get("always"):
            schedule.append("24/7")
            continue
        first, last = entry["days"]
        days = _DAYS[first] if first == last else f"{_DAYS[first]}-{_DAYS[last]}"
        zone = {"ET": " ET", "local": " local"}.get(entry.get("tz", ""), "")
        schedule.append(f"{days} {entry['open']}-{entry['close']}{zone}")
    values = {
        "name": resource.name,
        "kind": resource.kind,
        "region": resource.region,
        "phone": resource.phone_display() if resource.phone else "",
        "url": resource.url or "",
        "languages": " ".join(resource.languages or []),
        "schedule": "; ".join(schedule),
        "hours": resource.hours or "",
        "description_en": resource.description_en or "",
        "description_es": resource.description_es or "",
    }
    for locale in DRAFT_LOCALES:
        values[f"description_{locale}"] = ((resource.texts or {}).get(locale) or {}).get(
            "description", ""
        )
    return values
