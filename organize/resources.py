"""Help near you: resources by region and kind, for the web page, SMS and the phone line."""

import sqlalchemy as sa

from organize.extensions import db
from organize.models import Resource
from organize.plumbing.i18n import N_

KIND_LABELS = {
    "worker-center": N_("Worker center"),
    "legal-aid": N_("Legal aid"),
    "co-op": N_("Worker co-op"),
    "union": N_("Union"),
}


def regions() -> list[str]:
    """Regions that have at least one resource, sorted."""
    return list(db.session.scalars(sa.select(Resource.region).distinct().order_by(Resource.region)))


def find(*, region: str | None = None, kind: str | None = None) -> list[Resource]:
    """Resources, optionally narrowed to a region and a kind."""
    stmt = sa.select(Resource).order_by(Resource.region, Resource.kind, Resource.name)
    if region:
        stmt = stmt.where(Resource.region == region)
    if kind:
        stmt = stmt.where(Resource.kind == kind)
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
