"""E-mail addresses (also spelled out to dodge filters), links and social-media handles.

Handles (``@someone``) are reported as ``url``: they point at an account the way a profile
link does, and the account may not carry the person's name at all.
"""

from __future__ import annotations

import re

from organize.redaction.spans import Span

_TLDS = r"(?:com|net|org|edu|gov|info|biz|io|co|me|us|mx|gt|sv|hn|ni|cr|pa|es|app|ly|gl)"
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}\b")
# "maria at gmail dot com", "maria [at] gmail.com", "maria arroba hotmail punto com".
_AT = r"(?:\s*[\[({]\s*(?:at|arroba)\s*[\])}]\s*|\s+(?:at|arroba)\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[({]\s*(?:dot|punto)\s*[\])}]\s*|\s+(?:dot|punto)\s+|\s*\.\s*)"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.@])[\w.%+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*?{_DOT}{_TLDS}\b", re.IGNORECASE
)
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.{_TLDS}(?:/[^\s<>\"']*)?(?![\w@])",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}")
_TRAILING = ".,;:!?)]}'\""


def find_emails(text: str) -> list[Span]:
    """Spans of e-mail addresses, plain or spelled out."""
    if "@" not in text and not re.search(r"\b(?:at|arroba)\b", text, re.IGNORECASE):
        return []
    spans = [Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    spans += [Span(m.start(), m.end(), "email") for m in _SPELLED_EMAIL.finditer(text)]
    return spans


def find_urls(text: str) -> list[Span]:
    """Spans of links (with or without a scheme) and ``@handles``."""
    spans = []
    for match in _URL.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _TRAILING:
            end -= 1
        spans.append(Span(match.start(), end, "url"))
    # A handle does not end in a dot: "posts as @maria_l." ends a sentence.
    spans += [
        Span(m.start(), m.start() + len(m.group().rstrip(".")), "url")
        for m in _HANDLE.finditer(text)
    ]
    return spans
