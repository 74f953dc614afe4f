"""Know-your-rights library: topics per locale, falling back to English, rendered safely."""

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import nh3
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from sqlalchemy import orm as so

from organize.extensions import db
from organize.models import RightsStateNote, RightsTopic, RightsTranslation
from organize.plumbing.i18n import N_

CATEGORIES: dict[str, str] = {
    "pay": N_("Pay"),
    "hours": N_("Hours and breaks"),
    "safety": N_("Safety and health"),
    "status": N_("Immigration status"),
    "organizing": N_("Organizing together"),
    "discrimination": N_("Discrimination and harassment"),
}
FALLBACK_LOCALE = "en"

# CommonMark without raw HTML; nh3 then allows only the tags a rights page needs.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
_ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br"}


@dataclass(frozen=True)
class TopicView:
    """A topic in one language, ready for any channel."""

    slug: str
    category: str
    title: str
    summary: str
    body: str
    locale: str
    audio_url: str | None
    reviewed_on: date | None
    reviewed_by: str
    sources: list[dict[str, Any]]
    voice: str = ""  # what the phone line says; empty: the body, as plain sentences
    draft: bool = False  # machine-drafted, awaiting a native speaker's review


def not_legal_advice() -> str:
    """The line every page and phone topic ends with, in the current locale: what this is not,
    and whom to call instead."""
    return _(
        "This is not legal advice. For help with your case, call a worker center near you or "
        "the U.S. Department of Labor at 1-866-487-9243."
    )


def not_legal_advice_sms() -> str:
    """The same line, short enough to ride under a topic's SMS summary."""
    return _("Not legal advice. Help: 1-866-487-9243")


def render_markdown(text: str) -> str:
    """Markdown → sanitized HTML (links get rel=noopener noreferrer; no scripts, no styles)."""
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def _pick(topic: RightsTopic, locale: str) -> RightsTranslation | None:
    by_locale = {t.locale: t for t in topic.translations}
    return by_locale.get(locale) or by_locale.get(FALLBACK_LOCALE)


def _view(topic: RightsTopic, translation: RightsTranslation) -> TopicView:
    return TopicView(
        slug=topic.slug,
        category=topic.category,
        title=translation.title,
        summary=translation.summary,
        body=translation.body,
        locale=translation.locale,
        audio_url=translation.audio_url,
        # A language reviewed on its own shows its own review; else the topic's.
        reviewed_on=translation.reviewed_on or topic.reviewed_on,
        reviewed_by=(translation.reviewed_by if translation.reviewed_on else topic.reviewed_by)
        or "",
        sources=list(topic.sources or []),
        voice=translation.voice or "",
        draft=bool(translation.draft),
    )


# Topics change a few times a year and are read on every RIGHTS text and phone menu: keep the
# views per locale (and each topic's note states) for a minute, per app and process; `upsert`
# and the editors clear this copy at once (`forget_cached`).
CACHE_SECONDS = 60.0


def _cache() -> dict[str, tuple[float, list[TopicView]]]:
    cache: dict[str, tuple[float, list[TopicView]]] = current_app.extensions.setdefault(
        "rights_topics", {}
    )
    return cache


def _regions_cache() -> dict[str, tuple[float, list[str]]]:
    cache: dict[str, tuple[float, list[str]]] = current_app.extensions.setdefault(
        "rights_note_regions", {}
    )
    return cache


def forget_cached() -> None:
    """Drop this process's cached views and note states (after an edit, so its own next read
    is fresh)."""
    _cache().clear()
    _regions_cache().clear()


def topics(*, locale: str) -> list[TopicView]:
    """Every topic in the locale (English where a translation is missing), in menu order."""
    cache, now = _cache(), time.monotonic()
    cached = cache.get(locale)
    if cached is not None and cached[0] > now:
        return list(cached[1])
    views = _load_topics(locale)
    cache[locale] = (now + CACHE_SECONDS, views)
    return list(views)


def _load_topics(locale: str) -> list[TopicView]:
    stmt = (
        sa.select(RightsTopic)
        .where(RightsTopic.published)
        .options(so.selectinload(RightsTopic.translations))
        .order_by(RightsTopic.position, RightsTopic.id)
    )
    views = []
    for topic in db.session.scalars(stmt):
        translation = _pick(topic, locale)
        if translation is not None:
            views.append(_view(topic, translation))
    return views


def by_category(*, locale: str) -> list[tuple[str, list[TopicView]]]:
    """Topics grouped by category, categories in their fixed order."""
    grouped: dict[str, list[TopicView]] = {}
    for view in topics(locale=locale):
        grouped.setdefault(view.category, []).append(view)
    order = list(CATEGORIES)
    return sorted(grouped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)


def topic(*, slug: str, locale: str) -> TopicView | None:
    """One topic in the locale, or None when the slug is unknown."""
    cached = _cache().get(locale)
    if cached is not None and cached[0] > time.monotonic():
        for view in cached[1]:
            if view.slug == slug:
                return view
    stmt = (
        sa.select(RightsTopic)
        .where(RightsTopic.slug == slug, RightsTopic.published)
        .options(so.selectinload(RightsTopic.translations))
    )
    found = db.session.scalar(stmt)
    if found is None:
        return None
    translation = _pick(found, locale)
    return _view(found, translation) if translation is not None else None


def upsert(
    *,
    slug: str,
    category: str,
    position: int,
    reviewed_on: date | None,
    reviewed_by: str = "",
    sources: list[dict[str, Any]],
    texts: dict[str, dict[str, Any]],
    state_notes: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> RightsTopic:
    """Create or update a topic and its translations (used by seeding and imports).
    `state_notes` ({"CA": {"en": {"text": …, "draft": False}}}), when given, replaces the
    topic's notes. Changed sources are dated, so that the topic comes up for review."""
    forget_cached()
    found = db.session.scalar(sa.select(RightsTopic).where(RightsTopic.slug == slug))
    if found is None:
        found = RightsTopic(slug=slug)
        db.session.add(found)
    elif list(found.sources or []) != list(sources):
        found.sources_changed_on = date.today()
    found.category, found.position, found.reviewed_on = category, position, reviewed_on
    found.reviewed_by = reviewed_by
    found.sources = sources
    if state_notes is not None:
        _replace_notes(found, state_notes)
    existing = {t.locale: t for t in found.translations}
    for locale, fields in texts.items():
        translation = existing.get(locale) or RightsTranslation(locale=locale)
        translation.title = fields["title"]
        translation.summary = fields.get("summary", "")
        translation.body = fields.get("body", "")
        translation.audio_url = fields.get("audio_url")
        translation.voice = fields.get("voice", "")
        translation.draft = bool(fields.get("draft", False))
        if locale not in existing:
            found.translations.append(translation)
    db.session.flush()
    return found


def _replace_notes(found: RightsTopic, notes: dict[str, dict[str, dict[str, Any]]]) -> None:
    existing = {(n.region, n.locale): n for n in found.state_notes}
    wanted = {(region, locale) for region, texts in notes.items() for locale in texts}
    for key, gone in existing.items():
        if key not in wanted:
            found.state_notes.remove(gone)
    for region, texts in notes.items():
        for locale, fields in texts.items():
            note = existing.get((region, locale))
            if note is None:
                note = RightsStateNote(region=region, locale=locale)
                found.state_notes.append(note)
            note.text, note.draft = fields["text"], bool(fields.get("draft", False))


@dataclass(frozen=True)
class StateNoteView:
    """What a state adds to a topic, in one language (English when the reader's is missing)."""

    slug: str
    region: str
    text: str
    locale: str
    draft: bool = False


def state_note(*, slug: str, region: str, locale: str) -> StateNoteView | None:
    """The topic's note for a state in the locale, falling back to English like topics do;
    None when the topic has no note for that state."""
    stmt = (
        sa.select(RightsStateNote)
        .join(RightsTopic)
        .where(RightsTopic.slug == slug, RightsStateNote.region == region.upper())
    )
    by_locale = {n.locale: n for n in db.session.scalars(stmt)}
    note = by_locale.get(locale) or by_locale.get(FALLBACK_LOCALE)
    if note is None:
        return None
    return StateNoteView(slug, note.region, note.text, note.locale, bool(note.draft))


def note_regions(*, slug: str) -> list[str]:
    """States that have a note on this topic, sorted (kept a minute, as topics are: a "1" that
    opens a topic with none reads no subscriber's state — issue 12)."""
    cache, now = _regions_cache(), time.monotonic()
    cached = cache.get(slug)
    if cached is not None and cached[0] > now:
        return list(cached[1])
    stmt = (
        sa.select(RightsStateNote.region)
        .join(RightsTopic)
        .where(RightsTopic.slug == slug)
        .distinct()
        .order_by(RightsStateNote.region)
    )
    regions = list(db.session.scalars(stmt))
    cache[slug] = (now + CACHE_SECONDS, regions)
    return list(regions)


@dataclass(frozen=True)
class DueForReview:
    """A topic the organizers should check again, and why."""

    slug: str
    title: str
    reviewed_on: date | None
    reviewed_by: str
    reason: str  # "never" | "old" | "sources"


def due_for_review(*, today: date | None = None) -> list[DueForReview]:
    """Topics never reviewed, reviewed longer ago than RIGHTS_REVIEW_MAX_AGE_DAYS (default 12
    months), or whose sources changed after their review: law and agency pages move, and a
    worker center can only stand behind what it checked recently. Oldest review first."""
    today = today or date.today()
    oldest = today - timedelta(days=int(current_app.config["RIGHTS_REVIEW_MAX_AGE_DAYS"]))
    stmt = sa.select(RightsTopic).options(so.selectinload(RightsTopic.translations))
    due = []
    for found in db.session.scalars(stmt):
        reviewed = found.reviewed_on
        if reviewed is None:
            reason = "never"
        elif reviewed < oldest:
            reason = "old"
        elif found.sources_changed_on is not None and found.sources_changed_on > reviewed:
            reason = "sources"
        else:
            continue
        english = _pick(found, FALLBACK_LOCALE)
        title = english.title if english is not None else found.slug
        due.append(DueForReview(found.slug, title, reviewed, found.reviewed_by or "", reason))
    return sorted(due, key=lambda d: (d.reviewed_on or date.min, d.slug))
