"""employer search indexes: pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite

PostgreSQL needs the pg_trgm extension; a role that may not create it gets a message saying what
to ask a superuser for. SQLite gets an FTS5 table with the trigram tokenizer, kept in step by
triggers, where the linked SQLite has it (3.34+); elsewhere search scans, as before.

Revision ID: e3a1c2d4b5f6
Revises: d7c1f0a2b3e4
Create Date: 2026-11-29 21:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a1c2d4b5f6'
down_revision = 'd7c1f0a2b3e4'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_employer_name_key_trgm', 'employer', 'name_key'),
    ('ix_employer_city_key_trgm', 'employer', 'city_key'),
    ('ix_employer_alias_name_key_trgm', 'employer_alias', 'name_key'),
)

_NAMES_OF = ("e.name_key || coalesce(' / ' || (SELECT group_concat(a.name_key, ' / ')"
             " FROM employer_alias a WHERE a.employer_id = e.id), '')")
_REFRESH = ("DELETE FROM employer_fts WHERE rowid = {ref}.{col}; "
            "INSERT INTO employer_fts (rowid, names, city) "
            f"SELECT e.id, {_NAMES_OF}, e.city_key FROM employer e WHERE e.id = {{ref}}.{{col}};")
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS employer_fts USING fts5(names, city, tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS employer_fts_ai AFTER INSERT ON employer BEGIN "
    f"{_REFRESH.format(ref='new', col='id')} END",
    "CREATE TRIGGER IF NOT EXISTS employer_fts_au AFTER UPDATE ON employer BEGIN "
    f"DELETE FROM employer_fts WHERE rowid = old.id; {_REFRESH.format(ref='new', col='id')} END",
    "CREATE TRIGGER IF NOT EXISTS employer_fts_ad AFTER DELETE ON employer BEGIN "
    "DELETE FROM employer_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS employer_alias_fts_ai AFTER INSERT ON employer_alias BEGIN "
    f"{_REFRESH.format(ref='new', col='employer_id')} END",
    "CREATE TRIGGER IF NOT EXISTS employer_alias_fts_au AFTER UPDATE ON employer_alias BEGIN "
    f"{_REFRESH.format(ref='old', col='employer_id')} {_REFRESH.format(ref='new', col='employer_id')} END",
    "CREATE TRIGGER IF NOT EXISTS employer_alias_fts_ad AFTER DELETE ON employer_alias BEGIN "
    f"{_REFRESH.format(ref='old', col='employer_id')} END",
    "INSERT INTO employer_fts (rowid, names, city) SELECT e.id, "
    f"{_NAMES_OF}, e.city_key FROM employer e WHERE e.id NOT IN (SELECT rowid FROM employer_fts)",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS employer_fts_ai", "DROP TRIGGER IF EXISTS employer_fts_au",
    "DROP TRIGGER IF EXISTS employer_fts_ad", "DROP TRIGGER IF EXISTS employer_alias_fts_ai",
    "DROP TRIGGER IF EXISTS employer_alias_fts_au", "DROP TRIGGER IF EXISTS employer_alias_fts_ad",
    "DROP TABLE IF EXISTS employer_fts",
)


def _sqlite_trigram(conn):
    try:
        conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts_probe USING fts5(x, tokenize='trigram')")
    except sa.exc.OperationalError:
        return False
    conn.exec_driver_sql("DROP TABLE temp.fts_probe")
    return True


def _pg_trgm(conn):
    if conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        return
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        raise RuntimeError(
            "Employer search needs PostgreSQL's pg_trgm extension, and this role may not create "
            f"it ({exc.orig}). Ask a superuser to run, in database "
            f"{conn.engine.url.database!r}: CREATE EXTENSION pg_trgm; then run "
            "`flask db upgrade` again."
        ) from exc


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name == 'postgresql':
        _pg_trgm(conn)
        for name, table, column in INDEXES:
            op.create_index(name, table, [column], unique=False, postgresql_using='gin',
                            postgresql_ops={column: 'gin_trgm_ops'})
    elif conn.dialect.name == 'sqlite' and _sqlite_trigram(conn):
        for statement in SQLITE_DDL:
            conn.exec_driver_sql(statement)


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name == 'postgresql':
        for name, table, _column in INDEXES:
            op.drop_index(name, table_name=table)
    elif conn.dialect.name == 'sqlite':
        for statement in SQLITE_DROP:
            conn.exec_driver_sql(statement)
