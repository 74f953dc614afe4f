"""Editing rights topics: per-language texts, sources, review status, publishing.

A translation is "reviewed" only when a person says who reviewed it (a role or organization) and
when; any later change to its words makes it a draft again, so readers are never told a text was
checked that was not. Every change is an audit event holding what changed, before and after: the
audit log is the topic's history.
"""

import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from organize import audit, rights
from organize.editing import EditError
from organize.extensions import db
from organize.models import AuditEvent, Organizer, RightsTopic, RightsTranslation
from organize.outbound.segments import Segments, measure
from organize.plumbing.i18n import N_
from organize.plumbing.text import clean, fold

TEXT_FIELDS = ("title", "summary", "body", "voice")
LIMITS = {"title": 200, "summary": 1000, "body": 20000, "voice": 10000}
MAX_SOURCES = 12
# ASCII, so the topic's recording (`topic-<slug>.mp3`) has a name the phone line serves.
SLUG_MAX = 60
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def official(url: str) -> bool:
    """A government page: a .gov host or a state's .us one (ca.us, …), over https."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    labels = host.split(".")
    state_us = len(labels) >= 3 and labels[-1] == "us" and len(labels[-2]) == 2
    return parts.scheme == "https" and (labels[-1] == "gov" or state_us) and len(labels) >= 2


def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def all_topics() -> list[RightsTopic]:
    """Every topic, published or not, in menu order."""
    stmt = sa.select(RightsTopic).order_by(RightsTopic.position, RightsTopic.id)
    return list(db.session.scalars(stmt))


def translation(topic: RightsTopic, locale: str) -> RightsTranslation | None:
    """The topic's text in `locale`, if it has one."""
    return next((t for t in topic.translations if t.locale == locale), None)


def sms_segments(topic: RightsTopic, locale: str, title: str, summary: str) -> Segments:
    """How the topic travels by text, as the SMS channel sends it: title, summary, the
    not-legal-advice line, the link (PUBLIC_URL, else this host) and the "reply RIGHTS" line."""
    with force_locale(locale):
        advice = rights.not_legal_advice_sms()
        more = _("Reply RIGHTS for all topics.")
    base = current_app.config.get("PUBLIC_URL")
    path = url_for("public.rights_topic", slug=topic.slug, lang=locale, _external=not base)
    link = str(base).rstrip("/") + path if base else path
    return measure(f"{title}: {summary}\n{advice}\n{link}\n{more}")


def create(*, slug: str, category: str, title: str, actor: Organizer) -> RightsTopic:
    """A new topic with its English title, unpublished, its English text a draft."""
    slug = fold(clean(slug)).replace(" ", "-").replace("_", "-")[:SLUG_MAX]
    title = clean(title)
    if not _SLUG.fullmatch(slug) or not title:
        raise EditError(N_("A topic needs a web address name and an English title."))
    if category not in rights.CATEGORIES:
        raise EditError(N_("Choose a category."))
    if db.session.scalar(sa.select(RightsTopic.id).where(RightsTopic.slug == slug)):
        raise EditError(N_("A topic already uses the address %(slug)s."), slug=slug)
    last = db.session.scalar(sa.select(sa.func.max(RightsTopic.position))) or 0
    topic = RightsTopic(
        slug=slug, category=category, position=last + 1, published=False, sources=[]
    )
    topic.translations.append(
        RightsTranslation(locale=rights.FALLBACK_LOCALE, title=title[:200], draft=True)
    )
    db.session.add(topic)
    db.session.flush()
    audit.record(
        actor=actor,
        action="rights.create",
        target_type="rights_topic",
        target_id=topic.id,
        detail={"slug": slug, "category": category, "title": title},
    )
    return topic


def save_text(
    *, topic: RightsTopic, locale: str, fields: dict[str, str], actor: Organizer
) -> list[str]:
    """Create or change the texts of one language; returns the names of the fields changed.

    A change to a reviewed text makes it a draft again (its review was of other words)."""
    values = {name: clean(fields.get(name) or "") for name in TEXT_FIELDS}
    if not values["title"]:
        raise EditError(N_("A title is required."))
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise EditError(N_("Too long: at most %(limit)s characters."), limit=limit)
    found = translation(topic, locale)
    created = found is None
    if found is None:
        found = RightsTranslation(locale=locale, title="", draft=True)
        topic.translations.append(found)
    changed = {
        name: {"from": getattr(found, name) or "", "to": value}
        for name, value in values.items()
        if (getattr(found, name) or "") != value
    }
    if not changed:
        return []
    for name, value in values.items():
        setattr(found, name, value)
    was_reviewed = not found.draft and not created
    _make_draft(found)
    db.session.flush()
    rights.forget_cached()
    audit.record(
        actor=actor,
        action="rights.text",
        target_type="rights_topic",
        target_id=topic.id,
        detail={
            "locale": locale,
            "created": created,
            "changed": changed,
            "review_reset": was_reviewed,
        },
    )
    return list(changed)


def _make_draft(found: RightsTranslation) -> None:
    found.draft, found.reviewed_by, found.reviewed_on = True, "", None


def save_settings(
    *,
    topic: RightsTopic,
    category: str,
    position: int,
    sources: list[tuple[str, str]],
    actor: Organizer,
) -> None:
    """Category, menu position and sources (label and URL; blank rows dropped)."""
    if category not in rights.CATEGORIES:
        raise EditError(N_("Choose a category."))
    kept: list[dict[str, Any]] = []
    for label, url in sources:
        label, url = clean(label), clean(url)
        if not label and not url:
            continue
        if not label or not _valid_url(url):
            raise EditError(N_("Each source needs a label and a web address (https://…)."))
        kept.append({"title": label[:300], "url": url[:500]})
    if len(kept) > MAX_SOURCES:
        raise EditError(N_("At most %(limit)s sources."), limit=MAX_SOURCES)
    before = {"category": topic.category, "position": topic.position, "sources": topic.sources}
    after = {"category": category, "position": position, "sources": kept}
    changed = {k: {"from": before[k], "to": v} for k, v in after.items() if before[k] != v}
    if not changed:
        return
    topic.category, topic.position, topic.sources = category, position, kept
    if "sources" in changed:  # puts the topic up for review (organize.rights.due_for_review)
        topic.sources_changed_on = datetime.now(UTC).date()
    db.session.flush()
    rights.forget_cached()
    audit.record(
        actor=actor,
        action="rights.settings",
        target_type="rights_topic",
        target_id=topic.id,
        detail={"changed": changed},
    )


def mark_reviewed(
    *, topic: RightsTopic, locale: str, reviewer: str, on: date, actor: Organizer
) -> None:
    """Mark one language reviewed by `reviewer` (a role or organization) on `on`.

    Refused without an official source, a title and a body: a review vouches for sourced words.
    The English review is the topic's own ("last reviewed" where a language has none)."""
    reviewer = clean(reviewer)[:200]
    found = translation(topic, locale)
    if found is None or not found.title or not found.body:
        raise EditError(N_("Write the title and the web text before marking it reviewed."))
    if not reviewer:
        raise EditError(N_("Say who reviewed it: a role or an organization."))
    if not any(official(str(s.get("url", ""))) for s in topic.sources or []):
        raise EditError(N_("Add at least one official source (a .gov page) first."))
    if on > date.today():
        raise EditError(N_("The review date cannot be in the future."))
    found.draft, found.reviewed_by, found.reviewed_on = False, reviewer, on
    if locale == rights.FALLBACK_LOCALE:
        topic.reviewed_by, topic.reviewed_on = reviewer, on
    db.session.flush()
    rights.forget_cached()
    audit.record(
        actor=actor,
        action="rights.reviewed",
        target_type="rights_topic",
        target_id=topic.id,
        detail={"locale": locale, "reviewer": reviewer, "on": on.isoformat()},
    )


def mark_draft(*, topic: RightsTopic, locale: str, actor: Organizer) -> None:
    """Take a language's review back: readers see the draft line again."""
    found = translation(topic, locale)
    if found is None or found.draft:
        return
    _make_draft(found)
    db.session.flush()
    rights.forget_cached()
    audit.record(
        actor=actor,
        action="rights.draft",
        target_type="rights_topic",
        target_id=topic.id,
        detail={"locale": locale},
    )


def set_published(*, topic: RightsTopic, published: bool, actor: Organizer) -> None:
    """Publish (every channel shows it) or unpublish; publishing needs the English text, which
    every other language falls back to."""
    english = translation(topic, rights.FALLBACK_LOCALE)
    if published and (english is None or not english.body or not english.summary):
        raise EditError(N_("Write the English summary and web text before publishing."))
    if topic.published == published:
        return
    topic.published = published
    db.session.flush()
    rights.forget_cached()
    audit.record(
        actor=actor,
        action="rights.publish" if published else "rights.unpublish",
        target_type="rights_topic",
        target_id=topic.id,
        detail={"slug": topic.slug},
    )


def history(topic: RightsTopic, limit: int = 100) -> list[AuditEvent]:
    """The topic's audit events, newest first."""
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.target_type == "rights_topic", AuditEvent.target_id == topic.id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
