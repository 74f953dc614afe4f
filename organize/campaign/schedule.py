"""The organization's time zone (`ORG_TIMEZONE`): organizers enter and read "send at" in it;
the database keeps UTC."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def org_zone() -> ZoneInfo:
    """The configured zone (America/Chicago by default)."""
    return ZoneInfo(str(current_app.config["ORG_TIMEZONE"]))


def to_utc(local: datetime) -> datetime:
    """A wall-clock time typed in the organization's zone, as aware UTC. A time that does not
    exist (the spring-forward hour) or happens twice resolves as zoneinfo's fold=0 does."""
    return local.replace(tzinfo=org_zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """An aware UTC time on the organization's clock (for showing, and for editing)."""
    return moment.astimezone(org_zone())
