"""Phone, SSN/ITIN and A-number detectors: what they catch and the digits they leave alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from organize.redaction import Span
from organize.redaction.detectors.ids import find_anumbers, find_ssns
from organize.redaction.detectors.phone import find_phones

Found = Callable[[Callable[[str], list[Span]], str], list[str]]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Text me 13475741950 now", "13475741950"),
        ("Mi número es 55-5919-9604.", "55-5919-9604"),
        ("call 347 574 19 50 ok", "347 574 19 50"),
        ("call 555-1234 after work", "555-1234"),
        ("(646) 737-4140", "(646) 737-4140"),
        ("Llámame al +52 55 4604 8421.", "+52 55 4604 8421"),
        ("+1 929 855 4638", "+1 929 855 4638"),
        ("tel 305.352.5132.", "305.352.5132"),
        ("Guatemala: +502 2234 5678", "+502 2234 5678"),
        ("cel:8112345678", "8112345678"),
    ],
)
def test_phone_found(found: Found, text: str, phone: str) -> None:
    assert found(find_phones, text) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "paid $450 and then 450 dólares",
        "we worked 2019-2023 without a raise",
        "from 3/15/2024 to 4/30/2024",
        "date 2024-03-15",
        "60 hours a week, 7am-7pm, 7:00-19:00",
        "they owe us $12,000,000 or 1500000 pesos",
        "zip 90012, 12 workers, 3 years",
        "A018427393",
    ],
)
def test_phone_ignores_other_numbers(found: Found, text: str) -> None:
    assert found(find_phones, text) == []


@pytest.mark.parametrize(
    ("text", "ssn"),
    [
        ("My SSN 234-17-6796 was", "234-17-6796"),
        ("ssn: 234 17 6796", "234 17 6796"),
        ("social 234176796 on the stub", "234176796"),
        ("mi seguro social es 912.78.1234", "912.78.1234"),
        ("ITIN 912781234", "912781234"),
    ],
)
def test_ssn_found(found: Found, text: str, ssn: str) -> None:
    assert set(found(find_ssns, text)) == {ssn}


@pytest.mark.parametrize("text", ["call 347-574-1950", "worked 123456789 minutes", "2019-2023"])
def test_ssn_ignores_other_numbers(found: Found, text: str) -> None:
    assert found(find_ssns, text) == []


@pytest.mark.parametrize(
    ("text", "anumber"),
    [
        ("My A-number is A018427393 and", "A018427393"),
        ("A-474-119-446", "A-474-119-446"),
        ("A# 12345678", "A# 12345678"),
        ("número A 123456789", "A 123456789"),
        ("my alien number is 204-118-937", "204-118-937"),
        ("Mi número de extranjero es 204118937.", "204118937"),
    ],
)
def test_anumber_found(found: Found, text: str, anumber: str) -> None:
    assert anumber in found(find_anumbers, text)


@pytest.mark.parametrize("text", ["paid a 12345678 fine", "Apt 12345678", "A-number pending"])
def test_anumber_ignores_other_numbers(found: Found, text: str) -> None:
    assert found(find_anumbers, text) == []
