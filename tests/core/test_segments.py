"""SMS segment arithmetic (GSM-7 160/153, UCS-2 70/67) with the gsm0338 codec."""

import pytest

from organize.outbound.segments import fits, measure, plain_spelling, smart_encode, split_pages


@pytest.mark.parametrize(
    ("text", "encoding", "count"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 2),
        ("ñandú" + "a" * 65, "UCS-2", 1),
        ("á" * 71, "UCS-2", 2),
        ("á" * 134, "UCS-2", 2),
        ("á" * 135, "UCS-2", 3),
        ("😀" * 35, "UCS-2", 1),  # two UTF-16 units each
        ("😀" * 36, "UCS-2", 2),
    ],
)
def test_measure(text, encoding, count):
    result = measure(text)
    assert (result.encoding, result.count) == (encoding, count)


def test_plain_spelling_keeps_spanish_in_gsm7_when_only_accents_stand_in_the_way():
    assert plain_spelling("Información: está aquí, señor") == "Informacion: esta aqui, señor"
    assert plain_spelling("中文 está") == "中文 está"  # would stay UCS-2 anyway: untouched
    assert plain_spelling("plain") == "plain"


def test_smart_encoding_swaps_look_alikes():
    assert smart_encode("“Strike” – now…") == '"Strike" - now...'
    assert measure(smart_encode("“Strike” – now…")).encoding == "GSM-7"


def test_split_pages_respects_the_budget_and_keeps_every_word():
    text = " ".join(f"word{i}" for i in range(400))
    pages = split_pages(text, 200)
    assert all(measure(p).units <= 200 for p in pages)
    assert " ".join(pages).split() == text.split()


def test_fits():
    assert fits("a" * 459)
    assert not fits("a" * 460)
    assert not fits("a" * 1601, max_segments=20)


def test_alphabet_agrees_with_the_gsm0338_codec():
    from organize.outbound.segments import is_gsm7

    for code in range(0x20, 0x3000):
        char = chr(code)
        try:
            septets = len(char.encode("gsm03.38"))
        except UnicodeEncodeError:
            septets = 0
        assert is_gsm7(char) == bool(septets), char
        if septets:
            assert measure(char).units == septets, char
