"""Rights by text: numbered topics (paged), a topic's SMS summary and its web link, and
what a state adds to it: offered for the state on file (alert sign-up), shown for any state
code (or ZIP code) texted back after a topic."""

import sqlalchemy as sa
from flask_babel import gettext as _

from organize import resources, rights
from organize.extensions import db
from organize.models import Subscriber
from organize.plumbing.zipcodes import state_for_zip
from sms import state
from sms.turn import Turn, link

PAGE_SIZE = 6


def _listing(turn: Turn, page: int) -> str:
    topics = rights.topics(locale=turn.locale)
    if not topics:
        state.end(phone_hash=turn.phone.hash)
        return _("No topics yet. Reply MENU for options.")
    page = page if page * PAGE_SIZE < len(topics) else 0
    chunk = topics[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [f"{page * PAGE_SIZE + i} {t.title}" for i, t in enumerate(chunk, start=1)]
    state.start(
        phone_hash=turn.phone.hash,
        flow="rights",
        step="list",
        data={"page": page, "slugs": [t.slug for t in topics]},
    )
    footer = _("Reply with a number.")
    if (page + 1) * PAGE_SIZE < len(topics):
        footer += " " + _("NEXT for more topics.")
    return _("Your rights:") + "\n" + "\n".join(lines) + "\n" + footer


def start(turn: Turn) -> str:
    """RIGHTS / DERECHOS: the first page of topics."""
    return _listing(turn, 0)


def handle(turn: Turn) -> str:
    """A number opens a topic; NEXT pages the list; anything else shows the list again."""
    conversation = turn.current
    slugs: list[str] = conversation.data.get("slugs", [])
    if turn.match.intent == "more" and conversation.step == "list":
        return _listing(turn, int(conversation.data.get("page", 0)) + 1)
    typed = turn.match.folded.upper()
    region = typed if typed in resources.STATES else state_for_zip(typed)
    if conversation.step == "topic" and region and turn.match.number is None:
        return _state_note(turn, conversation.data.get("slug", ""), region)
    number = turn.match.number
    if number is None or not 1 <= number <= len(slugs):
        return _listing(turn, int(conversation.data.get("page", 0)))
    topic = rights.topic(slug=slugs[number - 1], locale=turn.locale)
    if topic is None:
        return _listing(turn, 0)
    state.advance(conversation, "topic", slug=topic.slug)
    url = link("public.rights_topic", slug=topic.slug, lang=turn.locale)
    advice = rights.not_legal_advice_sms()
    return f"{topic.title}: {topic.summary}\n{advice}\n{url}\n" + _tail(turn, topic.slug)


def _tail(turn: Turn, slug: str) -> str:
    """The last line: the state on file's note when the topic has one ("Reply CA for your
    state's rules."), else the way back to the list."""
    regions = rights.note_regions(slug=slug)
    region = (_region_on_file(turn.phone.hash) or "").upper() if regions else ""
    if region and region in regions:
        return _("Reply %(state)s for your state's rules.", state=region)
    return _("Reply RIGHTS for all topics.")


# Built once: a "1" that opens a topic reads it while Twilio waits (issue 12).
_REGION = sa.select(Subscriber.region).where(Subscriber.phone_hash == sa.bindparam("phone_hash"))


def _region_on_file(phone_hash: str) -> str | None:
    """The subscriber's state, if the number is one (one column, in the request's transaction,
    without the ORM: no row loaded; services flush their writes, so none is pending)."""
    found = db.session.connection().execute(_REGION, {"phone_hash": phone_hash})
    region: str | None = found.scalar()
    return region


def _state_note(turn: Turn, slug: str, region: str) -> str:
    """The topic's note for the state, in the reader's language (English when not translated)."""
    note = rights.state_note(slug=slug, region=region, locale=turn.locale)
    if note is None:
        return _(
            "We have no note for %(state)s on this topic yet. Reply RIGHTS for all topics.",
            state=region,
        )
    url = link("public.rights_topic", slug=slug, state=region, lang=turn.locale)
    advice = rights.not_legal_advice_sms()
    return f"{note.text}\n{advice}\n{url}\n" + _("Reply RIGHTS for all topics.")
