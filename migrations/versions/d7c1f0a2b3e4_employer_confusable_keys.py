"""employer keys fold confusable letters (UTS #39 skeleton)

Name and city keys are recomputed with `organize.plumbing.text.name_key` / `match_key`, so a
look-alike spelling added after this meets the employer it imitates. Where two existing employers
now share a key (a look-alike that already split one), the later keeps its old key: merging them
is an organizer's decision, and the unique constraint must hold. Aliases of one employer that now
share a key are merged into the first (a downgrade does not bring the duplicate back).

Revision ID: d7c1f0a2b3e4
Revises: 52eec39af378
Create Date: 2026-11-29 21:50:00.000000

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7c1f0a2b3e4'
down_revision = '52eec39af378'
branch_labels = None
depends_on = None

employer = sa.table('employer', sa.column('id'), sa.column('name'), sa.column('name_key'),
                    sa.column('city'), sa.column('city_key'))
alias = sa.table('employer_alias', sa.column('id'), sa.column('employer_id'), sa.column('name'),
                 sa.column('name_key'))


def _rekey(name_key, city_key):
    conn = op.get_bind()
    taken = set()
    rows = conn.execute(sa.select(employer.c.id, employer.c.name, employer.c.city,
                                  employer.c.name_key, employer.c.city_key).order_by(employer.c.id)).all()
    new = {}
    for row in rows:
        key = (name_key(row.name), city_key(row.city))
        if key in taken:
            key = (row.name_key, row.city_key)
        taken.add(key)
        new[row.id] = key
    # two passes, so no row meets another's old key on the way
    for row in rows:
        conn.execute(employer.update().where(employer.c.id == row.id)
                     .values(name_key=f'#{row.id}', city_key=f'#{row.id}'))
    for row_id, (key, city) in new.items():
        conn.execute(employer.update().where(employer.c.id == row_id)
                     .values(name_key=key, city_key=city))
    seen = set()
    for row in conn.execute(sa.select(alias.c.id, alias.c.employer_id, alias.c.name).order_by(alias.c.id)).all():
        key = (row.employer_id, name_key(row.name))
        if key in seen:
            conn.execute(alias.delete().where(alias.c.id == row.id))
            continue
        seen.add(key)
        conn.execute(alias.update().where(alias.c.id == row.id).values(name_key=f'#{row.id}'))
    for row in conn.execute(sa.select(alias.c.id, alias.c.name)).all():
        conn.execute(alias.update().where(alias.c.id == row.id).values(name_key=name_key(row.name)))


def upgrade():
    from organize.plumbing.text import match_key, name_key

    _rekey(name_key, match_key)


_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SUFFIXES = {"llc", "inc", "co", "corp", "ltd", "company", "sa", "de", "cv", "srl"}


def _old_fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def _old_name_key(name):
    words = _old_fold(name).split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)


def downgrade():
    _rekey(_old_name_key, _old_fold)
