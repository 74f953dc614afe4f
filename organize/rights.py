"""Know-your-rights library: topics per locale, falling back to English, rendered safely."""

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import nh3
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from sqlalchemy import orm as so

from organize.extensions import db
from organize.models import RightsTopic, RightsTranslation
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
# views per locale for a minute (per app and process; `upsert` clears this copy at once).
CACHE_SECONDS = 60.0


def _cache() -> dict[str, tuple[float, list[TopicView]]]:
    cache: dict[str, tuple[float, list[TopicView]]] = current_app.extensions.setdefault(
        "rights_topics", {}
    )
    return cache


def forget_cached() -> None:
    """Drop this process's cached views (after an edit, so its own next read is fresh)."""
    _cache().clear()


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
) -> RightsTopic:
    """Create or update a topic and its translations (used by seeding and imports)."""
    _cache().clear()
    found = db.session.scalar(sa.select(RightsTopic).where(RightsTopic.slug == slug))
    if found is None:
        found = RightsTopic(slug=slug)
        db.session.add(found)
    found.category, found.position, found.reviewed_on = category, position, reviewed_on
    found.reviewed_by = reviewed_by
    found.sources = sources
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
