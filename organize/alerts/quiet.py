"""Quiet hours: no non-urgent alert before 8:00 or after 21:00 where the subscriber lives.

The time zone comes from the subscriber's region (US state) or, failing that, from
phonenumbers' time-zone metadata for their number; failing both, the deployment's default.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezones

# The zone most of each state's people live in (the few split states take the larger part).
STATE_ZONES = {
    **dict.fromkeys(
        [
            "CT",
            "DE",
            "DC",
            "FL",
            "GA",
            "IN",
            "KY",
            "ME",
            "MD",
            "MA",
            "MI",
            "NH",
            "NJ",
            "NY",
            "NC",
            "OH",
            "PA",
            "RI",
            "SC",
            "VT",
            "VA",
            "WV",
        ],
        "America/New_York",
    ),
    **dict.fromkeys(
        [
            "AL",
            "AR",
            "IL",
            "IA",
            "KS",
            "LA",
            "MN",
            "MS",
            "MO",
            "NE",
            "ND",
            "OK",
            "SD",
            "TN",
            "TX",
            "WI",
        ],
        "America/Chicago",
    ),
    **dict.fromkeys(["CO", "ID", "MT", "NM", "UT", "WY"], "America/Denver"),
    "AZ": "America/Phoenix",
    **dict.fromkeys(["CA", "NV", "OR", "WA"], "America/Los_Angeles"),
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
}


def zone_for(*, region: str | None, e164: str | None, default: str) -> str:
    """The subscriber's IANA time zone."""
    if region and region.upper() in STATE_ZONES:
        return STATE_ZONES[region.upper()]
    if e164:
        try:
            zones = phone_timezones.time_zones_for_number(phonenumbers.parse(e164))
        except phonenumbers.NumberParseException:
            zones = ()
        known = [z for z in zones if z != "Etc/Unknown"]
        if known:
            return known[0]
    return default


def next_allowed(now: datetime, zone: str, start: int, end: int) -> datetime | None:
    """None when `now` is inside [start, end) local time; else the next local `start`, in UTC."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    local = now.astimezone(tz)
    if time(start) <= local.time() < time(end):
        return None
    day = local.date() if local.time() < time(start) else local.date() + timedelta(days=1)
    opening = datetime.combine(day, time(start), tzinfo=tz)
    return opening.astimezone(now.tzinfo)
