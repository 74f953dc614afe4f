"""Markup: tags, comments, declarations and the content of script/style blocks.

The stdlib ``HTMLParser`` tokenizes the way browsers do (quoted ``>`` inside attributes,
comments, ``<!DOCTYPE>``) and reports where each token starts; a token ends where the next one
starts. Text between tags is kept, so ``<b>Maria</b>`` still exposes the name to later stages.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from organize.redaction.spans import Span

_RAW_TEXT = frozenset({"script", "style"})
# What HTMLParser (and browsers) would start a tag, comment or declaration with.
TAG_OPEN = re.compile(r"<[A-Za-z!/?]")


class _Tokenizer(HTMLParser):
    """Records ``(offset, is_markup)`` for every token, in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tokens: list[tuple[int, bool]] = []
        self.raw_open: int | None = None  # start of an unclosed <script>/<style>

    def _mark(self, is_markup: bool) -> None:
        line, column = self.getpos()
        self.tokens.append((self._line_starts[line - 1] + column, is_markup))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(True)
        if tag in _RAW_TEXT and self.raw_open is None:
            self.raw_open = self.tokens[-1][0]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(True)

    def handle_endtag(self, tag: str) -> None:
        self._mark(True)
        if tag in _RAW_TEXT:
            self.raw_open = None

    def handle_data(self, data: str) -> None:
        self._mark(self.raw_open is not None)

    def handle_entityref(self, name: str) -> None:
        self._mark(False)

    def handle_charref(self, name: str) -> None:
        self._mark(False)

    def handle_comment(self, data: str) -> None:
        self._mark(True)

    def handle_decl(self, decl: str) -> None:
        self._mark(True)

    def handle_pi(self, data: str) -> None:
        self._mark(True)

    def unknown_decl(self, data: str) -> None:
        self._mark(True)


def _regex_tags(text: str) -> list[Span]:
    """Fallback when HTMLParser gives up on malformed input: drop anything tag-shaped."""
    return [Span(m.start(), m.end(), "markup") for m in re.finditer(r"<[A-Za-z!/?][^>]*>?", text)]


def find_markup(text: str) -> list[Span]:
    """Spans of markup in ``text``; plain ``<`` and ``>`` (``pay < minimum``) are not markup.

    NUL characters count as markup too: HTML parsers rewrite them and PostgreSQL text columns
    refuse them, so they never belong in a stored review.
    """
    nuls = [Span(m.start(), m.end(), "markup") for m in re.finditer("\x00+", text)]
    if ">" not in text or not TAG_OPEN.search(text):
        return nuls  # no tag can close; stray "<" are the pipeline's business
    parser = _Tokenizer(text)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError, IndexError):
        return nuls + _regex_tags(text)
    consumed = len(text) - len(parser.rawdata)
    bounds = [offset for offset, _ in parser.tokens] + [consumed]
    spans = nuls + [
        Span(start, end, "markup")
        for (start, is_markup), end in zip(parser.tokens, bounds[1:], strict=True)
        if is_markup and end > start
    ]
    if parser.raw_open is not None:
        # An unterminated <script>: browsers swallow the rest of the document, so do we.
        spans.append(Span(parser.raw_open, len(text), "markup"))
    return spans
