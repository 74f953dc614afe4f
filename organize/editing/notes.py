"""State notes in the editor: what one state adds to a topic, in one language. Checked as the
seed checker checks them (a state code, a text that fits three SMS segments with the
not-legal-advice line and a link: the SMS reply carries all three) and audited with the text
before and after, as the topic's own texts are."""

from typing import Any

import sqlalchemy as sa
from flask import current_app

from organize import audit, rights
from organize.editing import EditError
from organize.extensions import db
from organize.models import Organizer, RightsStateNote, RightsTopic
from organize.plumbing.i18n import N_
from organize.resources import STATES
from organize.seed.check_notes import fits_note


def notes(topic: RightsTopic) -> list[RightsStateNote]:
    """The topic's notes, by state then language."""
    stmt = (
        sa.select(RightsStateNote)
        .where(RightsStateNote.topic_id == topic.id)
        .order_by(RightsStateNote.region, RightsStateNote.locale)
    )
    return list(db.session.scalars(stmt))


def find(topic: RightsTopic, region: str, locale: str) -> RightsStateNote | None:
    stmt = sa.select(RightsStateNote).where(
        RightsStateNote.topic_id == topic.id,
        RightsStateNote.region == region.upper(),
        RightsStateNote.locale == locale,
    )
    return db.session.scalar(stmt)


def save(
    *, topic: RightsTopic, region: str, locale: str, text: str, draft: bool, actor: Organizer
) -> RightsStateNote:
    """Create or replace the note for a state in a language. English and Spanish are what
    every reader falls back to or reads complete; other languages may stay drafts."""
    region, text = region.strip().upper(), text.strip()
    if region not in STATES:
        raise EditError(N_("Choose a state."))
    if locale not in current_app.config["LANGUAGES"]:
        raise EditError(N_("Choose a language."))
    if not text:
        raise EditError(N_("Write the note."))
    if not fits_note(topic.slug, locale, text):
        raise EditError(
            N_("Too long: with the not-legal-advice line and the link it must fit 3 texts.")
        )
    note = find(topic, region, locale)
    before: dict[str, Any] = {"text": note.text, "draft": note.draft} if note else {}
    if note is None:
        note = RightsStateNote(topic_id=topic.id, region=region, locale=locale)
        db.session.add(note)
    note.text, note.draft = text, draft
    after = {"text": text, "draft": draft}
    changed = {k: {"from": before.get(k), "to": v} for k, v in after.items() if before.get(k) != v}
    if changed:
        _audit(topic, actor, "rights.note", region, locale, changed)
    db.session.flush()
    rights.forget_cached()
    return note


def delete(*, topic: RightsTopic, note: RightsStateNote, actor: Organizer) -> None:
    """Remove a note; readers of that state and language see the English one, if any."""
    _audit(topic, actor, "rights.note-removed", note.region, note.locale, {"text": note.text})
    db.session.delete(note)
    db.session.flush()
    rights.forget_cached()


def _audit(
    topic: RightsTopic, actor: Organizer, action: str, region: str, locale: str, changed: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target_type="rights_topic",
        target_id=topic.id,
        detail={"region": region, "locale": locale, "changed": changed},
    )
