"""The contacts list (masked numbers only), counts per language / state / tag, tags, and saved
audiences: named filters an organizer picks when composing an alert."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from organize import audit, privacy
from organize.alerts import compose
from organize.extensions import db
from organize.models import Organizer, SavedAudience, Subscriber
from organize.plumbing.i18n import N_, Refused

PER_PAGE = 50


class RosterError(Refused):
    """A contacts change refused, for the organizer to read."""


@dataclass(frozen=True)
class Listed:
    """A contact as the console may show it: never the number, only its mask."""

    id: int
    masked: str
    locale: str
    region: str | None
    tags: list[str]
    status: str
    month: str


def masked(subscriber: Subscriber) -> str:
    """Country code and last two digits (DESIGN promise 6)."""
    return privacy.mask(privacy.decrypt(subscriber.phone_cipher))


def _listed(subscriber: Subscriber) -> Listed:
    return Listed(
        id=subscriber.id,
        masked=masked(subscriber),
        locale=subscriber.locale,
        region=subscriber.region,
        tags=list(subscriber.tags or []),
        status=subscriber.status,
        month=subscriber.created_at.strftime("%Y-%m"),
    )


def _tag_match(tag: str) -> sa.ColumnElement[bool]:
    """The JSON list holds this tag (the same test as an alert's audience)."""
    return sa.cast(Subscriber.tags, sa.String).like(f'%"{tag}"%')


def page(
    *, language: str = "", state: str = "", tag: str = "", number: int = 1
) -> tuple[list[Listed], int]:
    """One page of contacts, newest first, and how many match in all."""
    stmt = sa.select(Subscriber)
    if language:
        stmt = stmt.where(Subscriber.locale == language)
    if state:
        stmt = stmt.where(Subscriber.region == state.upper())
    if tag:
        stmt = stmt.where(_tag_match(tag))
    total = int(db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0)
    rows = db.session.scalars(
        stmt.order_by(Subscriber.id.desc()).limit(PER_PAGE).offset((max(number, 1) - 1) * PER_PAGE)
    )
    return [_listed(s) for s in rows], total


def get(subscriber_id: int) -> Listed | None:
    """One contact, masked."""
    subscriber = db.session.get(Subscriber, subscriber_id)
    return _listed(subscriber) if subscriber is not None else None


def counts() -> dict[str, Counter[str]]:
    """Active subscribers per language, per state and per tag (who an alert can reach)."""
    active = Subscriber.status == "active"
    by_language = Counter(
        dict(
            db.session.execute(
                sa.select(Subscriber.locale, sa.func.count())
                .where(active)
                .group_by(Subscriber.locale)
            ).all()
        )
    )
    by_state = Counter(
        {
            (region or ""): n
            for region, n in db.session.execute(
                sa.select(Subscriber.region, sa.func.count())
                .where(active)
                .group_by(Subscriber.region)
            ).all()
        }
    )
    by_tag: Counter[str] = Counter()
    for tags in db.session.scalars(sa.select(Subscriber.tags).where(active)):
        by_tag.update(set(tags or []))
    return {"language": by_language, "state": by_state, "tag": by_tag}


def clean_tags(text: str) -> list[str]:
    """Comma-separated tags: letters, digits, spaces, - and _ only (they are matched inside a
    JSON list), 40 characters at most."""
    tags = set()
    for tag in text.replace(";", ",").split(","):
        tag = " ".join(tag.split())
        if not tag:
            continue
        if len(tag) > 40 or not all(ch.isalnum() or ch in "-_ " for ch in tag):
            raise RosterError(
                N_("A tag holds letters, digits, spaces, - and _ (%(max)d characters at most)."),
                max=40,
            )
        tags.add(tag)
    return sorted(tags)


def set_tags(*, subscriber_id: int, tags: list[str], actor: Organizer) -> None:
    """Replace a contact's tags (audited, without the tags: they may say who someone is)."""
    subscriber = db.session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise RosterError(N_("No such contact."))
    subscriber.tags = tags
    audit.record(
        actor=actor, action="contacts.tags", target_type="subscriber", target_id=subscriber.id
    )
    db.session.flush()


def audiences() -> list[tuple[SavedAudience, int]]:
    """Every saved audience with how many active subscribers it reaches now."""
    rows = db.session.scalars(sa.select(SavedAudience).order_by(SavedAudience.name))
    return [(a, sum(compose.audience_by_locale(a.filter).values())) for a in rows]


def save_audience(*, name: str, audience: dict[str, Any], actor: Organizer) -> SavedAudience:
    """A named filter (the keys of an alert's audience)."""
    name = " ".join(name.split())
    if not name:
        raise RosterError(N_("Give the audience a name."))
    taken = db.session.scalar(sa.select(SavedAudience.id).where(SavedAudience.name == name))
    if taken is not None:
        raise RosterError(N_("An audience with that name exists."))
    saved = SavedAudience(
        name=name, filter=compose.clean_audience(audience), created_by_id=actor.id
    )
    db.session.add(saved)
    db.session.flush()
    audit.record(actor=actor, action="audience.save", target_type="audience", target_id=saved.id)
    return saved


def delete_audience(*, audience_id: int, actor: Organizer) -> None:
    """Drop a saved audience (alerts made with it keep their own copy of the filter)."""
    saved = db.session.get(SavedAudience, audience_id)
    if saved is not None:
        db.session.delete(saved)
        audit.record(
            actor=actor, action="audience.delete", target_type="audience", target_id=audience_id
        )
        db.session.flush()


def choices() -> list[tuple[str, str]]:
    """(id, name) of every saved audience, for the composer."""
    rows = db.session.execute(
        sa.select(SavedAudience.id, SavedAudience.name).order_by(SavedAudience.name)
    )
    return [(str(i), name) for i, name in rows]


def with_saved(audience: dict[str, list[str]], saved_id: str | None) -> dict[str, list[str]]:
    """An alert's audience with a saved audience's filter added (each key: both lists' values).
    The alert keeps the combined copy, so a later edit of the saved one changes no alert."""
    if not saved_id or not saved_id.isdigit():
        return audience
    saved = db.session.get(SavedAudience, int(saved_id))
    if saved is None:
        return audience
    merged = {key: list(values) for key, values in audience.items()}
    for key, values in saved.filter.items():
        merged[key] = sorted(set(merged.get(key, [])) | set(values))
    return merged
