"""Directory search: ranking, typo tolerance, look-alike letters, pages, on both databases."""

import pytest
import sqlalchemy as sa

from organize import directory, employers
from organize.extensions import db
from organize.plumbing.text import name_key
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_employer, make_review


def names(query: str, **kw: object) -> list[str]:
    return [hit.employer.name for hit in directory.search(query=query, **kw).hits]  # type: ignore[arg-type]


@pytest.fixture(params=["index"] if TEST_DATABASE_URL else ["index", "scan"])
def backend(request, app, monkeypatch):
    """Each test runs with the database's index (FTS5 on SQLite, pg_trgm on PostgreSQL) and,
    on SQLite, again with the plain scan used where the linked SQLite lacks FTS5 trigrams."""
    dialect = db.session.connection().dialect.name
    if request.param == "scan":
        monkeypatch.setattr(directory, "_fts_ready", lambda conn: False)
    elif dialect == "sqlite":
        assert directory._sqlite_fts(db.session.connection())  # the index is really there
    return request.param


def test_exact_then_prefix_then_the_rest(backend):
    for name in ("The Golden Wok House", "Golden Wok Express", "Golden Wok", "Wok of Gold"):
        make_employer(name, "Houston")
    assert names("golden wok") == ["Golden Wok", "Golden Wok Express", "The Golden Wok House"]


def test_an_alias_spelled_exactly_ranks_first(backend):
    make_employer("Amanecer Foods", "Houston")
    make_employer("Sunrise Cleaning", "Houston", aliases=["Amanecer"])
    assert names("amanecer") == ["Sunrise Cleaning", "Amanecer Foods"]


def test_visible_reviews_break_ties(backend):
    dallas = make_employer("Golden Wok", "Dallas")  # older, and "dallas" sorts first
    houston = make_employer("Golden Wok", "Houston")
    for _ in range(2):
        make_review(houston, status="approved")
    make_review(dallas, status="pending")  # not visible: does not count
    hits = directory.search(query="golden wok").hits
    assert [(h.employer.city, h.reviews) for h in hits] == [("Houston", 2), ("Dallas", 0)]


@pytest.mark.parametrize("typo", ["sunrise cleanig", "sunrise claening", "sunrize cleaning"])
def test_a_typo_finds_the_name_first(backend, typo):
    make_employer("Sunrise Cleaning", "Houston")
    make_employer("Sunset Cleaners", "Houston")
    make_employer("Golden Wok", "Houston")
    results = directory.search(query=typo)
    assert results.nearest
    assert [h.employer.name for h in results.hits][:1] == ["Sunrise Cleaning"]
    assert "Golden Wok" not in [h.employer.name for h in results.hits]


@pytest.mark.parametrize("noise", ["xqzvkwpj", "qwfpgj zxcvbm", "jjjjj", "zzq"])
def test_random_letters_find_nothing(backend, noise):
    for name in ("Sunrise Cleaning", "Golden Wok", "Limpieza Económica", "Jay's Janitorial"):
        make_employer(name, "Houston")
    assert names(noise) == []


def test_exact_words_are_not_diluted_by_near_names(backend):
    for name in ("Sunrise Cleaning", "Sunrise Cleaners", "Sunrise Clean Team"):
        make_employer(name, "Houston")
    make_employer("Sunrise Cleanup", "Dallas")
    results = directory.search(query="sunrise clean")
    assert not results.nearest
    assert len(results.hits) == 4


def test_short_words_and_cities_still_match(backend):
    make_employer("Golden Wok", "Houston")
    make_employer("Golden Gate Co-op", "Dallas")
    assert names("golden wo")[:1] == ["Golden Wok"]  # "wo" is below FTS5's trigram length
    assert names("golden dallas") == ["Golden Gate Co-op"]
    assert names("HOUSTON") == ["Golden Wok"]


def test_look_alike_letters_are_the_same_employer(backend):
    original = make_employer("Sunrise Cleaning", "Houston")
    # Cyrillic Ѕ (U+0405) and С (U+0421): looks the same, other code points
    look_alike, created = employers.add(name="Ѕunrise Сleaning", city="Ноustоn")
    db.session.commit()
    assert not created
    assert look_alike.id == original.id
    count = db.session.scalar(sa.select(sa.func.count()).select_from(employers.Employer))
    assert count == 1
    assert [h.employer.id for h in directory.search(query="Ѕunrise Сleaning").hits] == [original.id]
    assert [h.employer.id for h in directory.search(query="ѕunrіse").hits] == [original.id]


def test_pages(backend):
    for n in range(25):
        make_employer(f"Acme Cleaning {n:02d}", "Houston")
    pages = [directory.search(query="acme", page=n, per_page=10) for n in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [10, 10, 5]
    assert [p.has_next for p in pages] == [True, True, False]
    seen = [h.employer.name for p in pages for h in p.hits]
    assert sorted(seen) == [f"Acme Cleaning {n:02d}" for n in range(25)]  # each once
    everyone = directory.search(query="", page=2, per_page=20)
    assert len(everyone.hits) == 5


def test_typo_results_page_too(backend):
    for n in range(4):
        make_employer(f"Sunrise Cleaning {n}", f"City {n}")
    results = directory.search(query="sunrise cleanig", per_page=3)
    again = directory.search(query="sunrise cleanig", page=2, per_page=3)
    assert results.has_next
    assert results.nearest
    assert {h.employer.name for h in results.hits + again.hits} == {
        f"Sunrise Cleaning {n}" for n in range(4)
    }


def test_the_index_answers_the_words(app):
    """PostgreSQL plans the word match on the trigram indexes; SQLite on its FTS5 table."""
    conn = db.session.connection()
    ids = directory._word_matches(["sunrise"], conn.dialect.name, True)
    sql = str(ids.compile(conn, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # an empty table would scan
        plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        assert "ix_employer_search_key_trgm" in plan
    else:
        plan = "\n".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "VIRTUAL TABLE INDEX" in plan


def test_typo_words_are_looked_up_in_the_word_list(app):
    """PostgreSQL: a misspelt word is looked up among the directory's words (bench/directory.py
    shows it on their index at scale: a small table is scanned)."""
    if db.session.connection().dialect.name != "postgresql":
        pytest.skip("the word list is PostgreSQL's (SQLite narrows through FTS5)")
    make_employer("Sunrise Cleaning", "Houston")
    conn = db.session.connection()
    directory._prepare(conn)
    # (keys fold i to l, as dedup does; other tests' words stay in the list, which only grows)
    sunrise, cleaning, noise = directory._close_words(["sunrlse", "cleanlg", "xqzvkwpjd"])
    assert sunrise[0] == "sunrlse"
    assert "sunrlse" not in sunrise[1:]
    assert cleaning[:2] == ["cleanlg", "cleanlng"]  # the closest word first
    assert noise == ["xqzvkwpjd"]


def test_search_follows_renames_and_aliases(backend):
    """The search structures (PostgreSQL's key and word list, SQLite's FTS5 table) are kept
    by triggers: a rename, a new alias and a removed alias show in the next search."""
    employer = make_employer("Sunrise Cleaning", "Houston")
    employers.add_alias(employer=employer, name="Amanecer Limpieza")
    db.session.commit()
    assert names("amanecer") == ["Sunrise Cleaning"]
    assert names("amanecr limpieza") == ["Sunrise Cleaning"]  # a typo of the alias
    employer.name, employer.name_key = "Daybreak Cleaning", name_key("Daybreak Cleaning")
    db.session.commit()
    assert names("daybreak") == ["Daybreak Cleaning"]
    assert names("sunrise cleaning") == []
    db.session.delete(employer.aliases[0])
    db.session.commit()
    assert names("amanecer") == []


def test_directory_page_shows_counts_only_where_k_allows(client, app):
    few = make_employer("Golden Wok", "Houston")
    many = make_employer("Golden Wok", "Dallas")
    make_review(few, status="approved")
    for _ in range(3):
        make_review(many, status="approved")
    make_employer("Golden Wok", "Austin")
    page = client.get("/employers?q=golden+wok").get_data(as_text=True)
    assert "3 reviews" in page
    assert "Fewer than 3 reviews" in page
    assert "1 review" not in page
    assert "No reviews yet" in page


def test_directory_page_links_pages(client, app):
    for n in range(25):
        make_employer(f"Acme Cleaning {n:02d}", "Houston")
    first = client.get("/employers?q=acme").get_data(as_text=True)
    assert 'rel="next"' in first
    assert "page=2" in first
    second = client.get("/employers?q=acme&page=2").get_data(as_text=True)
    assert second.count("Acme Cleaning") == 5
    assert 'rel="prev"' in second
    assert client.get("/employers?page=x").status_code == 200


def test_a_broad_query_ranks_a_sample_but_never_loses_the_name(backend, monkeypatch):
    """Past `MAX_CANDIDATES` matches only a sample is ranked, plus every exact and prefix
    match: "houston" still puts the employer named Houston first."""
    monkeypatch.setattr(directory, "MAX_CANDIDATES", 5)
    for n in range(12):
        make_employer(f"Acme Cleaning {n}", "Houston")
    make_employer("Houston Hotel", "Dallas")  # added last: outside the first matches found
    hits = directory.search(query="houston").hits
    assert hits[0].employer.name == "Houston Hotel"
    assert len(hits) == 6  # the sample of five, and the prefix match
