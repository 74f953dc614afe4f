"""Pure TwiML builders, one module per part of the line: plain data in, `VoiceResponse` out."""

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
PAGE_SIZE = 8  # keys 1-8 choose; 9 is "more"


def page_of(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> tuple[list[T], int, bool]:
    """(the page's items, the page actually shown, whether more follow); past the end → first."""
    page = page if 0 <= page * size < len(items) else 0
    chunk = list(items[page * size : (page + 1) * size])
    return chunk, page, (page + 1) * size < len(items)
