"""Redaction v2 (issue 14): names of many origins, cues in five languages, co-reference,
names from e-mails, Chinese names, and Spanish/Filipino addresses, PO boxes and ZIP+4."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from organize.redaction import redact
from organize.redaction.detectors.address import find_addresses
from organize.redaction.detectors.chinese import find_chinese_names
from organize.redaction.detectors.person import find_people
from organize.redaction.names import _built, _words, gazetteer
from scripts import build_gazetteer as build
from tests.redaction.conftest import Detector

Found = Callable[[Detector, str], list[str]]


@pytest.mark.parametrize(
    "name",
    [
        "Chinedu Okafor",
        "Oluwaseun",
        "Wideline",
        "Rodel",
        "Maricel",
        "Youssef",
        "Guadalupe",
        # countries the dataset has no ranks for, found through the Gulf/Macau/Singapore lists
        "Thanh Huong",
        "Mwangi",
    ],
)
def test_gazetteer_holds_names_from_the_countries_members_come_from(name: str) -> None:
    g = gazetteer()
    assert all(part.casefold() in g.known for part in name.split())


def test_built_lists_leave_out_everyday_words() -> None:
    names = _built("gazetteer_first.txt")
    assert {"oluwaseun", "wideline", "rodel"} <= names
    # names-dataset holds these as first names; they are everyday Spanish words.
    assert not {"vivo", "constructora"} & names
    # The project's own word lists (catalog words also go, as of the last build; catalogs grow
    # between builds, so they are not asserted here).
    assert not (_words("not_names.txt") | _words("common_words.txt")) & names


def test_build_keeps_frequent_latin_names_of_the_listed_countries() -> None:
    table = {
        "Chinedu": {"rank": {"NG": 67}},
        "Rare": {"rank": {"NG": build.FIRST_RANK + 1}},
        "Fjord": {"rank": {"NO": 3}},  # not a country of origin listed
        "José": {"rank": {"MX": 2, "ES": 1}},
        "王": {"rank": {"CN": 1}},  # not Latin script: no token could match it
        "Jo": {"rank": {"US": 5}},  # too short to tell from a word
    }
    assert build.top_names(table, build.FIRST_RANK) == {"chinedu", "jose"}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The supervisor, Chinedu Okafor, docks an hour.", ["Chinedu Okafor"]),
        ("(Dolores Santiago, the night manager) locks the door.", ["Dolores Santiago"]),
        ("La encargada Yesenia nos grita.", ["Yesenia"]),
        ("Ang amo kong si Rodel Bautista ay hindi nagbabayad.", ["Rodel Bautista"]),
        ("Sabi ni Rowena na huwag na kaming magreklamo.", ["Rowena"]),
        ("Si Ate Joy ang nag-aasikaso ng sahod.", ["Ate Joy"]),
        ("Patwon mwen Jean-Robert Michel pa peye nou.", ["Jean-Robert Michel"]),
        ("Manadjè a rele Wilner Joseph, li toujou ap rele.", ["Wilner Joseph"]),
        ("Bòs Ti Jean fè nou travay san gan.", ["Ti Jean"]),
        ("La patrona Mrs. Feldman no paga.", ["Mrs. Feldman"]),
        ("Aminata Diallo does the schedule.", ["Aminata Diallo"]),
    ],
)
def test_cues_and_titles_in_five_languages(found: Found, text: str, names: list[str]) -> None:
    assert found(find_people, text) == names


def test_names_in_capitals_are_names_only_when_the_text_shouts_or_a_cue_says_so() -> None:
    assert redact("mi jefe JUAN PEREZ no paga").text == "mi jefe [name] no paga"
    assert redact("MY BOSS MARIA LOPEZ NEVER PAYS").text == "MY BOSS [name] NEVER PAYS"
    assert redact("Ask the front desk for the Service SID.").text.endswith("Service SID.")


def test_a_name_found_once_is_redacted_everywhere() -> None:
    text = "Fatima Haddad from payroll took it. Haddad never showed a receipt. Ask Haddad's boss."
    assert redact(text).text == (
        "[name] from payroll took it. [name] never showed a receipt. Ask [name]'s boss."
    )


def test_co_reference_in_spanish_tagalog_and_kreyol() -> None:
    es = redact("Mi jefe es Andrés Quiñónez; Quiñónez tiene favoritos.", "es").text
    assert "Quiñónez" not in es
    tl = redact("Ang foreman na si Danilo Reyes ay nagbabanta. Si Danilo rin ang may susi.").text
    assert "Danilo" not in tl
    ht = redact("Bòs Ti Jean fè nou travay. Ti Jean di se pa pwoblèm li.").text
    assert "Jean" not in ht


def test_names_inside_an_email_feed_the_name_list() -> None:
    text = "Write to lorna.macapagal@yahoo.com. Macapagal knows what happened."
    assert redact(text).text == "Write to [email]. [name] knows what happened."
    text = "He posts as @samuel_osei. Osei filmed us."
    assert redact(text).text == "He posts as [link]. [name] filmed us."


def test_chinese_names_after_cues_before_titles_and_repeated(found: Found) -> None:
    assert found(find_chinese_names, "我们的老板王建国从来不付加班费。") == ["王建国"]
    assert found(find_chinese_names, "张伟经理说如果我们投诉就开除我们。") == ["张伟"]
    assert found(find_chinese_names, "我们的主管叫林小红，她很凶。") == ["林小红"]
    text = "餐馆老板吴国栋每个月只发一半工资，吴国栋还说我们应该感谢他。"
    assert found(find_chinese_names, text) == ["吴国栋", "吴国栋"]
    assert found(find_chinese_names, "这里没有名字：仓库的老板每个月都迟发工资。") == []


def test_latin_name_glued_to_chinese_text() -> None:
    assert redact("工头Michael Tan说移民局会来抓人。", "zh").text.count("Michael") == 0


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Vivo en Calle 5 de Mayo 626, Depto 14 y", "Calle 5 de Mayo 626, Depto 14"),
        ("Mándenme todo a Avenida Reforma 1450 Int. 3, por favor", "Avenida Reforma 1450 Int. 3"),
        ("Send it to PO Box 3381, Houston", "PO Box 3381"),
        ("Write to P.O. Box 921 now", "P.O. Box 921"),
        ("la carta al Apartado Postal 45 o", "Apartado Postal 45"),
        ("Nakatira ako sa Barangay San Isidro noon", "Barangay San Isidro"),
        ("sa 45 Rizal Street bago", "45 Rizal Street"),
        ("我住在4410 Main St Apt 3C，每天", "4410 Main St Apt 3C"),
    ],
)
def test_spanish_and_filipino_addresses_and_po_boxes(found: Found, text: str, address: str) -> None:
    assert found(find_addresses, text) == [address]


def test_zip_plus_four_is_redacted_but_a_plain_zip_stays() -> None:
    assert redact("Houston TX 77253-3381").text == "Houston TX [address]"
    assert redact("Houston TX 77253").text == "Houston TX 77253"
    assert redact("I worked in the box 12 hours").text == "I worked in the box 12 hours"
    assert redact("1450 NE 125th St Apt 9, North Miami").text == "[address], North Miami"


@pytest.mark.parametrize(
    "text",
    [
        "Never work for Lakeside Dairy, the owner yells.",
        "Nos fuimos de Constructora Maya porque no pagaban.",
        "We ate at Golden Dragon Buffet after the shift.",
        "Ipadala sa Daly City ang sulat.",
        "They trained me at Lone Star Linen; pay was late.",
        "I am the only one from Vietnam, the rest are from China and India.",
        "Report it to OSHA and the DOL, YES, today.",
        "I live in Los Angeles, CA. The owner is never there.",
        "We pack boxes at Amazon and the Tyson plant.",
    ],
)
def test_employer_and_place_words_survive(text: str) -> None:
    assert redact(text).text == text
