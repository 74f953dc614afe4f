"""Help near you: national agencies for every state, hours rendered in the reader's language,
numbers written for people, co-ops apart from legal help, demo entries marked (issue 11)."""

import pytest

from organize.cli import seed_resources
from organize.extensions import db
from tests.htmltools import parse, visible_text

AGENCY_NUMBERS = [
    "(866) 487-9243",  # Wage and Hour
    "(800) 321-6742",  # OSHA
    "(800) 669-4000",  # EEOC
    "(844) 762-6572",  # NLRB
    "(888) 373-7888",  # trafficking hotline
    "(800) 255-7688",  # DOJ IER
]


@pytest.fixture
def places(app):
    seed_resources()
    db.session.commit()


def test_a_state_with_no_local_entry_lists_the_national_agencies_in_spanish(client, places):
    html = client.get("/help-near-you?region=WY&lang=es").get_data(as_text=True)
    text = visible_text(html)
    assert "Ayuda nacional, en todos los estados" in text
    assert "Las agencias nacionales de abajo ayudan en todos los estados." in text
    for number in AGENCY_NUMBERS:
        assert number in text, number
    assert "Salarios no pagados, salario mínimo, horas extra" in text  # Spanish description
    assert "lun–vie 8:00–17:00 (hora local)" in text  # hours as data, read in Spanish
    assert "24 horas, todos los días" in text
    assert "Mon" not in text
    assert "Gulf Coast" not in text  # no other state's local groups


def test_english_hours_and_tel_links_keep_e164(client, places):
    html = client.get("/help-near-you?region=WY").get_data(as_text=True)
    text = visible_text(html)
    assert "Mon–Fri 8:00" in text
    assert "PM (your local time)" in text
    assert 'href="tel:+18664879243"' in html
    links = [a for a in parse(html).links if "justice.gov" in a]
    assert links


def test_co_ops_are_their_own_section_and_demo_entries_say_fictional(client, places):
    html = client.get("/help-near-you").get_data(as_text=True)
    text = visible_text(html)
    listing = text.partition("Local help")[2]
    local, _, rest = listing.partition("Find work at a worker-owned co-op")
    coops, _, national = rest.partition("National help, in every state")
    assert "co-op" in coops.lower()
    assert "Worker co-op" not in local
    assert "Demo entry: this organization is fictional." in local
    assert "Demo entry" not in national
    assert "Wage and Hour Division" in national


def test_the_seed_checker_accepts_real_numbers_only_for_real_entries(app):
    import runpy
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "organize" / "seed" / "check_seed.py"
    namespace = runpy.run_path(str(script))
    report = namespace["Report"]()
    namespace["check_national"](report)
    namespace["check_resources"](report)
    assert report.problems == []


def test_a_zip_code_finds_its_states_help(client, places):
    text = visible_text(client.get("/help-near-you?q=77002").get_data(as_text=True))
    local = text.partition("Local help")[2].partition("National help")[0]
    assert "Gulf Coast Workers Center" in local  # Houston, TX
    assert "North Texas Construction Workers Project" in local  # also TX
    assert "Bay Area" not in local
    assert "Showing: TX" in text


def test_a_city_search_forgives_case_and_accents_and_keeps_co_ops_apart(client, places):
    text = visible_text(client.get("/help-near-you?q=chicago").get_data(as_text=True))
    listing = text.partition("Local help")[2]
    local, _, rest = listing.partition("Find work at a worker-owned co-op")
    coops = rest.partition("National help")[0]
    assert "Cooperativa Manos Unidas" in coops
    assert "Cooperativa" not in local
    assert "Prairie Warehouse" not in local  # Illinois, but Joliet
    text = visible_text(client.get("/help-near-you?q=ESPANOLA&lang=es").get_data(as_text=True))
    assert "Río Arriba Workers Legal Aid" in text


def test_a_city_with_nothing_listed_still_gets_national_help_in_spanish(client, places):
    text = visible_text(client.get("/help-near-you?q=Cheyenne&lang=es").get_data(as_text=True))
    assert "Todavía no hay nada en la lista." in text
    assert "Mostrando: Cheyenne" in text
    assert "Las agencias nacionales de abajo ayudan en todos los estados." in text
    assert "(866) 487-9243" in text
    assert "lun–vie 8:00–17:00 (hora local)" in text


def test_zip_prefixes_name_states():
    from organize.plumbing.zipcodes import state_for_zip

    cases = {"94110": "CA", "10001": "NY", "60601": "IL", "20001": "DC", "00901": "PR"}
    cases |= {"33101": "FL", "98101": "WA", "73301": "TX", "02139": "MA", "99501": "AK"}
    for zip_code, state in cases.items():
        assert state_for_zip(zip_code) == state, zip_code
    assert state_for_zip("94110-1234") == "CA"
    for bad in ("", "9411", "941100", "abcde", "09001", "٩٤١١٠"):
        assert state_for_zip(bad) is None, bad
