"""The scoring rules themselves, so a lenient scorer cannot flatter the pipeline."""

from __future__ import annotations

import pytest

from organize.redaction.scoring import Case, is_redacted, score


@pytest.mark.parametrize(
    ("kind", "value", "output", "expected"),
    [
        ("PHONE", "+1 929 855 4638", "call [phone]", True),
        ("PHONE", "+1 929 855 4638", "call 855-4638 (929)", False),
        ("PHONE", "13475741950", "call 1 [phone] 3475741950", False),
        ("SSN", "234-17-6796", "ssn 234 17 6796", False),
        ("ANUMBER", "A-474-119-446", "A[A-number]", True),
        ("EMAIL", "Maria.L@gmail.com", "write maria.l@[email]", False),
        ("EMAIL", "maria at gmail dot com", "write [email]", True),
        ("ADDRESS", "285 Main St", "at 285 Main, near", False),
        ("ADDRESS", "285 Main St", "at [address], Main St", True),
        ("ADDRESS", "Calle Hidalgo 123", "en Calle [name] 123", False),
        ("PERSON", "Mr. Gonzalez", "Mr. [name] said", True),
        ("PERSON", "Carmen Johnson", "[name] Johnson", False),
        ("PERSON", "Linda", "una casa linda", True),
    ],
)
def test_is_redacted(kind: str, value: str, output: str, expected: bool) -> None:
    assert is_redacted(kind, value, output) is expected


def test_precision_counts_only_words_outside_pii() -> None:
    text = "Maria Smith cleaned offices downtown"
    case = Case(
        "x", "en", text, [{"type": "PERSON", "value": "Maria Smith", "start": 0, "end": 11}], []
    )
    result = score([case], lambda t, lang: "[name] cleaned downtown")
    assert (result.kept_words, result.all_words) == (2, 3)
    assert result.lost_words == [("x", "offices")]
