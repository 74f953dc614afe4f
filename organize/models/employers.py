"""Employers and the other names workers know them by.

Search indexes live with the tables: on PostgreSQL, trigram GIN indexes (pg_trgm) on the folded
name, alias and city keys; on SQLite, an FTS5 table with the trigram tokenizer (`employer_fts`,
one row per employer: its name and alias keys, its city key) kept in step by triggers. Both are
made by `create_all` (tests) and by the migration `e3a1c2d4b5f6_employer_search_indexes`.
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base


def _trigram_index(name: str, column: str) -> sa.Index:
    """A pg_trgm GIN index (PostgreSQL only: SQLite searches through `employer_fts`)."""
    index = sa.Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})
    return index.ddl_if(dialect="postgresql")


class Employer(Base):
    """A workplace workers can review. `name_key`/`city_key` are normalized for search and dedup."""

    __tablename__ = "employer"
    __table_args__ = (
        sa.UniqueConstraint("name_key", "city_key"),
        _trigram_index("ix_employer_name_key_trgm", "name_key"),
        _trigram_index("ix_employer_city_key_trgm", "city_key"),
    )

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
    __table_args__ = (
        sa.UniqueConstraint("employer_id", "name_key"),
        _trigram_index("ix_employer_alias_name_key_trgm", "name_key"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    employer_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_key: so.Mapped[str] = so.mapped_column(sa.String(200), index=True)
    # A worker's spelling finds duplicates at once but is shown only once an organizer lists it.
    listed: so.Mapped[bool] = so.mapped_column(default=True)

    employer: so.Mapped[Employer] = so.relationship(back_populates="aliases")


FTS_TABLE = "employer_fts"
_NAMES_OF = (  # an employer's name key and alias keys, separated by a non-word character
    "e.name_key || coalesce(' / ' || (SELECT group_concat(a.name_key, ' / ')"
    " FROM employer_alias a WHERE a.employer_id = e.id), '')"
)
# (S608: these statements are built from constants only; no value reaches them)
_REFRESH = (
    f"DELETE FROM {FTS_TABLE} WHERE rowid = {{ref}}.{{col}}; "  # noqa: S608
    f"INSERT INTO {FTS_TABLE} (rowid, names, city) "
    f"SELECT e.id, {_NAMES_OF}, e.city_key FROM employer e WHERE e.id = {{ref}}.{{col}};"
)
SQLITE_SEARCH_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(names, city, tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS employer_fts_ai AFTER INSERT ON employer BEGIN "
    f"{_REFRESH.format(ref='new', col='id')} END",
    f"CREATE TRIGGER IF NOT EXISTS employer_fts_au AFTER UPDATE ON employer BEGIN "  # noqa: S608
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; {_REFRESH.format(ref='new', col='id')} END",
    f"CREATE TRIGGER IF NOT EXISTS employer_fts_ad AFTER DELETE ON employer BEGIN "  # noqa: S608
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
    f"CREATE TRIGGER IF NOT EXISTS employer_alias_fts_ai AFTER INSERT ON employer_alias BEGIN "
    f"{_REFRESH.format(ref='new', col='employer_id')} END",
    f"CREATE TRIGGER IF NOT EXISTS employer_alias_fts_au AFTER UPDATE ON employer_alias BEGIN "
    f"{_REFRESH.format(ref='old', col='employer_id')} "
    f"{_REFRESH.format(ref='new', col='employer_id')} END",
    f"CREATE TRIGGER IF NOT EXISTS employer_alias_fts_ad AFTER DELETE ON employer_alias BEGIN "
    f"{_REFRESH.format(ref='old', col='employer_id')} END",
    f"INSERT INTO {FTS_TABLE} (rowid, names, city) SELECT e.id, {_NAMES_OF}, e.city_key "  # noqa: S608
    f"FROM employer e WHERE e.id NOT IN (SELECT rowid FROM {FTS_TABLE})",
)


def sqlite_trigram_available(conn: sa.Connection) -> bool:
    """Whether the linked SQLite has FTS5 with the trigram tokenizer (SQLite ≥ 3.34)."""
    try:
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.fts_probe USING fts5(x, tokenize='trigram')"
        )
    except sa.exc.OperationalError:
        return False
    conn.exec_driver_sql("DROP TABLE temp.fts_probe")
    return True


def _create_sqlite_search(target: sa.Table, conn: sa.Connection, **kw: Any) -> None:
    if conn.dialect.name == "sqlite" and sqlite_trigram_available(conn):
        for statement in SQLITE_SEARCH_DDL:
            conn.exec_driver_sql(statement)


def _drop_sqlite_search(target: sa.Table, conn: sa.Connection, **kw: Any) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


sa.event.listen(
    Employer.__table__,
    "before_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
sa.event.listen(EmployerAlias.__table__, "after_create", _create_sqlite_search)
sa.event.listen(Employer.__table__, "before_drop", _drop_sqlite_search)


def include_object_for(dialect: str) -> Callable[..., bool]:
    """Alembic's filter: the search structures that exist only on one database are not drift."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "table" and (name or "").startswith(FTS_TABLE):
            return False  # SQLite's FTS5 table and its shadow tables
        if type_ == "index" and (name or "").endswith("_trgm"):
            return dialect == "postgresql"
        return True

    return include
