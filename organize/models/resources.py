"""Help near you: worker centers, legal aid, co-ops and unions (public organizations)."""

import re
from datetime import time
from typing import Any

import phonenumbers
import sqlalchemy as sa
from babel.dates import format_time, get_day_names
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import orm as so

from organize.models.base import Base

RESOURCE_KINDS = ("worker-center", "legal-aid", "co-op", "union", "agency", "hotline")
# The reserved fictional range (NXX-555-0100..0199): demo entries only.
_FICTIONAL = re.compile(r"^\+1[2-9]\d{2}55501\d{2}$")
# Babel has no "tl" locale data; Filipino is its written standard.
_BABEL_LOCALE = {"tl": "fil"}


class Resource(Base):
    """A place a worker can call or visit; its phone is an organization's, not a person's."""

    __tablename__ = "resource"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20), index=True)
    phone: so.Mapped[str] = so.mapped_column(sa.String(20), default="")
    hours: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
    # Opening hours as data, rendered per locale: [{"days": [0, 4], "open": "09:00",
    # "close": "18:00"}] (Monday=0, an inclusive day range), or [{"always": true}] for 24/7.
    schedule: so.Mapped[list[dict[str, Any]]] = so.mapped_column(
        sa.JSON, default=list, server_default="[]"
    )
    languages: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    region: so.Mapped[str] = so.mapped_column(sa.String(60), index=True)
    # The town it serves from, for "search by city" (a ZIP code searches by its state).
    city: so.Mapped[str] = so.mapped_column(sa.String(100), default="", server_default="")
    description_en: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_es: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # The organization's own page (an agency's contact page, checked when the entry was made).
    url: so.Mapped[str] = so.mapped_column(sa.String(300), default="", server_default="")
    # Other languages: {locale: {"description": …, "hours": …, "draft": bool}}.
    texts: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict, server_default="{}")

    def _text(self, locale: str, key: str) -> str:
        found = (self.texts or {}).get(locale) or {}
        return str(found.get(key) or "")

    def description(self, locale: str) -> str:
        """The description in the locale, English where it has none."""
        if locale == "es" and self.description_es:
            return self.description_es
        return self._text(locale, "description") or self.description_en

    def hours_in(self, locale: str) -> str:
        """Opening hours in the locale: rendered from `schedule` when it has one (day names and
        times from CLDR), else the text written for the locale ("Lun-Vie 9-6")."""
        if self.schedule:
            return render_schedule(self.schedule, locale)
        return self._text(locale, "hours") or self.hours

    def phone_display(self) -> str:
        """The number as people write it ("(866) 487-9243"); as stored when it does not parse."""
        try:
            parsed = phonenumbers.parse(self.phone, "US")
        except phonenumbers.NumberParseException:
            return self.phone
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)

    @property
    def is_fictional(self) -> bool:
        """A demo entry (its number is in the reserved fictional range)."""
        return bool(_FICTIONAL.match(self.phone or ""))

    def is_draft(self, locale: str) -> bool:
        """Whether the locale's text awaits a native speaker's review."""
        return bool(((self.texts or {}).get(locale) or {}).get("draft"))


def render_schedule(schedule: list[dict[str, Any]], locale: str) -> str:
    """[{"days": [0, 4], "open": "08:00", "close": "17:00", "tz": "local"}] → "Mon – Fri
    8:00 AM – 5:00 PM (your local time)" in the locale; [{"always": true}] → "24 hours"."""
    code = _BABEL_LOCALE.get(locale, locale)
    names = get_day_names("abbreviated", locale=code)
    parts = []
    with force_locale(locale):
        for entry in schedule:
            if entry.get("always"):
                parts.append(_("24 hours, every day"))
                continue
            first, last = entry["days"]
            days = names[first] if first == last else f"{names[first]}–{names[last]}"
            opens, closes = (time.fromisoformat(entry[k]) for k in ("open", "close"))
            span = f"{format_time(opens, 'short', locale=code)}–"
            span += format_time(closes, "short", locale=code)
            zone = {"local": _("your local time"), "ET": _("Eastern time")}.get(entry.get("tz", ""))
            parts.append(f"{days} {span}" + (f" ({zone})" if zone else ""))
    return "; ".join(parts)
