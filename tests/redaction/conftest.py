"""Helpers shared by the redaction tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from organize.redaction import Span

Detector = Callable[[str], list[Span]]


@pytest.fixture
def found() -> Callable[[Detector, str], list[str]]:
    """Run a detector and return the text of each span, so tests read as examples."""

    def run(detect: Detector, text: str) -> list[str]:
        return [text[s.start : s.end] for s in sorted(detect(text))]

    return run
