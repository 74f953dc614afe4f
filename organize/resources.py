"""Help near you: resources by region and kind, for the web page, SMS and the phone line.

National agencies and hotlines (region "national") are the fallback for every state: they are
listed apart from local groups, and worker co-ops (a way to find work) apart from legal help."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from organize.extensions import db
from organize.models import Resource
from organize.plumbing.i18n import N_
from organize.plumbing.text import fold
from organize.plumbing.zipcodes import state_for_zip

NATIONAL = "national"  # not a place name: a location never sits at rest
KIND_LABELS = {
    "worker-center": N_("Worker center"),
    "legal-aid": N_("Legal aid"),
    "co-op": N_("Worker co-op"),
    "union": N_("Union"),
    "agency": N_("Government agency"),
    "hotline": N_("Hotline"),
}
# Every state (and DC, Puerto Rico): national help covers them all, local entries or not.
STATES = (
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE "
    "NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VT WA WI WV WY"
).split()


def regions() -> list[str]:
    """States that have at least one local resource, sorted."""
    stmt = (
        sa.select(Resource.region)
        .where(Resource.region != NATIONAL)
        .distinct()
        .order_by(Resource.region)
    )
    return list(db.session.scalars(stmt))


def find(*, region: str | None = None, kind: str | None = None) -> list[Resource]:
    """Local resources, optionally narrowed to a state and a kind (national ones: `national`)."""
    stmt = sa.select(Resource).order_by(Resource.region, Resource.kind, Resource.name)
    stmt = stmt.where(Resource.region != NATIONAL)
    if region:
        stmt = stmt.where(Resource.region == region)
    if kind:
        stmt = stmt.where(Resource.kind == kind)
    return list(db.session.scalars(stmt))


@dataclass
class Search:
    """What a "state, city or ZIP" search found: the state it settled on (a ZIP code's, a typed
    code's or the picked one), the city asked for, and the local places, co-ops apart."""

    region: str = ""
    city: str = ""
    places: list[Resource] = field(default_factory=list)
    coops: list[Resource] = field(default_factory=list)


def search(*, region: str = "", where: str = "", kind: str = "") -> Search:
    """Local help by state and by city or ZIP code. A ZIP code stands for its state (its first
    three digits; no address is needed or kept); a city matches accent- and case-blind."""
    where = where.strip()[:60]
    region = region.upper() if region.upper() in STATES else ""
    city = ""
    if (from_zip := state_for_zip(where)) is not None:
        region = from_zip
    elif where.upper() in STATES:
        region = where.upper()
    elif where:
        city = where
    found = find(region=region or None, kind=kind or None)
    if city:
        wanted = fold(city)
        found = [p for p in found if wanted and wanted in fold(p.city or "")]
    return Search(
        region=region,
        city=city,
        places=[p for p in found if p.kind != "co-op"],
        coops=[p for p in found if p.kind == "co-op"],
    )


def national() -> list[Resource]:
    """National agencies and hotlines, in the order they were entered (wages first)."""
    stmt = sa.select(Resource).where(Resource.region == NATIONAL).order_by(Resource.id)
    return list(db.session.scalars(stmt))


def upsert(*, name: str, region: str, **fields: object) -> Resource:
    """Create or update a resource by name and region (seeding and imports)."""
    found = db.session.scalar(
        sa.select(Resource).where(Resource.name == name, Resource.region == region)
    )
    if found is None:
        found = Resource(name=name, region=region)
        db.session.add(found)
    for key, value in fields.items():
        setattr(found, key, value)
    db.session.flush()
    return found
