"""Employer directory: search, lookup and worker-added employers."""

import sqlalchemy as sa

from organize import directory
from organize.extensions import db
from organize.models import Employer, EmployerAlias
from organize.plumbing.i18n import N_
from organize.plumbing.text import match_key, name_key, slugify

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


def search(*, query: str = "", limit: int = 50) -> list[Employer]:
    """The best `limit` employers for this query (see `organize.directory.search`)."""
    return [hit.employer for hit in directory.search(query=query, per_page=limit).hits]


def get_by_slug(*, slug: str) -> Employer | None:
    """The employer at this URL slug, if any."""
    return db.session.scalar(sa.select(Employer).where(Employer.slug == slug))


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


def add_alias(*, employer: Employer, name: str) -> None:
    """Keep another spelling of the employer's name, once."""
    key = name_key(name)
    if not key or key == employer.name_key:
        return
    if any(alias.name_key == key for alias in employer.aliases):
        return
    employer.aliases.append(EmployerAlias(name=name.strip(), name_key=key))


def add(
    *,
    name: str,
    city: str = "",
    region: str = "",
    industry: str = "other",
    aliases: tuple[str, ...] | list[str] = (),
    added_by: str = "worker",
) -> tuple[Employer, bool]:
    """Add an employer, or return the existing one (keeping the new spelling as an alias).

    Returns (employer, created).
    """
    name, city = " ".join(name.split()), " ".join(city.split())
    existing = find_duplicate(name=name, city=city)
    if existing is not None:
        if name != existing.name:
            add_alias(employer=existing, name=name)
        for alias in aliases:
            add_alias(employer=existing, name=alias)
        db.session.flush()
        return existing, False
    employer = Employer(
        name=name,
        slug=_unique_slug(name, city),
        name_key=name_key(name),
        city=city,
        city_key=match_key(city),
        region=region.strip(),
        industry=industry if industry in INDUSTRIES else "other",
        added_by=added_by,
    )
    db.session.add(employer)
    for alias in aliases:
        add_alias(employer=employer, name=alias)
    db.session.flush()
    return employer, True
