"""Checks for a rights topic's `[[state_note]]` rows (run by check_seed.py)."""

from typing import Any

from organize.outbound.segments import measure, plain_spelling
from organize.resources import STATES

SMS_ADVICE, SMS_TAIL = 45, 45  # the appended lines' longest translations (es)


def fits_note(slug: str, locale: str, text: str) -> bool:
    """Whether a state note's SMS reply fits three segments: the note, the short
    not-legal-advice line, a link on a 40-character site and "reply RIGHTS"."""
    link = "https://" + "x" * 32 + f"/rights/{slug}?state=XX&lang={locale}"
    reply = f"{text}\n{'x' * SMS_ADVICE}\n{link}\n{'x' * SMS_TAIL}"
    return measure(plain_spelling(reply)).count <= 3


def state_note_problems(
    data: dict[str, Any], where: str, required: tuple[str, ...], drafts: tuple[str, ...]
) -> list[tuple[str, str]]:
    """`[[state_note]]`: a state code, a text in each `required` locale (others optional and
    listed in `draft` while drafts), each short enough to text with the advice line and a link."""
    notes = data.get("state_note", [])
    if not isinstance(notes, list):
        return [(where, "state_note must be an array of tables ([[state_note]])")]
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, note in enumerate(notes):
        nwhere = f"{where} state_note[{i}]"
        if not isinstance(note, dict) or note.get("state") not in STATES:
            problems.append((nwhere, "needs state = a two-letter state code"))
            continue
        if note["state"] in seen:
            problems.append((nwhere, f"second note for {note['state']}"))
        seen.add(note["state"])
        listed = note.get("draft", [])
        if not isinstance(listed, list) or not set(listed) <= set(drafts):
            problems.append((nwhere, f"draft must list locales among {drafts}"))
        for locale, text in note.items():
            if locale in ("state", "draft"):
                continue
            if locale not in (*required, *drafts) or not isinstance(text, str) or not text.strip():
                problems.append((nwhere, f"{locale!r}: a note is a non-empty text in a locale"))
            elif not fits_note(str(data.get("slug", "")), locale, text):
                problems.append(
                    (nwhere, f"[{locale}] note, advice line and link pass 3 SMS segments")
                )
            elif locale == "en" and not text.isascii():
                problems.append((nwhere, "English note must be plain ASCII"))
        problems += [(nwhere, f"missing the {loc} text") for loc in required if loc not in note]
    return problems
