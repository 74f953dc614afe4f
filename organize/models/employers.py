"""Employers and the other names workers know them by.

Search indexes live with the tables. On PostgreSQL: trigram GIN indexes (pg_trgm) on the folded
name, alias and city keys; `employer_search` (one row per employer: its name, alias and city keys
in one string, so every word of a query is one GIN scan with all its conditions) and
`employer_word` (every distinct word of those keys: typo tolerance looks a misspelt word up among
a few thousand words, not among millions of names), both kept in step by triggers. On SQLite, an
FTS5 table with the trigram tokenizer (`employer_fts`, the same string split in two columns) kept
in step by triggers. All are made by `create_all` (tests) and by the migrations
`e3a1c2d4b5f6_employer_search_indexes` and `c5d2e8f1a9b3_employer_search_key`.
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


SEARCH_TABLE, WORD_TABLE = "employer_search", "employer_word"
# The key joins name, aliases and city with " / ": query words hold no space or slash, so a word
# that matches the key matches inside one of them, as the SQLite and scan backends match.
_PG_KEY_OF = (
    "e.name_key || coalesce(' / ' || (SELECT string_agg(a.name_key, ' / ' ORDER BY a.id)"
    " FROM employer_alias a WHERE a.employer_id = e.id), '') || ' / ' || e.city_key"
)
PG_SEARCH_DDL = (
    f"CREATE TABLE IF NOT EXISTS {SEARCH_TABLE} (employer_id integer PRIMARY KEY"
    " REFERENCES employer (id) ON DELETE CASCADE, key text NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {WORD_TABLE} (word text PRIMARY KEY)",
    f"CREATE INDEX IF NOT EXISTS ix_{SEARCH_TABLE}_key_trgm ON {SEARCH_TABLE}"
    " USING gin (key gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS ix_{WORD_TABLE}_word_trgm ON {WORD_TABLE}"
    " USING gin (word gin_trgm_ops)",
    # (S608: built from constants only)
    "CREATE OR REPLACE FUNCTION employer_search_refresh(target integer) RETURNS void"  # noqa: S608
    f" LANGUAGE sql AS $$ INSERT INTO {SEARCH_TABLE} (employer_id, key) SELECT e.id, {_PG_KEY_OF}"
    " FROM employer e WHERE e.id = target"
    " ON CONFLICT (employer_id) DO UPDATE SET key = excluded.key;"
    f" INSERT INTO {WORD_TABLE} (word) SELECT DISTINCT w FROM {SEARCH_TABLE} s,"
    " regexp_split_to_table(s.key, '[^[:alnum:]]+') w WHERE s.employer_id = target AND w <> ''"
    " ON CONFLICT DO NOTHING $$",
    "CREATE OR REPLACE FUNCTION employer_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN IF TG_TABLE_NAME = 'employer' THEN PERFORM employer_search_refresh(NEW.id);"
    " ELSE IF TG_OP <> 'INSERT' THEN PERFORM employer_search_refresh(OLD.employer_id); END IF;"
    " IF TG_OP <> 'DELETE' THEN PERFORM employer_search_refresh(NEW.employer_id); END IF;"
    " END IF; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS employer_search_aiu ON employer",
    "CREATE TRIGGER employer_search_aiu AFTER INSERT OR UPDATE OF name_key, city_key ON employer"
    " FOR EACH ROW EXECUTE FUNCTION employer_search_trigger()",
    "DROP TRIGGER IF EXISTS employer_alias_search_aiud ON employer_alias",
    "CREATE TRIGGER employer_alias_search_aiud AFTER INSERT OR UPDATE OR DELETE ON employer_alias"
    " FOR EACH ROW EXECUTE FUNCTION employer_search_trigger()",
)
# Rows that exist before the triggers (a migration, a bulk load): one statement each.
PG_SEARCH_BACKFILL = (
    f"INSERT INTO {SEARCH_TABLE} (employer_id, key) SELECT e.id, {_PG_KEY_OF} FROM employer e"  # noqa: S608
    " ON CONFLICT (employer_id) DO UPDATE SET key = excluded.key",
    f"INSERT INTO {WORD_TABLE} (word) SELECT DISTINCT w FROM {SEARCH_TABLE},"  # noqa: S608
    " regexp_split_to_table(key, '[^[:alnum:]]+') w WHERE w <> '' ON CONFLICT DO NOTHING",
)
PG_SEARCH_DROP = (
    f"DROP TABLE IF EXISTS {SEARCH_TABLE}",
    f"DROP TABLE IF EXISTS {WORD_TABLE}",
    "DROP FUNCTION IF EXISTS employer_search_trigger() CASCADE",
    "DROP FUNCTION IF EXISTS employer_search_refresh(integer)",
)


def _create_postgresql_search(target: sa.Table, conn: sa.Connection, **kw: Any) -> None:
    if conn.dialect.name == "postgresql":
        for statement in PG_SEARCH_DDL + PG_SEARCH_BACKFILL:
            conn.exec_driver_sql(statement)


def _drop_postgresql_search(target: sa.Table, conn: sa.Connection, **kw: Any) -> None:
    if conn.dialect.name == "postgresql":
        for statement in PG_SEARCH_DROP:
            conn.exec_driver_sql(statement)


sa.event.listen(
    Employer.__table__,
    "before_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
sa.event.listen(EmployerAlias.__table__, "after_create", _create_sqlite_search)
sa.event.listen(EmployerAlias.__table__, "after_create", _create_postgresql_search)
sa.event.listen(Employer.__table__, "before_drop", _drop_sqlite_search)
sa.event.listen(Employer.__table__, "before_drop", _drop_postgresql_search)


def include_object_for(dialect: str) -> Callable[..., bool]:
    """Alembic's filter: the search structures that exist only on one database are not drift."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "table" and (name or "").startswith(FTS_TABLE):
            return False  # SQLite's FTS5 table and its shadow tables
        if type_ == "table" and name in (SEARCH_TABLE, WORD_TABLE):
            return False  # PostgreSQL's search key and word list, made and kept by triggers
        if type_ == "index" and (name or "").endswith("_trgm"):
            return dialect == "postgresql"
        return True

    return include
