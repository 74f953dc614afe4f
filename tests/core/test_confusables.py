"""The confusable skeleton: the generated table agrees with ICU, and folds the look-alikes."""

import re

import pytest

from organize.plumbing import confusables
from organize.plumbing.text import match_key, name_key


@pytest.mark.parametrize(
    ("look_alike", "plain"),
    [
        ("Ѕunrise Сleaning", "Sunrise Cleaning"),  # Cyrillic Ѕ U+0405, С U+0421
        ("Ноustоn", "houston"),  # Cyrillic Н U+041D, о U+043E
        ("ѕunrіse", "SUNRISE"),  # Cyrillic ѕ U+0455, і U+0456
        ("Gοlden Wοk", "golden wok"),  # Greek ο U+03BF
        ("Sun\u200brise Clean\u00adi\u200dng", "sunrise cleaning"),  # zero-width, soft hyphen
        ("ＳＵＮＲＩＳＥ", "sunrise"),  # fullwidth
        ("G0LDEN W0K", "golden wok"),  # digit zero for O
    ],
)
def test_look_alikes_share_the_key(look_alike, plain):
    assert match_key(look_alike) == match_key(plain)
    assert name_key(look_alike + ", LLC") == name_key(plain)


def test_different_names_keep_different_keys():
    keys = {name_key(n) for n in ("Sunrise Cleaning", "Sunset Cleaning", "Golden Wok", "Burns")}
    assert len(keys) == 4
    assert name_key("Limpieza Económica") == name_key("LIMPIEZA ECONOMICA")


def test_table_is_icus_skeleton():
    """Regenerating would change nothing: every entry (and every unmapped ASCII letter) is what
    ICU's SpoofChecker says, when the ICU that made the table is installed."""
    icu = pytest.importorskip("icu")
    header = confusables.DATA.read_text(encoding="utf-8").splitlines()[0]
    made_by = re.search(r"ICU ([\d.]+)", header)
    assert made_by
    if icu.ICU_VERSION != made_by.group(1):
        pytest.skip(f"table from ICU {made_by.group(1)}, installed {icu.ICU_VERSION}")
    checker = icu.SpoofChecker()
    table = confusables.table()
    for cp, target in table.items():
        assert checker.getSkeleton(0, chr(cp)) == target, hex(cp)
    for char in map(chr, range(0x20, 0x7F)):
        assert checker.getSkeleton(0, char) == confusables.skeleton(char), char
