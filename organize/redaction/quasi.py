"""Quasi-identifiers: what points at the writer even with every name removed.

"The only Guatemalan on the night shift", "I am the head cook", "on March 3 at 4:15 pm": none
is personal data a detector may delete (the story needs them), but together with what an
employer knows each can single the writer out. The preview warns, in the worker's language,
and suggests rewording; it never blocks and never changes the text.

Patterns run on the folded text (``normalize.fold``) in all five languages.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from organize.redaction.labels import N_, translate

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    r"|noviembre|diciembre|hunyo|hulyo|agosto|setyembre|oktubre|nobyembre|disyembre"
    r"|janvye|fevriye|mas|avril|me|jen|jiy[eè]|out|septanm|okt[oò]b|novanm|desanm)\.?"
)
_PATTERNS: dict[str, re.Pattern[str]] = {
    # The only one of a nationality, a group or a sex in a place.
    "unique": re.compile(
        r"\bthe\s+only\s+(?!thing|time|way|reason|option|day|place|job|problem|one\s+time)"
        r"[a-z]\w+"
        r"|\b(?:el|la|los|las)\s+[uú]nic[oa]s?\s+(?!vez|cosa|forma|manera|raz[oó]n|d[ií]a)\w+"
        r"|\bsoy\s+(?:el|la)\s+[uú]nic[oa]\b"
        r"|\bako\s+lang\s+ang\b|\bnag-iisang\b|\btanging\s+\w+"
        r"|\bs[eè]l\s+(?!fwa\b)\w+"
        r"|唯一|只有我一个|只有我一個",
        re.IGNORECASE,
    ),
    # The writer's own exact job or position.
    "role": re.compile(
        r"\b(?:i\s+work(?:ed)?\s+as|i'?m\s+the|i\s+am\s+the|i\s+was\s+the"
        r"|my\s+(?:job|position|title)\s+(?:is|was))\s+(?:an?\s+)?(?!only\b)\w+"
        r"|\b(?:soy\s+(?:el|la)|trabaj[oé]\s+como|trabajaba\s+como|mi\s+puesto\s+(?:es|era))"
        r"\s+(?![uú]nic)\w+"
        r"|\bnagtatrabaho\s+(?:ako\s+)?bilang\s+\w+|\bako\s+ang\s+\w+"
        r"|\bmwen\s+(?:se|te)\s+(?!s[eè]l\b)\w+\s+(?:nan|la)\b|\bmwen\s+travay\s+k[oò]m\s+\w+"
        r"|我是(?:这里的|這裡的|店里的|店裡的)?\w{0,3}?(?:厨师|廚師|经理|經理|收银员|收銀員|司机|司機"
        r"|保安|主管|领班|領班|服务员|服務員|洗碗工|清洁工|清潔工)",
        re.IGNORECASE,
    ),
    # An exact day or a clock time: an employer can match it to a shift or a camera.
    "when": re.compile(
        rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
        rf"|\b\d{{1,2}}\s+(?:de\s+)?{_MONTHS}\b"
        r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
        r"|\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)"
        r"|\b\d{1,2}:\d{2}\b"
        r"|\ba\s+las\s+\d{1,2}\b|\balas[- ]\w+|\ba\s+\d{1,2}\s*[eè]\b"
        r"|\d{1,2}月\d{1,2}[日号號]|[上下]午\d{1,2}点|晚上\d{1,2}点|\d{1,2}点\d{0,2}分?",
        re.IGNORECASE,
    ),
    # The writer's age or a condition few co-workers share.
    "self": re.compile(
        r"\b(?:i'?m|i\s+am)\s+\d{2}\b|\b\d{2}\s+years?\s+old\b|\btengo\s+\d{2}\s+a[nñ]os\b"
        r"|\b(?:pregnant|embarazada|buntis|ansent)\b|\d{2}岁|怀孕|懷孕",
        re.IGNORECASE,
    ),
}

# Words each pattern needs, checked first with plain substring tests (cheap, in C): most
# stories hold none of them, and the patterns above are slow to try at every position.
_NEEDS: dict[str, tuple[str, ...]] = {
    "unique": (
        "only", "unic", "únic", "lang ang", "iisang", "tanging", "sèl", "sel ", "唯一", "只有我",
    ),
    "role": (
        "i work", "i'm the", "im the", "i am the", "i was the", "my job", "my position",
        "my title", "soy ", "trabaj", "mi puesto", "bilang", "ako ang", "mwen se", "mwen te",
        "mwen travay", "我是",
    ),
    "when": ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "alas"),
    "self": (
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "pregnant", "embarazada", "buntis",
        "ansent", "怀孕", "懷孕",
    ),
}  # fmt: skip

MESSAGES: dict[str, str] = {
    "unique": N_(
        "You say you are the only one of your group there. That can point to you even "
        "without your name. You could write “some of us” instead."
    ),
    "role": N_(
        "You give your exact job or position. At a small workplace that can point to you. "
        "You could use a more general word."
    ),
    "when": N_(
        "You give an exact date or time. Your employer could match it to your shift. "
        "You could write “one night last month” instead."
    ),
    "self": N_(
        "You mention your age or something about your body or health. That can point to "
        "you. You could leave it out."
    ),
}


class QuasiWarning(NamedTuple):
    """One quasi-identifier found: its ``kind`` and the advice in the worker's language."""

    kind: str
    message: str


def quasi_identifiers(text: str, locale: str = "en") -> tuple[QuasiWarning, ...]:
    """What in ``text`` may single out its writer, as advice in ``locale``; one per kind."""
    lowered = text.casefold()
    return tuple(
        QuasiWarning(kind, translate(MESSAGES[kind], locale))
        for kind, pattern in _PATTERNS.items()
        if any(word in lowered for word in _NEEDS[kind]) and pattern.search(text)
    )
