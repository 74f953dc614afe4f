"""E-mail, link, address and markup detectors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from organize.redaction import Span
from organize.redaction.detectors.address import find_addresses
from organize.redaction.detectors.contact import find_emails, find_urls
from organize.redaction.detectors.markup import find_markup

Found = Callable[[Callable[[str], list[Span]], str], list[str]]


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("email lindagonzale36@outlook.com.", "lindagonzale36@outlook.com"),
        ("write maria at gmail dot com please", "maria at gmail dot com"),
        ("maria [at] gmail.com", "maria [at] gmail.com"),
        ("maria arroba hotmail punto com", "maria arroba hotmail punto com"),
        ("Email maria(at)gmail(dot)com", "maria(at)gmail(dot)com"),
    ],
)
def test_email_found(found: Found, text: str, email: str) -> None:
    assert email in found(find_emails, text)


@pytest.mark.parametrize(
    "text", ["meet me at noon", "I work at Home Depot dot com", "we met @ 7am at the shop"]
)
def test_email_ignores_plain_at(found: Found, text: str) -> None:
    assert found(find_emails, text) == []


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see https://facebook.com/someone?x=1).", "https://facebook.com/someone?x=1"),
        ("www.example.com/page, ok", "www.example.com/page"),
        ("my page facebook.com/juan.perez", "facebook.com/juan.perez"),
        ("ig @juanito_99 hi", "@juanito_99"),
    ],
)
def test_url_found(found: Found, text: str, url: str) -> None:
    assert found(find_urls, text) == [url]


@pytest.mark.parametrize("text", ["p.m. and a.m.", "U.S. workers", "St. Louis, etc.", "No.45"])
def test_url_ignores_abbreviations(found: Found, text: str) -> None:
    assert found(find_urls, text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("I live at 1234 W Main St Apt 5B, come by", "1234 W Main St Apt 5B"),
        ("at 45 Oak Avenue, #12 in town", "45 Oak Avenue, #12"),
        ("8472 Broadway Apt 3B, come", "8472 Broadway Apt 3B"),
        ("Vivo en Calle Hidalgo 123, Col. Centro, CDMX", "Calle Hidalgo 123, Col. Centro"),
        ("Av. Juárez No. 45 Int. 3, Guadalajara", "Av. Juárez No. 45 Int. 3"),
        ("6564 Calle Morelos, come", "6564 Calle Morelos"),
        ("i live at 1234 main st apt 5", "1234 main st apt 5"),
    ],
)
def test_address_found(found: Found, text: str, address: str) -> None:
    assert address in found(find_addresses, text)


@pytest.mark.parametrize(
    "text",
    [
        "worked 12 hours on Main St",
        "paid $450 on Main Street",
        "nos pagan 7 la hora en la calle",
        "Los Angeles, CA 90012",
        "2 days a week at 5th Ave",
    ],
)
def test_address_ignores_counts_and_places(found: Found, text: str) -> None:
    assert found(find_addresses, text) == []


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("<script>alert(1)</script>hi", ["<script>", "alert(1)", "</script>"]),
        ("<img src=x onerror=alert(1)>ok", ["<img src=x onerror=alert(1)>"]),
        ('<a href="javascript:alert(1)">click</a>', ['<a href="javascript:alert(1)">', "</a>"]),
        ('<a title="x>y">t</a>', ['<a title="x>y">', "</a>"]),
        ("x <!-- note --> y", ["<!-- note -->"]),
        ("<style>p{}</style>s", ["<style>", "p{}", "</style>"]),
    ],
)
def test_markup_found(found: Found, text: str, markup: list[str]) -> None:
    assert found(find_markup, text) == markup


@pytest.mark.parametrize("text", ["pay < minimum and > 5 hours", "a <3 b", "x &amp; y"])
def test_markup_ignores_plain_brackets(found: Found, text: str) -> None:
    assert found(find_markup, text) == []


def test_unclosed_script_swallows_the_rest() -> None:
    text = "hi <script>steal()"
    assert [(s.start, s.end) for s in find_markup(text)][-1] == (3, len(text))
