"""Help near you: worker centers, legal aid, co-ops and unions (public organizations)."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base

RESOURCE_KINDS = ("worker-center", "legal-aid", "co-op", "union")


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
    description_en: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_es: so.Mapped[str] = so.mapped_column(sa.Text, default="")
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
        """Opening hours written for the locale ("Lun-Vie 9-6", "周一至周五 9-6")."""
        return self._text(locale, "hours") or self.hours

    def is_draft(self, locale: str) -> bool:
        """Whether the locale's text awaits a native speaker's review."""
        return bool(((self.texts or {}).get(locale) or {}).get("draft"))
