"""Employer directory: search, lookup and worker-added employers.

A worker-added employer is public-facing text a worker typed (DESIGN §4.9): its name, city and
state are redacted before they are stored (contact details, addresses and IDs go; a family's
name stays, since domestic workers' employers are households), its slug is built from the
redacted name only, and it stays out of pages and search until an organizer approves it.
"""

import re

import sqlalchemy as sa

from organize import audit, directory
from organize.extensions import db
from organize.models import Employer, EmployerAlias, Organizer
from organize.plumbing.i18n import N_
from organize.plumbing.text import clean, match_key, name_key, slugify
from organize.redaction import redact

# Who added it decides whether it waits: workers' entries wait for an organizer.
TRUSTED_SOURCES = frozenset({"organizer", "seed", "import"})
_EDGE_JUNK = " ,;:-–—|/·"

INDUSTRIES = (
    "cleaning",
    "restaurant",
    "construction",
    "agriculture",
    "warehouse",
    "care",
    "beauty",
    "car-wash",
    "retail",
    "other",
)

INDUSTRY_LABELS = {
    "cleaning": N_("Cleaning"),
    "restaurant": N_("Restaurant or kitchen"),
    "construction": N_("Construction"),
    "agriculture": N_("Farm work"),
    "warehouse": N_("Warehouse"),
    "care": N_("Care work (children, elders)"),
    "beauty": N_("Nail or beauty salon"),
    "car-wash": N_("Car wash"),
    "retail": N_("Store"),
    "other": N_("Other"),
}


class EmployerError(ValueError):
    """Refused; `message` is an untranslated msgid for the worker."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _family_name(piece: str) -> bool:
    """A span the person detector found that may stay in an employer's name: letters only (a
    span that swallowed digits, `@` or a link is contact data, whatever its label)."""
    return not any(ch.isdigit() or ch in "@/:" for ch in piece)


def redact_field(text: str, *, locale: str = "en") -> str:
    """A name, city or state as it may be shown: phones, emails, links, addresses, IDs and
    markup removed outright (a placeholder in a name reads as nonsense), family names kept."""
    text = " ".join(clean(text).split())
    result = redact(text, locale)
    parts, position = [], 0
    for span in result.spans:
        if span.kind == "person" and _family_name(text[span.start : span.end]):
            continue
        parts.append(text[position : span.start])
        parts.append(" ")
        position = span.end
    parts.append(text[position:])
    joined = " ".join("".join(parts).split())
    joined = re.sub(r"\s+([,;:.])", r"\1", joined)
    joined = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", joined)
    return joined.strip(_EDGE_JUNK)


def get_listed(*, employer_id: int) -> Employer | None:
    """A public employer by id (a typed code on the phone line), never a pending one."""
    if not 0 < employer_id < 2**31:
        return None
    return db.session.scalar(
        sa.select(Employer).where(Employer.id == employer_id, directory.listed())
    )


def search(*, query: str = "", limit: int = 50) -> list[Employer]:
    """The best `limit` employers for this query (see `organize.directory.search`)."""
    return [hit.employer for hit in directory.search(query=query, per_page=limit).hits]


def get_by_slug(*, slug: str) -> Employer | None:
    """The public employer at this URL slug, if any (pending ones have no public page)."""
    return db.session.scalar(sa.select(Employer).where(Employer.slug == slug, directory.listed()))


def find_duplicate(*, name: str, city: str) -> Employer | None:
    """An employer with the same normalized name (or alias) in the same city."""
    key, city_key = name_key(name), match_key(city)
    by_name = sa.select(Employer).where(Employer.name_key == key, Employer.city_key == city_key)
    found = db.session.scalar(by_name)
    if found is not None:
        return found
    by_alias = (
        sa.select(Employer)
        .join(EmployerAlias)
        .where(EmployerAlias.name_key == key, Employer.city_key == city_key)
    )
    return db.session.scalar(by_alias)


def _unique_slug(name: str, city: str) -> str:
    base = slugify(f"{name} {city}".strip())
    slug, n = base, 2
    while db.session.scalar(sa.select(Employer.id).where(Employer.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def add_alias(*, employer: Employer, name: str, listed: bool = True) -> None:
    """Keep another spelling of the employer's name, once. A worker's spelling is kept
    unlisted (it finds duplicates, but is shown only once an organizer lists it)."""
    key = name_key(name)
    if not key or key == employer.name_key:
        return
    if any(alias.name_key == key for alias in employer.aliases):
        return
    employer.aliases.append(EmployerAlias(name=name.strip(), name_key=key, listed=listed))


def add(
    *,
    name: str,
    city: str = "",
    region: str = "",
    industry: str = "other",
    aliases: tuple[str, ...] | list[str] = (),
    added_by: str = "worker",
    locale: str = "en",
) -> tuple[Employer, bool]:
    """Add an employer, or return the existing one (keeping the new spelling as an alias).

    Every channel comes through here, so every channel's input is redacted the same way and a
    worker's new employer waits for an organizer (`status="pending"`). Returns (employer,
    created); raises EmployerError when nothing of the name survives redaction.
    """
    trusted = added_by in TRUSTED_SOURCES
    name, city = redact_field(name, locale=locale), redact_field(city, locale=locale)
    region = redact_field(region, locale=locale)
    if not name_key(name):
        raise EmployerError(N_("Please write the name of the business or family."))
    aliases = [a for a in (redact_field(a, locale=locale) for a in aliases) if a]
    existing = find_duplicate(name=name, city=city)
    if existing is not None:
        if name != existing.name:
            add_alias(employer=existing, name=name, listed=trusted)
        for alias in aliases:
            add_alias(employer=existing, name=alias, listed=trusted)
        db.session.flush()
        return existing, False
    employer = Employer(
        name=name,
        slug=_unique_slug(name, city),
        name_key=name_key(name),
        city=city,
        city_key=match_key(city),
        region=region.strip()[:60],
        industry=industry if industry in INDUSTRIES else "other",
        added_by=added_by,
        status="approved" if trusted else "pending",
    )
    db.session.add(employer)
    for alias in aliases:
        add_alias(employer=employer, name=alias, listed=trusted)
    db.session.flush()
    return employer, True


def pending(*, limit: int = 50) -> list[Employer]:
    """The approval queue: workers' new employers, oldest first."""
    stmt = sa.select(Employer).where(Employer.status == "pending").order_by(Employer.id)
    return list(db.session.scalars(stmt.limit(limit)))


def unlisted_aliases(*, limit: int = 50) -> list[EmployerAlias]:
    """Workers' spellings of listed employers, waiting to be listed or discarded."""
    stmt = (
        sa.select(EmployerAlias)
        .join(Employer)
        .where(EmployerAlias.listed.is_(False), directory.listed())
        .order_by(EmployerAlias.id)
    )
    return list(db.session.scalars(stmt.limit(limit)))


def decide(*, employer: Employer, actor: Organizer, approve: bool) -> None:
    """Approve (listed, with the spellings it came with; its approved reviews count from now)
    or reject (never shown, nor the reviews written against it). Audited."""
    if employer.status != "pending":
        raise EmployerError(N_("This employer was already decided."))
    employer.status = "approved" if approve else "rejected"
    if approve:
        for alias in employer.aliases:
            alias.listed = True
    action = "employer.approve" if approve else "employer.reject"
    audit.record(actor=actor, action=action, target_type="employer", target_id=employer.id)
    db.session.flush()


def decide_alias(*, alias: EmployerAlias, actor: Organizer, keep: bool) -> None:
    """List a worker's spelling, or discard it. Audited."""
    action = "alias.list" if keep else "alias.discard"
    audit.record(actor=actor, action=action, target_type="employer", target_id=alias.employer_id)
    if keep:
        alias.listed = True
    else:
        db.session.delete(alias)
    db.session.flush()
