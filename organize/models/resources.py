"""Help near you: worker centers, legal aid, co-ops and unions (public organizations)."""

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
    languages: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    region: so.Mapped[str] = so.mapped_column(sa.String(60), index=True)
    description_en: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_es: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    def description(self, locale: str) -> str:
        """The description in the locale, English otherwise."""
        return (
            self.description_es if locale == "es" and self.description_es else self.description_en
        )
