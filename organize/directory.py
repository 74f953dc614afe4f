"""The employer directory's search: indexed, ranked and tolerant of typos, on both databases.

Every word of the query must appear in the employer's name, one of its aliases or its city (all
compared as `match_key`s: case, accents and confusable letters folded, as dedup folds them).
PostgreSQL finds them in one GIN index scan of `employer_search` (name, aliases and city in one
key), SQLite through its FTS5 trigram table (or a scan where the linked SQLite lacks it). Results
rank exact name, then prefix, then trigram similarity, then visible reviews. When the words find
fewer than `FUZZY_BELOW` employers, the closest names follow: every word must be in the name or
city or close to one of its words (`WORD_SIMILARITY`), so "sunrise cleanig" still finds Sunrise
Cleaning while random letters find nothing. PostgreSQL looks each word up among the directory's
distinct words (`employer_word`) and searches for the close ones; SQLite compares the words of
the names that share a trigram with the query.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import orm as so
from sqlalchemy.dialects.postgresql import ARRAY

from organize.extensions import db
from organize.models import Employer, EmployerAlias, Review
from organize.models.employers import FTS_TABLE, SEARCH_TABLE, WORD_TABLE
from organize.plumbing.text import name_key

_NOT_ALNUM = re.compile(r"[\W_]+")  # pg_trgm splits words on anything not alphanumeric
MAX_WORDS = 6
FUZZY_BELOW = 3  # fewer exact matches than this: add the nearest names
FUZZY_MAX = 50  # nearest names considered at most
WORD_SIMILARITY = 0.38  # a word's trigram similarity to a name's word: one typo passes, noise fails
MIN_FTS_WORD = 3  # FTS5's trigram tokenizer cannot match shorter substrings
MAX_CANDIDATES = 1_000  # matches ranked at most (plus every exact and prefix match): a
# broad query (a city, a trade) ranks a sample; ranking reads each candidate row
CLOSE_WORDS = 8  # the directory's words tried in place of each query word, at most

# PostgreSQL's search structures (made by triggers, not mapped: see organize/models/employers.py)
_SEARCH = sa.table(SEARCH_TABLE, sa.column("employer_id", sa.Integer), sa.column("key", sa.Text))
_WORDS = sa.table(WORD_TABLE, sa.column("word", sa.Text))


@dataclass(frozen=True)
class Hit:
    """One employer in the results, with its count of visible reviews (no contents)."""

    employer: Employer
    reviews: int


@dataclass(frozen=True)
class Results:
    """One page of results; `nearest` says they came from typo tolerance."""

    hits: list[Hit]
    page: int
    has_next: bool
    nearest: bool = False


def listed() -> sa.ColumnElement[bool]:
    """The employers the public shows — in the directory, on their pages, by text and by phone:
    those an organizer approved (a worker's addition waits; issue 9). One clause for all."""
    return Employer.status == "approved"


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in _NOT_ALNUM.split(text):
        if not word:
            continue
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's `similarity`: shared trigrams over all trigrams of both (SQLite's stand-in)."""
    ga, gb = trigrams(a or ""), trigrams(b or "")
    if not ga or not gb:
        return 0.0
    shared = len(ga & gb)
    return shared / (len(ga) + len(gb) - shared)


def word_similarity(word: str | None, text: str | None) -> float:
    """Close to pg_trgm's `word_similarity`: the word's similarity to the text's closest word
    (SQLite's stand-in; PostgreSQL also tries spans of several words)."""
    return max((similarity(word, other) for other in _NOT_ALNUM.split(text or "")), default=0.0)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(
    column: sa.ColumnElement[str] | so.InstrumentedAttribute[str], word: str
) -> sa.ColumnElement[bool]:
    return column.like(f"%{_escape_like(word)}%", escape="\\")


def _sqlite_fts(conn: sa.Connection) -> bool:
    """Give SQLite our `similarity`; say whether it has the FTS5 trigram table."""
    raw = conn.connection.driver_connection
    raw.create_function("similarity", 2, similarity, deterministic=True)  # type: ignore[union-attr]
    raw.create_function("word_similarity", 2, word_similarity, deterministic=True)  # type: ignore[union-attr]
    return _fts_ready(conn)


def _fts_ready(conn: sa.Connection) -> bool:
    # The table and its six triggers: a batch migration that rebuilds `employer` drops the
    # triggers, and a stale index must not hide employers (the scan is slower, never wrong).
    found = conn.execute(
        sa.text(
            "SELECT count(*) FROM sqlite_master WHERE (type = 'table' AND name = :table)"
            " OR (type = 'trigger' AND name LIKE '%fts_a_')"
        ),
        {"table": FTS_TABLE},
    ).scalar_one()
    return bool(found == 7)


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts_ids(query: str) -> sa.Select[int]:
    fts_table = sa.table(FTS_TABLE, sa.column("rowid"))
    return sa.select(fts_table.c.rowid).where(sa.literal_column(FTS_TABLE).op("MATCH")(query))


def _word_matches(
    words: list[str], dialect: str, fts: bool
) -> sa.Select[int] | sa.CompoundSelect[int]:
    """Ids of employers where every word is in the name, an alias or the city."""
    if dialect == "postgresql":
        return _keyed([[w] for w in words])
    if dialect == "sqlite" and fts and any(len(w) >= MIN_FTS_WORD for w in words):
        long_words = [w for w in words if len(w) >= MIN_FTS_WORD]
        ids = _fts_ids(" AND ".join(_fts_phrase(w) for w in long_words))
        short = [w for w in words if len(w) < MIN_FTS_WORD]
        if not short:
            return ids
        return sa.select(Employer.id).where(Employer.id.in_(ids), *(_one_word(w) for w in short))
    # SQLite without FTS5: every word in the name or the city; or, for an employer known by
    # another name, an alias holding one of the words whose employer then holds every word
    # across alias, name and city.
    by_name = sa.select(Employer.id).where(
        *(sa.or_(_contains(Employer.name_key, w), _contains(Employer.city_key, w)) for w in words)
    )
    by_alias = (
        sa.select(EmployerAlias.employer_id)
        .join(Employer, Employer.id == EmployerAlias.employer_id)
        .where(
            sa.or_(*(_contains(EmployerAlias.name_key, w) for w in words)),
            *(
                sa.or_(
                    _contains(EmployerAlias.name_key, w),
                    _contains(Employer.name_key, w),
                    _contains(Employer.city_key, w),
                )
                for w in words
            ),
        )
    )
    return sa.union_all(by_name, by_alias)  # duplicates are harmless; LIMIT can stop early


def _keyed(alternatives: list[list[str]]) -> sa.Select[int]:
    """PostgreSQL: ids of employers whose search key holds, for every query word, the word or
    one of its alternatives — all the conditions in one scan of the key's GIN index."""
    return sa.select(_SEARCH.c.employer_id).where(
        *(sa.or_(*(_contains(_SEARCH.c.key, w) for w in alts)) for alts in alternatives)
    )


def _close_words(words: list[str]) -> list[list[str]]:
    """PostgreSQL: each word with the directory's words close to it (`%>`: word similarity at
    least `WORD_SIMILARITY`), closest first — one round trip over a few thousand words."""
    per_word = [
        sa.select(sa.literal(i).label("i"), _WORDS.c.word)
        .where(_WORDS.c.word.op("%>", return_type=sa.Boolean)(w), _WORDS.c.word != w)
        .order_by(sa.func.word_similarity(w, _WORDS.c.word).desc(), _WORDS.c.word)
        .limit(CLOSE_WORDS)
        .subquery()
        .select()
        for i, w in enumerate(words)
    ]
    alternatives = [[w] for w in words]
    for i, word in db.session.execute(sa.union_all(*per_word)):
        alternatives[i].append(word)
    return alternatives


def _starts(key: str) -> sa.CompoundSelect[int]:
    """Ids of employers whose name or an alias is the key or starts with it."""
    prefix = f"{_escape_like(key)}%"
    return sa.union(
        sa.select(Employer.id).where(Employer.name_key.like(prefix, escape="\\")),
        sa.select(EmployerAlias.employer_id).where(
            EmployerAlias.name_key.like(prefix, escape="\\")
        ),
    )


def _among(ids: list[int], dialect: str) -> sa.ColumnElement[bool]:
    if dialect == "postgresql":  # one array parameter, an index scan per id
        return Employer.id == sa.any_(sa.bindparam("ids", ids, type_=ARRAY(sa.Integer)))
    return Employer.id.in_(ids)


def _one_word(word: str) -> sa.ColumnElement[bool]:
    """One word against the current employer's name, aliases and city (SQLite's scan)."""
    alias = sa.select(EmployerAlias.id).where(
        EmployerAlias.employer_id == Employer.id, _contains(EmployerAlias.name_key, word)
    )
    return sa.or_(
        _contains(Employer.name_key, word), _contains(Employer.city_key, word), alias.exists()
    )


def _visible_reviews(now: datetime) -> sa.ScalarSelect[int]:
    """Approved reviews past their delay: the count the directory may show (no contents)."""
    return (
        sa.select(sa.func.count(Review.id))
        .where(
            Review.employer_id == Employer.id,
            Review.status == "approved",
            Review.publish_after <= now,
        )
        .scalar_subquery()
    )


def _alias_key(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    return (
        sa.select(EmployerAlias.id)
        .where(EmployerAlias.employer_id == Employer.id, condition)
        .exists()
    )


def _ranked(
    key: str, ids: list[int] | None, dialect: str, now: datetime
) -> sa.Select[Employer, int]:
    """Employers (among `ids`, if given), best first, with their visible review counts."""
    reviews = _visible_reviews(now).label("reviews")
    stmt = sa.select(Employer, reviews).where(listed())
    if ids is None:
        return stmt.order_by(Employer.name_key, Employer.id)
    prefix = f"{_escape_like(key)}%"
    tier = sa.case(
        (sa.or_(Employer.name_key == key, _alias_key(EmployerAlias.name_key == key)), 0),
        (
            sa.or_(
                Employer.name_key.like(prefix, escape="\\"),
                _alias_key(EmployerAlias.name_key.like(prefix, escape="\\")),
            ),
            1,
        ),
        else_=2,
    )
    return stmt.where(_among(ids, dialect)).order_by(
        tier,
        sa.func.similarity(Employer.name_key, key).desc(),
        reviews.desc(),
        Employer.name_key,
        Employer.id,
    )


def _candidates(key: str, words: list[str], dialect: str, fts: bool) -> list[int]:
    """Ids matching every word: at most `MAX_CANDIDATES`, plus every exact and prefix match.

    Fetched first, so ranking reads rows by primary key rather than joining a set the planner
    cannot size; a very broad query ranks a sample of its matches, never losing the name itself.
    """
    ids = list(db.session.scalars(_word_matches(words, dialect, fts).limit(MAX_CANDIDATES)))
    if len(ids) == MAX_CANDIDATES:
        ids += db.session.scalars(_starts(key))
    return sorted(set(ids))


def _near_word(column: so.InstrumentedAttribute[str], word: str) -> sa.ColumnElement[bool]:
    """SQLite: the word is in the column, or a word of the column is close to it."""
    near = sa.func.word_similarity(word, column) >= WORD_SIMILARITY
    return sa.or_(_contains(column, word), near)


def _nearest(key: str, words: list[str], dialect: str, fts: bool, now: datetime) -> list[Hit]:
    """Typo tolerance: employers where every word is in, or close to a word of, the name or
    city (or an alias), most similar names first. Each word must pass on its own, which keeps
    the index's candidates few and random letters out."""
    if dialect == "postgresql":
        alternatives = _close_words(words)
        if all(len(alts) == 1 for alts in alternatives):
            return []  # no word has a close one, and the words themselves found nothing
        ids = list(db.session.scalars(_keyed(alternatives).limit(MAX_CANDIDATES)))
    else:
        ids = _nearest_ids(words, fts)
    if not ids:
        return []
    score = sa.func.greatest if dialect == "postgresql" else sa.func.max
    alias_score = (
        sa.select(sa.func.max(sa.func.similarity(EmployerAlias.name_key, key)))
        .where(EmployerAlias.employer_id == Employer.id)
        .scalar_subquery()
    )
    best = score(sa.func.similarity(Employer.name_key, key), sa.func.coalesce(alias_score, 0))
    reviews = _visible_reviews(now).label("reviews")
    stmt = (
        sa.select(Employer, reviews)
        .where(listed(), _among(ids, dialect))
        .order_by(best.desc(), reviews.desc(), Employer.name_key, Employer.id)
        .limit(FUZZY_MAX)
    )
    return [Hit(employer, count) for employer, count in db.session.execute(stmt)]


def _nearest_ids(words: list[str], fts: bool) -> list[int]:
    """SQLite: ids of employers where every word is in, or close to a word of, the name, an
    alias or the city (narrowed by FTS5, where it exists, to rows sharing a trigram)."""
    by_name = sa.select(Employer.id).where(
        *(sa.or_(_near_word(Employer.name_key, w), _near_word(Employer.city_key, w)) for w in words)
    )
    by_alias = sa.select(EmployerAlias.employer_id).where(
        *(_near_word(EmployerAlias.name_key, w) for w in words)
    )
    if fts:  # narrowed to rows sharing a trigram with the query
        grams = sorted({w[i : i + 3] for w in words for i in range(len(w) - 2)})
        if not grams:
            return []
        shared = _fts_ids("(" + " OR ".join(_fts_phrase(g) for g in grams) + ")")
        by_name = by_name.where(Employer.id.in_(shared))
        by_alias = by_alias.where(EmployerAlias.employer_id.in_(shared))
    return list(db.session.scalars(sa.union_all(by_name, by_alias).limit(MAX_CANDIDATES)))


def _prepare(conn: sa.Connection) -> bool:
    """Per-transaction settings; returns whether SQLite has its FTS5 table."""
    if conn.dialect.name == "sqlite":
        return _sqlite_fts(conn)
    if conn.dialect.name == "postgresql":
        # JIT compiles for ~100 ms, and parallel workers take ms to start, on queries the
        # planner guesses are big; `%>` reads its threshold from the session
        conn.execute(
            sa.select(
                sa.func.set_config("jit", "off", True),
                sa.func.set_config("max_parallel_workers_per_gather", "0", True),
                sa.func.set_config("pg_trgm.word_similarity_threshold", str(WORD_SIMILARITY), True),
            )
        )
    return False


def search(
    *, query: str = "", page: int = 1, per_page: int = 20, now: datetime | None = None
) -> Results:
    """A page of the directory for this query (all employers by name when it is empty)."""
    now = now or datetime.now(UTC)
    page = max(page, 1)
    words = name_key(query).split()[:MAX_WORDS]
    key = " ".join(words)
    conn = db.session.connection()
    dialect = conn.dialect.name
    fts = _prepare(conn)
    ids = _candidates(key, words, dialect, fts) if words else None
    if ids == []:
        rows: list[Hit] = []
    else:
        stmt = _ranked(key, ids, dialect, now).limit(per_page + 1).offset((page - 1) * per_page)
        rows = [Hit(employer, count) for employer, count in db.session.execute(stmt)]
    if ids is None or len(ids) >= FUZZY_BELOW:
        return Results(hits=rows[:per_page], page=page, has_next=len(rows) > per_page)
    head = rows if page == 1 else [
        Hit(e, n) for e, n in db.session.execute(_ranked(key, ids, dialect, now))
    ]  # fmt: skip
    seen = {hit.employer.id for hit in head}
    nearest = [
        hit for hit in _nearest(key, words, dialect, fts, now) if hit.employer.id not in seen
    ]
    combined, start = head + nearest, (page - 1) * per_page
    return Results(
        hits=combined[start : start + per_page],
        page=page,
        has_next=len(combined) > start + per_page,
        nearest=bool(nearest),
    )
