"""When organizers staff the line: `HOTLINE_HOURS`, parsed, checked and said aloud.

Format: one or more `<days> <HH:MM>-<HH:MM>` ranges separated by commas, then an IANA time
zone, e.g. `Mon-Fri 09:00-17:00, Sat 10:00-14:00 America/Chicago`. Days are Mon … Sun, a
single day or a range (`Sat-Sun`); `Daily` means every day. Times are local to the zone; a
range that ends at or before it starts runs past midnight.
"""

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_time, get_day_names, get_timezone_name
from flask_babel import gettext as _

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Shift:
    """Days of the week (0 = Monday, first to last inclusive) and a local time range."""

    first: int
    last: int
    start: time
    end: time


@dataclass(frozen=True)
class Hours:
    """Parsed HOTLINE_HOURS."""

    shifts: tuple[Shift, ...]
    zone: ZoneInfo


def _days(text: str) -> tuple[int, int]:
    if text.lower() == "daily":
        return 0, 6
    first, _sep, last = text.lower().partition("-")
    return DAYS.index(first[:3]), DAYS.index((last or first)[:3])


def parse(spec: str) -> Hours:
    """Parse the setting; ValueError says what is wrong."""
    body, _sep, zone_name = spec.strip().rpartition(" ")
    try:
        zone = ZoneInfo(zone_name)
        shifts = []
        for part in body.split(","):
            days, span = part.split()
            start, end = (time.fromisoformat(t) for t in span.split("-"))
            shifts.append(Shift(*_days(days), start=start, end=end))
    except (ValueError, ZoneInfoNotFoundError) as exc:
        raise ValueError(f"HOTLINE_HOURS not understood: {spec!r}") from exc
    return Hours(shifts=tuple(shifts), zone=zone)


def _covers(shift: Shift, weekday: int) -> bool:
    if shift.first <= shift.last:
        return shift.first <= weekday <= shift.last
    return weekday >= shift.first or weekday <= shift.last


def is_open(hours: Hours, now: datetime) -> bool:
    """Whether `now` (aware) falls inside a shift, in the line's time zone."""
    local = now.astimezone(hours.zone)
    clock, today = local.time(), local.weekday()
    for shift in hours.shifts:
        if shift.start < shift.end:
            if _covers(shift, today) and shift.start <= clock < shift.end:
                return True
        elif (_covers(shift, today) and clock >= shift.start) or (
            _covers(shift, (today - 1) % 7) and clock < shift.end
        ):
            return True
    return False


def describe(hours: Hours, locale: str) -> str:
    """The hours in words for the current (forced) locale, e.g. 'Monday to Friday, 9:00 AM to
    5:00 PM, Central Time'."""
    try:
        where = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        where = Locale.parse("en")
    names = get_day_names("wide", locale=where)
    parts = []
    for shift in hours.shifts:
        days = names[shift.first]
        if shift.last != shift.first:
            days = _("%(first)s to %(last)s", first=names[shift.first], last=names[shift.last])
        start = format_time(shift.start, "short", locale=where)
        end = format_time(shift.end, "short", locale=where)
        parts.append(_("%(days)s, %(start)s to %(end)s", days=days, start=start, end=end))
    zone = get_timezone_name(hours.zone, width="long", uncommon=False, locale=where)
    return "; ".join(parts) + ", " + zone
