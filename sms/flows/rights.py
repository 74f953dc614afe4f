"""Rights by text: numbered topics (paged), a topic's SMS summary and its web link."""

from flask_babel import gettext as _

from organize import rights
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
    number = turn.match.number
    if number is None or not 1 <= number <= len(slugs):
        return _listing(turn, int(conversation.data.get("page", 0)))
    topic = rights.topic(slug=slugs[number - 1], locale=turn.locale)
    if topic is None:
        return _listing(turn, 0)
    state.advance(conversation, "topic")
    url = link("public.rights_topic", slug=topic.slug, lang=turn.locale)
    advice = rights.not_legal_advice_sms()
    return f"{topic.title}: {topic.summary}\n{advice}\n{url}\n" + _("Reply RIGHTS for all topics.")
