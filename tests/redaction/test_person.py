"""Person names: gazetteer hits, cues, honorifics, and the words that must not be taken."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from organize.redaction import Span
from organize.redaction.detectors.person import find_people
from organize.redaction.names import fold, gazetteer

Found = Callable[[Callable[[str], list[Span]], str], list[str]]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Ask for Maria Smith.", ["Maria Smith"]),
        ("Don Pedro de recursos humanos me amenazó", ["Don Pedro"]),
        ("The manager Mr. Gonzalez said", ["Mr. Gonzalez"]),
        ("La encargada Don Luis nos gritaba.", ["Don Luis"]),
        ("my boss juan perez said no", ["juan perez"]),
        ("la encargada carmen nos trataba mal", ["carmen"]),
        ("talk to maria lopez in HR", ["maria lopez"]),
        ("Carmen Johnson Perez answers", ["Carmen Johnson Perez"]),
        ("María de la Cruz López vino", ["María de la Cruz López"]),
        ("Rosa Smith and Mark Johnson", ["Rosa Smith", "Mark Johnson"]),
        ("my boss is Mark", ["Mark"]),
        ("supervisor Xiomara yelled", ["Xiomara"]),
        ("Maria's husband drives", ["Maria"]),
        ("el foreman beto", ["beto"]),
        ("Sr.Gomez y la Sra. Pérez", ["Sr.Gomez", "Sra. Pérez"]),
        ("Sandra, Rosa y Luz limpiaban", ["Sandra", "Rosa", "Luz"]),
        ("la familia Romero nos contrató", ["Romero"]),
    ],
)
def test_names_found(found: Found, text: str, names: list[str]) -> None:
    assert found(find_people, text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Will you pay me in May? Mark my words.",
        "Rosa es el color del uniforme, la casa era linda",
        "Domingo trabajamos 12 horas",
        "I worked in San José and Los Angeles",
        "Garcia Construction never paid, nor did Santa Cruz Farms",
        "I worked at Wendy's and at Golden Wok",
        "Sunday at Home Depot, Sunrise Cleaning and Valley Farms",
        "the owner may not pay; the boss said no",
        "Mi jefe en Golden Wok, el señor que vende, I miss home",
        "Jackson Heights, Dolores Park, Austin Texas",
        "Mr. Thompson de Golden Wok",
    ],
)
def test_common_words_places_and_employers_kept(found: Found, text: str) -> None:
    names = found(find_people, text)
    assert not any(w in " ".join(names) for w in ("Golden", "Wok", "Santa", "Cruz", "Wendy"))
    if "Thompson" not in text:
        assert names == []


def test_gazetteer_is_built_from_faker_and_folded() -> None:
    g = gazetteer()
    assert {"maria", "jose", "carmen", "kevin"} <= g.first
    assert {"smith", "gonzalez", "hernandez"} <= g.last
    assert {"rosa", "may", "domingo"} <= g.ambiguous
    assert fold("JOSÉ") == "jose"
