import pytest

from organize import employers
from organize.extensions import db
from organize.plumbing.text import fold, name_key
from tests.factories import make_employer


def test_fold_strips_case_accents_and_punctuation():
    assert fold("  Limpieza ECONÓMICA, S.A.  ") == "limpieza economica s a"
    assert name_key("Sunrise Cleaning, LLC") == name_key("sunrise  CLEANING")


@pytest.mark.parametrize("query", ["economica", "ECONÓMICA", "limpieza eco", "san jose", "José"])
def test_search_is_accent_and_case_insensitive(app, query):
    make_employer("Limpieza Económica", "San José")
    make_employer("Golden Wok", "Houston")
    assert [e.name for e in employers.search(query=query)] == ["Limpieza Económica"]


def test_search_finds_aliases_and_cities(app):
    employer = make_employer("Sunrise Cleaning", "Houston", aliases=["Limpiezas Amanecer"])
    make_employer("Golden Wok", "Dallas")
    assert employers.search(query="amanecer") == [employer]
    assert employers.search(query="houston") == [employer]
    assert len(employers.search(query="")) == 2


def test_search_treats_like_wildcards_literally(app):
    make_employer("Golden Wok", "Dallas")
    assert employers.search(query="_") == []  # `_` survives folding and must match literally
    assert employers.search(query="g__d_n") == []  # as LIKE wildcards it would match "golden"
    assert len(employers.search(query="%")) == 1  # punctuation folds away: same as no query


def test_add_deduplicates_on_normalized_name_and_city_keeping_new_aliases(app):
    first, created = employers.add(name="Sunrise Cleaning", city="Houston")
    again, created_again = employers.add(
        name="SUNRISE  cleaning, llc", city="houston", aliases=["Limpiezas Amanecer"]
    )
    db.session.commit()
    assert created
    assert not created_again
    assert again.id == first.id
    # the same normalized name adds no alias; a new name for it is kept
    assert [a.name for a in first.aliases] == ["Limpiezas Amanecer"]


def test_same_name_in_another_city_is_another_employer(app):
    a, _ = employers.add(name="Golden Wok", city="Houston")
    b, created = employers.add(name="Golden Wok", city="Dallas")
    db.session.commit()
    assert created
    assert a.id != b.id
    assert a.slug != b.slug


def test_alias_match_counts_as_duplicate(app):
    make_employer("Sunrise Cleaning", "Houston", aliases=["Amanecer Limpieza"])
    found, created = employers.add(name="amanecer limpieza", city="Houston")
    assert not created
    assert found.name == "Sunrise Cleaning"


def test_unknown_industry_becomes_other(app):
    employer, _ = employers.add(name="X", city="Y", industry="piracy")
    assert employer.industry == "other"
