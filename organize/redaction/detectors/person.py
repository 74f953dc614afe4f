"""Person names: gazetteer hits, honorifics and role cues, with place and business context.

What counts as a name (see also ``cues.py`` and ``names.py``):
- an honorific and the word after it: "Mr. Gonzalez", "Sra. Pérez", "Don Luis";
- a known first name, capitalized, unless it is also a common word ("Will", "Rosa");
- two known names side by side in any case ("maria lopez", "Rosa Smith");
- anything name-like after a role cue: "my boss juan", "la encargada Carmen";
- a known name listed after another: "Sandra, Rosa y Luz".
A start grows over following capitalized known names, particles ("de la") and one unknown
capitalized word after a first name ("Maria Xiong"). A lone surname ("Golden", "Price") never
starts a name, and a name glued to a place or business word ("San José", "Garcia
Construction", "Wendy's Burgers") is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from organize.redaction import cues
from organize.redaction.names import fold, gazetteer
from organize.redaction.spans import Span

_TITLES = cues.HONORIFIC_ABBREVIATIONS | cues.HONORIFIC_WORDS
# Letters, not Chinese characters: "工头Michael Tan" holds the name "Michael Tan".
_LETTERS = r"[^\W\d_\u3400-\u9fff]+"
_TOKEN = re.compile(rf"{_LETTERS}(?:['’]{_LETTERS})*(?:-{_LETTERS})*")
_JOIN = re.compile(r"[ \t]+")  # what may separate the words of one name
_AFTER_TITLE = re.compile(r"\.?[ \t]*")  # "Mr. Gonzalez", "Sr.Gomez", "Don Luis"
_LIST_COMMA = re.compile(r",?[ \t]*")  # between names of a list: "Sandra, Rosa", "y Rosa"
_ROLE_GAP = re.compile(r"[ \t]*,[ \t]*")  # "Dolores Santiago, the night manager"
_ROLE_LEAD = frozenset({"the", "our", "my", "la", "el", "mi", "nuestro", "nuestra", "ang", "a"})
_CUE_GAP = re.compile(r"[\s,:;\-–(\"“']*")  # what may separate a cue from the name


class _Token(NamedTuple):
    start: int
    end: int  # excludes a possessive "'s"
    key: str  # folded
    cap: bool
    possessive: bool


def _acronym(text: str, tok: _Token) -> bool:
    word = text[tok.start : tok.end]
    return len(word) > 1 and word.isupper()


@lru_cache(maxsize=8192)
def _key(word: str) -> str:
    return fold(word)


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word, end, possessive = match.group(), match.end(), False
        if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
            word, end, possessive = word[:-2], end - 2, True
        tokens.append(_Token(match.start(), end, _key(word), word[0].isupper(), possessive))
    return tokens


def _shouting(text: str) -> bool:
    """Whether most letters are capitals: then a word in capitals may still be a name."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) * 2 > len(letters)


def find_people(text: str) -> list[Span]:
    """Spans of person names in ``text`` (honorifics included, role cues not)."""
    g = gazetteer()
    known = g.known
    tokens = _tokens(text)
    if not _shouting(text):
        # "SID", "YES", "OSHA" in ordinary text are acronyms or emphasis: read them as written
        # in lower case ("mi jefe JUAN PEREZ" is still two known names side by side).
        tokens = [t._replace(cap=False) if _acronym(text, t) else t for t in tokens]

    def joined(i: int, gap: re.Pattern[str] = _JOIN) -> bool:
        """Whether token ``i`` and the next are parts of one phrase."""
        if i + 1 >= len(tokens) or tokens[i].possessive:
            return False
        return gap.fullmatch(text, tokens[i].end, tokens[i + 1].start) is not None

    def name_like(i: int, *, after_cue: bool) -> bool:
        tok = tokens[i]
        if tok.key in g.never or len(tok.key) < 2 or (not tok.cap and tok.key in g.common):
            return False
        if tok.key in known and (tok.cap or tok.key not in g.ambiguous):
            return True
        return after_cue and tok.cap and tok.key not in g.ambiguous and len(tok.key) > 2

    def starts_name(i: int) -> bool:
        tok = tokens[i]
        if tok.key in g.never or tok.key not in known or len(tok.key) < 3:
            return False
        if tok.cap and tok.key in g.first and tok.key not in g.ambiguous:
            return True
        if not joined(i):
            return False
        nxt = tokens[i + 1]
        if nxt.key not in known or nxt.key in g.never or nxt.cap != tok.cap:
            return False
        if tok.cap:
            return tok.key not in g.ambiguous or nxt.key not in g.ambiguous
        # Lower case: only an unambiguous first name followed by an unambiguous surname.
        return tok.key in g.first and nxt.key in g.last and plain_lower(tok) and plain_lower(nxt)

    def unknown_then_surname(i: int) -> bool:
        """ "Aminata Diallo": a capitalized unknown word right before a known surname."""
        tok = tokens[i]
        if not tok.cap or tok.key in known or len(tok.key) < 3 or not joined(i):
            return False
        if tok.key in g.never or tok.key in g.common or tok.key in cues.PLACE_PREFIXES:
            return False
        nxt = tokens[i + 1]
        return (
            nxt.cap
            and nxt.key in g.last
            and nxt.key not in g.ambiguous
            and nxt.key not in g.never
            and nxt.key not in cues.BUSINESS_SUFFIXES
        )

    def role_follows(i: int) -> bool:
        """ "(Dolores Santiago, the night manager)": capitalized words, a comma, then a role."""
        tok = tokens[i]
        if not tok.cap or tok.key in g.never or len(tok.key) < 3 or tok.key in _TITLES:
            return False
        if i > 0 and tokens[i - 1].cap and joined(i - 1):
            return False  # only the start of a capitalized run
        j = i
        while j - i < 3 and joined(j) and tokens[j + 1].cap and tokens[j + 1].key not in g.never:
            j += 1
        if (
            _ROLE_GAP.fullmatch(
                text, tokens[j].end, tokens[j + 1].start if j + 1 < len(tokens) else len(text)
            )
            is None
        ):
            return False
        # "the night manager", "la encargada", "our lead": up to two words, then the role,
        # all in the same clause.
        for k in range(j + 1, min(j + 4, len(tokens))):
            if any(ch in ".!?;:()" for ch in text[tokens[j].end : tokens[k].start]):
                return False
            if tokens[k].key in cues.ROLE_NOUNS:
                return k == j + 1 or tokens[j + 1].key in _ROLE_LEAD
        return False

    def plain_lower(tok: _Token) -> bool:
        """A lower-case word that can only be a name."""
        return tok.key not in g.ambiguous and tok.key not in g.common

    def after_particles(k: int) -> int:
        """Index of the capitalized name after particles starting at ``k`` ("de la Cruz")."""
        start = k
        while k < len(tokens) and tokens[k].key in cues.PARTICLES and k - start < 2 and joined(k):
            k += 1
        ok = k > start and k < len(tokens) and tokens[k].cap and tokens[k].key in known
        # "de Golden Wok", "de Home Depot": a capitalized unknown word after it means a company
        # or place, not the second half of a surname.
        if ok and joined(k) and tokens[k + 1].cap and tokens[k + 1].key not in known:
            ok = False
        return k if ok else start

    def extend(i: int) -> int:
        """Index of the last token of the name that starts at token ``i``."""
        j = i
        while joined(j):
            nxt = tokens[j + 1]
            if nxt.key in g.never or nxt.key in _TITLES or nxt.key in cues.BUSINESS_SUFFIXES:
                break
            if nxt.key in known and (nxt.cap or (not tokens[j].cap and plain_lower(nxt))):
                j += 1
            elif (k := after_particles(j + 1)) > j + 1:
                j = k
            elif nxt.cap and tokens[j].cap:
                # "Maria Xiong", "Pham Thi Hoa": one unknown capitalized word ends a name;
                # not when yet another follows ("Lone Star Linen" is a business).
                if not (joined(j + 1) and tokens[j + 2].cap):
                    j += 1
                break
            else:
                break
        return j

    def in_context(first: int, last: int) -> bool:
        """False when the words name a place or a business rather than a person."""
        if first > 0 and tokens[first - 1].cap and joined(first - 1):
            if tokens[first - 1].key in cues.PLACE_PREFIXES:
                return False
        if tokens[last].possessive:
            # "Wendy's Burgers", "at Wendy's": a business named after its founder.
            if last + 1 < len(tokens) and tokens[last + 1].cap and joined(last):
                return False
            if first > 0 and tokens[first - 1].key in cues.AT_BUSINESS:
                return False
        if joined(last) and tokens[last + 1].key in cues.BUSINESS_SUFFIXES:
            return False
        # "at Lone Star Linen": after "at"/"en", capitalized unknown words go on: a business.
        return not (
            first > 0
            and tokens[first - 1].key in cues.AT_BUSINESS
            and joined(last)
            and tokens[last + 1].cap
            and tokens[last + 1].key not in known
        )

    def listed_after_name(i: int, previous_last: int) -> bool:
        """Whether token ``i`` continues a list of names: "Sandra, Rosa y Luz"."""
        if previous_last < 0 or not tokens[i].cap or i - previous_last not in (1, 2):
            return False
        gap_end = tokens[i].start
        if i - previous_last == 1 and "," not in text[tokens[previous_last].end : gap_end]:
            return False  # "Sandra, Rosa": a list needs its comma
        if i - previous_last == 2:  # the word between must be "y", "and", "or" ...
            if tokens[i - 1].key not in cues.CONJUNCTIONS:
                return False
            gap_end = tokens[i - 1].start
        if _LIST_COMMA.fullmatch(text, tokens[previous_last].end, gap_end) is None:
            return False
        return name_like(i, after_cue=True) and joined(i - 1, _LIST_COMMA)

    spans: list[Span] = []
    previous_last = -1  # index of the last token of the previous name
    i = 0
    while i < len(tokens):
        tok, start, first = tokens[i], -1, -1
        if tok.key in cues.HONORIFIC_ABBREVIATIONS | cues.HONORIFIC_WORDS and joined(
            i, _AFTER_TITLE
        ):
            abbreviation = tok.key in cues.HONORIFIC_ABBREVIATIONS
            if name_like(i + 1, after_cue=abbreviation or tokens[i + 1].cap):
                start, first = tok.start, i + 1
        elif tok.key in cues.ROLE_CUES or (
            tok.key in cues.ASK_LINKS and i > 0 and tokens[i - 1].key in cues.ASK_VERBS
        ):
            j = i
            while j + 1 < len(tokens) and joined(j, _CUE_GAP) and tokens[j + 1].key in cues.FILLERS:
                j += 1
            if joined(j, _CUE_GAP) and name_like(j + 1, after_cue=True):
                start = first = -1 if tokens[j + 1].key in _TITLES else j + 1
                if first > 0:
                    start = tokens[first].start
        elif (
            starts_name(i)
            or unknown_then_surname(i)
            or listed_after_name(i, previous_last)
            or role_follows(i)
        ):
            start, first = tok.start, i
        if first < 0:
            i += 1
            continue
        last = extend(first)
        if in_context(first, last):
            spans.append(Span(start, tokens[last].end, "person"))
            previous_last = last
        i = last + 1
    return spans + _mentions_again(text, tokens, spans)


# "lorna.macapagal@yahoo.com", "@lorna_macapagal": a first and a last name in an account.
_EMAIL_NAME = re.compile(
    r"(?<![\w.])([^\W\d_]{3,})[._-]([^\W\d_]{3,})[\w.-]*@"
    r"|(?<![\w@.])@([^\W\d_]{3,})[._]([^\W\d_]{3,})"
)
_CO_REFERENCE_SKIP = _TITLES | cues.PARTICLES | cues.ROLE_CUES | cues.FILLERS


def _mentions_again(text: str, tokens: list[_Token], spans: list[Span]) -> list[Span]:
    """Co-reference: every other capitalized use of a word of a name already found.

    "Fatima Haddad from payroll ... Haddad never showed us" and "Jean-Baptiste's van": a
    name found once is redacted everywhere in the text, alone or possessive. The first and
    last name of an e-mail's local part or a handle ("lorna.macapagal@...", "@lorna_macapagal")
    count as found too.
    """
    g = gazetteer()
    names: set[str] = set()
    covered: set[int] = set()
    k = 0
    for tok in tokens:  # spans are in text order, like the tokens
        while k < len(spans) and spans[k].end <= tok.start:
            k += 1
        if k < len(spans) and spans[k].start <= tok.start and tok.end <= spans[k].end:
            covered.add(tok.start)
            if len(tok.key) > 2 and tok.key not in _CO_REFERENCE_SKIP:
                names.add(tok.key)
    if "@" in text:
        for match in _EMAIL_NAME.finditer(text):
            names |= {fold(part) for part in match.groups() if part}
    names -= g.never | g.common
    if not names:
        return []
    return [
        Span(tok.start, tok.end, "person")
        for tok in tokens
        if tok.key in names and tok.cap and tok.start not in covered
    ]
