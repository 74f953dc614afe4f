"""redact(): spans over the input, merging, placeholders, markup and hostile input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nh3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organize.redaction import KINDS, Redaction, Span, labels, redact
from organize.redaction.labels import placeholders_for
from organize.redaction.normalize import is_invisible
from organize.redaction.spans import merge_spans

SAMPLE = (
    "Mi jefe Pedro Lopez no paga. Llámame al 917 461 1626 o escribe a pedro.l@gmail.com. "
    "SSN 234-17-6796, A# 12345678, vivo en 285 Main St Apt 3B."
)


def test_spans_point_at_the_pii_in_the_input() -> None:
    r = redact(SAMPLE)
    assert [(SAMPLE[s.start : s.end], s.kind) for s in r.spans] == [
        ("Pedro Lopez", "person"),
        ("917 461 1626", "phone"),
        ("pedro.l@gmail.com", "email"),
        ("234-17-6796", "ssn"),
        ("A# 12345678", "anumber"),
        ("285 Main St Apt 3B", "address"),
    ]
    assert r.report == {"person": 1, "phone": 1, "email": 1, "ssn": 1, "anumber": 1, "address": 1}
    assert isinstance(r, Redaction)


def test_placeholders_english_and_spanish() -> None:
    assert redact("call Maria at 555-1234").text == "call [name] at [phone]"
    es = placeholders_for("es")
    assert es["person"] != "[name]"
    assert es["phone"] != "[phone]"
    expected = f"llama a {es['person']} al {es['phone']}"
    assert redact("llama a Maria al 555-1234", "es").text == expected
    assert redact("llama a Maria al 555-1234", "es_MX").text == expected
    assert redact("appelle Maria", "fr").text == "appelle [name]"


@pytest.fixture
def no_catalogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Point the label lookup at an empty translations folder, with fresh caches."""
    monkeypatch.setattr(labels, "TRANSLATIONS_DIR", tmp_path)
    labels.placeholders_for.cache_clear()
    labels._catalog.cache_clear()
    yield
    labels.placeholders_for.cache_clear()
    labels._catalog.cache_clear()


@pytest.mark.usefixtures("no_catalogs")
def test_spanish_works_before_catalogs_are_compiled() -> None:
    assert redact("llama a Maria al 555-1234", "es").text == "llama a [nombre] al [teléfono]"
    assert redact("call Maria", "de").text == "call [name]"


def test_nothing_to_redact_returns_the_text_unchanged() -> None:
    text = "Golden Wok paid $7.25 an hour, 60 hours a week, March 2024, in Los Angeles."
    assert redact(text) == Redaction(text=text, spans=[], report={})


def test_merge_keeps_the_longer_kind_and_breaks_ties_by_priority() -> None:
    spans = [
        Span(0, 9, "phone"),
        Span(0, 9, "ssn"),
        Span(20, 30, "person"),
        Span(22, 40, "address"),
    ]
    assert merge_spans(spans) == [Span(0, 9, "ssn"), Span(20, 40, "address")]


def test_merge_keeps_touching_spans_apart_and_drops_empty_ones() -> None:
    spans = [Span(5, 9, "person"), Span(0, 5, "person"), Span(3, 3, "phone")]
    assert merge_spans(spans) == [Span(0, 5, "person"), Span(5, 9, "person")]


def test_anumber_wins_over_the_phone_inside_it() -> None:
    text = "My A-number is A-474-119-446."
    assert [(s.kind, text[s.start : s.end]) for s in redact(text).spans] == [
        ("anumber", "A-474-119-446")
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script>Hello", "Hello"),
        ("<img src=x onerror=alert(1)>ok", "ok"),
        ('<a href="javascript:alert(1)">click</a> here', "click here"),
        ("<p>My boss <b>Frank Castillo</b> fired me</p>", "My boss [name] fired me"),
        ("pay < minimum and > 40 hours", "pay < minimum and > 40 hours"),
        ("<<b></b>script>alert(1)", "script>alert(1)"),
        ("<style>b{}</style><!-- x -->a<b", "ab"),
    ],
)
def test_markup_is_removed_and_text_kept(html: str, expected: str) -> None:
    r = redact(html)
    assert r.text == expected
    assert not nh3.is_html(r.text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "😀 Maria 😀 555-1234 👍🏽",
        "مرحبا Maria שלום 555-1234 \u202e reversed",
        "\x00\x01\x02 binary \xff\ufffd <b\x00> \x7f",
        ("Maria Smith 347 574 19 50 <b>x</b> " * 200) + "1" * 3000,
        "a" * 20000 + "@" + "b." * 5000,
        "Calle " + "A" * 3000 + " 12",
    ],
)
def test_odd_and_huge_input_never_crashes(text: str) -> None:
    r = redact(text)
    assert all(0 <= s.start < s.end <= len(text) for s in r.spans)


_FRAGMENTS = st.sampled_from(
    [
        "<", ">", "</", "<b>", "</b>", "<script>", "</script>", "<!--", "-->", "<!x", "<?", "&lt;",
        "a", "<a href='x'>", " ", "\n", "Maria", " Smith", "Mr.", "555-1234", "@", ".com", "A#",
        "123", "-", "Calle ", " St", "jefe ", "é", "😀",
    ]
)  # fmt: skip
_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=25).map("".join)


@settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(text=_TEXT, locale=st.sampled_from(["en", "es", "xx"]))
def test_any_text_gives_sorted_disjoint_spans_and_no_markup(text: str, locale: str) -> None:
    r = redact(text, locale)
    previous_end = 0
    for span in r.spans:
        assert previous_end <= span.start < span.end <= len(text)
        assert span.kind in KINDS
        previous_end = span.end
    assert not nh3.is_html(r.text)
    # Every span is counted, except invisible characters dropped on their own.
    counted = [s for s in r.spans if not all(is_invisible(c) for c in text[s.start : s.end])]
    assert sum(r.report.values()) == len(counted)
