"""Know-your-rights topics and their per-language texts."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from organize.models.base import Base


class RightsTopic(Base):
    """A topic; its words live in one `RightsTranslation` per locale."""

    __tablename__ = "rights_topic"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    category: so.Mapped[str] = so.mapped_column(sa.String(30), index=True)
    position: so.Mapped[int] = so.mapped_column(default=0)
    reviewed_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
    # Who reviewed it (a role or organization), entered by a person with the date: readers
    # weigh "reviewed by a labor lawyer" and "by volunteers" differently.
    reviewed_by: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    sources: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON, default=list)
    # Unpublished topics (new ones, until an organizer publishes them) reach no channel.
    published: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())
    # When the sources last changed: a change after `reviewed_on` puts the topic up for review.
    sources_changed_on: so.Mapped[date | None] = so.mapped_column(sa.Date)

    translations: so.Mapped[list["RightsTranslation"]] = so.relationship(
        back_populates="topic", cascade="all, delete-orphan"
    )
    state_notes: so.Mapped[list["RightsStateNote"]] = so.relationship(
        back_populates="topic", cascade="all, delete-orphan"
    )


class RightsTranslation(Base):
    """Title, SMS summary, Markdown body, voice script and optional audio for one locale."""

    __tablename__ = "rights_translation"
    __table_args__ = (sa.UniqueConstraint("topic_id", "locale"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    topic_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("rights_topic.id", ondelete="CASCADE"), index=True
    )
    locale: so.Mapped[str] = so.mapped_column(sa.String(10))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    summary: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    audio_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # What the phone line says (written for the ear; the body's text when empty).
    voice: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    # Drafted without a native speaker: readers are told, quietly, until one reviews it.
    draft: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # Who reviewed this language's text and when, typed by the organizer who marks it reviewed.
    reviewed_by: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    reviewed_on: so.Mapped[date | None] = so.mapped_column(sa.Date)

    topic: so.Mapped[RightsTopic] = so.relationship(back_populates="translations")


class RightsStateNote(Base):
    """What one state adds to a topic (a higher minimum wage, a heat rule), in one locale.

    Short enough to ride in a text message; shown for the state the reader picks (web), has on
    file (SMS) or keys in as a ZIP code (phone)."""

    __tablename__ = "rights_state_note"
    __table_args__ = (sa.UniqueConstraint("topic_id", "region", "locale"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    topic_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("rights_topic.id", ondelete="CASCADE"), index=True
    )
    region: so.Mapped[str] = so.mapped_column(sa.String(2))
    locale: so.Mapped[str] = so.mapped_column(sa.String(10))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    draft: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())

    topic: so.Mapped[RightsTopic] = so.relationship(back_populates="state_notes")
