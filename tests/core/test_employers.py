import pytest
import sqlalchemy as sa

from organize import employers
from organize.extensions import db
from organize.models import AuditEvent
from organize.plumbing.text import fold, name_key
from tests.factories import make_employer, make_organizer


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


# Issue 9.3: what a worker types is redacted, and waits for an organizer.

TYPED = "Karen Whitfield 713-555-0142 karen@example.com"


def test_a_worker_added_employer_is_redacted_and_keeps_the_family_name(app):
    employer, created = employers.add(name=TYPED, city="1234 Westheimer Rd Apt 5")
    db.session.commit()
    assert created
    stored = f"{employer.name} {employer.city} {employer.slug} {employer.name_key}"
    for leak in ("713", "0142", "555", "karen@", "example", "1234", "Westheimer"):
        assert leak not in stored.lower(), leak
    assert employer.name == "Karen Whitfield"
    assert employer.slug == "karen-whitfield"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Familia García", "Familia García"),
        ("The Johnson family, www.johnson.example", "The Johnson family"),
        ("Limpieza Económica, S.A.", "Limpieza Económica, S.A."),
        ("<b>Golden</b> Wok", "Golden Wok"),
        ("Casa Pérez A-123456789", "Casa Pérez"),
    ],
)
def test_redact_field_keeps_names_and_drops_contact_data(app, typed, kept):
    assert employers.redact_field(typed) == kept


def test_a_name_that_is_only_contact_data_is_refused(app):
    with pytest.raises(employers.EmployerError):
        employers.add(name="713-555-0142 karen@example.com", city="Houston")


def test_a_worker_added_employer_is_pending_and_out_of_search_and_lookups(app):
    employer, _ = employers.add(name="Casa Whitfield", city="Houston")
    db.session.commit()
    assert employer.status == "pending"
    assert employers.search(query="whitfield") == []
    assert employers.search(query="") == []
    assert employers.get_by_slug(slug=employer.slug) is None
    assert employers.get_listed(employer_id=employer.id) is None
    again, created = employers.add(name="casa  whitfield", city="houston")
    assert (again.id, created) == (employer.id, False)  # dedup still finds it: no second row


def test_approval_lists_it_and_is_audited(app):
    moderator = make_organizer()
    employer, _ = employers.add(name="Casa Whitfield", city="Houston")
    employers.decide(employer=employer, actor=moderator, approve=True)
    db.session.commit()
    assert employers.search(query="whitfield") == [employer]
    assert employers.get_by_slug(slug=employer.slug) == employer
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.action, event.target_id, event.actor_id) == (
        "employer.approve",
        employer.id,
        moderator.id,
    )
    with pytest.raises(employers.EmployerError):
        employers.decide(employer=employer, actor=moderator, approve=False)


def test_a_rejected_employer_never_shows(app):
    moderator = make_organizer()
    employer, _ = employers.add(name="Casa Whitfield", city="Houston")
    employers.decide(employer=employer, actor=moderator, approve=False)
    db.session.commit()
    assert employer.status == "rejected"
    assert employers.search(query="whitfield") == []
    assert employers.get_by_slug(slug=employer.slug) is None


def test_a_workers_spelling_of_a_listed_employer_is_unlisted_until_approved(app):
    moderator = make_organizer()
    listed = make_employer("Sunrise Cleaning", "Houston")
    same, created = employers.add(
        name="sunrise cleaning", city="Houston", aliases=["Limpiezas Amanecer 713-555-0142"]
    )
    db.session.commit()
    assert (same.id, created) == (listed.id, False)
    (alias,) = listed.aliases
    assert alias.name == "Limpiezas Amanecer"
    assert not alias.listed
    assert employers.unlisted_aliases() == [alias]
    employers.decide_alias(alias=alias, actor=moderator, keep=True)
    assert alias.listed
    assert employers.unlisted_aliases() == []


def test_notice_employer_field_is_redacted(app):
    from organize import notices

    notice = notices.report(what="Walk-out at noon", employer_name=TYPED, place="Houston")
    assert notice.employer_name == "Karen Whitfield"
