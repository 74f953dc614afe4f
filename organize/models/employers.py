"""Employers and the other names workers know them by."""

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base


class Employer(Base):
    """A workplace workers can review. `name_key`/`city_key` are normalized for search and dedup."""

    __tablename__ = "employer"
    __table_args__ = (sa.UniqueConstraint("name_key", "city_key"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    slug: so.Mapped[str] = so.mapped_column(sa.String(220), unique=True)
    name_key: so.Mapped[str] = so.mapped_column(sa.String(200), index=True)
    city: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    city_key: so.Mapped[str] = so.mapped_column(sa.String(120), default="", index=True)
    region: so.Mapped[str] = so.mapped_column(sa.String(60), default="")
    industry: so.Mapped[str] = so.mapped_column(sa.String(40), default="other")
    added_by: so.Mapped[str] = so.mapped_column(sa.String(20), default="worker")
    # pending (a worker added it; not public) · approved (listed) · rejected (never shown)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="pending", index=True)

    aliases: so.Mapped[list["EmployerAlias"]] = so.relationship(
        back_populates="employer", cascade="all, delete-orphan", order_by="EmployerAlias.id"
    )

    def __repr__(self) -> str:
        return f"<Employer {self.slug}>"


class EmployerAlias(Base):
    """Another spelling or trade name, kept so search finds the employer under it too."""

    __tablename__ = "employer_alias"
    __table_args__ = (sa.UniqueConstraint("employer_id", "name_key"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    employer_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_key: so.Mapped[str] = so.mapped_column(sa.String(200), index=True)
    # A worker's spelling finds duplicates at once but is shown only once an organizer lists it.
    listed: so.Mapped[bool] = so.mapped_column(default=True)

    employer: so.Mapped[Employer] = so.relationship(back_populates="aliases")
