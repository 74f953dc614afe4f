"""employer search key and word list (PostgreSQL): one GIN scan a query, typos among words

`employer_search` holds each employer's name, alias and city keys in one string (so every word of
a query is one condition of one GIN index scan) and `employer_word` every distinct word of them
(typo tolerance finds the close words there, then searches for them). Triggers keep both in
step. SQLite keeps its FTS5 table; nothing changes there.

Revision ID: c5d2e8f1a9b3
Revises: b41c7e9d2f10
Create Date: 2026-11-30 00:40:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c5d2e8f1a9b3"
down_revision = "b41c7e9d2f10"
branch_labels = None
depends_on = None

_KEY_OF = (
    "e.name_key || coalesce(' / ' || (SELECT string_agg(a.name_key, ' / ' ORDER BY a.id)"
    " FROM employer_alias a WHERE a.employer_id = e.id), '') || ' / ' || e.city_key"
)
DDL = (
    "CREATE TABLE IF NOT EXISTS employer_search (employer_id integer PRIMARY KEY"
    " REFERENCES employer (id) ON DELETE CASCADE, key text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS employer_word (word text PRIMARY KEY)",
    "CREATE OR REPLACE FUNCTION employer_search_refresh(target integer) RETURNS void"  # noqa: S608
    f" LANGUAGE sql AS $$ INSERT INTO employer_search (employer_id, key) SELECT e.id, {_KEY_OF}"
    " FROM employer e WHERE e.id = target"
    " ON CONFLICT (employer_id) DO UPDATE SET key = excluded.key;"
    " INSERT INTO employer_word (word) SELECT DISTINCT w FROM employer_search s,"
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
    f"INSERT INTO employer_search (employer_id, key) SELECT e.id, {_KEY_OF} FROM employer e"  # noqa: S608
    " ON CONFLICT (employer_id) DO UPDATE SET key = excluded.key",
    "INSERT INTO employer_word (word) SELECT DISTINCT w FROM employer_search,"
    " regexp_split_to_table(key, '[^[:alnum:]]+') w WHERE w <> '' ON CONFLICT DO NOTHING",
    # indexed after the backfill: building a GIN index at once is much faster than growing it
    "CREATE INDEX IF NOT EXISTS ix_employer_search_key_trgm ON employer_search"
    " USING gin (key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_employer_word_word_trgm ON employer_word"
    " USING gin (word gin_trgm_ops)",
)
DROP = (
    "DROP TRIGGER IF EXISTS employer_search_aiu ON employer",
    "DROP TRIGGER IF EXISTS employer_alias_search_aiud ON employer_alias",
    "DROP FUNCTION IF EXISTS employer_search_trigger()",
    "DROP FUNCTION IF EXISTS employer_search_refresh(integer)",
    "DROP TABLE IF EXISTS employer_search",
    "DROP TABLE IF EXISTS employer_word",
)


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":  # pg_trgm exists: e3a1c2d4b5f6 made sure of it
        for statement in DDL:
            conn.exec_driver_sql(statement)


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        for statement in DROP:
            conn.exec_driver_sql(statement)
