"""Know your rights: topics by keypad (paged), a topic, and "send me this by text"."""

import logging

from flask import current_app, request, url_for
from flask_babel import force_locale
from twilio.twiml.voice_response import VoiceResponse

from ivr import callstate
from ivr.blueprint import bp
from ivr.call import Call, again, voice_view
from ivr.screens import PAGE_SIZE, menus
from ivr.screens import rights as screens
from ivr.views import common, content
from organize import audio, rights
from organize.outbound import messaging
from organize.outbound.jobs import QueueUnavailable
from organize.outbound.texts import queue_text
from organize.plumbing.zipcodes import state_for_zip

log = logging.getLogger(__name__)


def _slugs(call: Call) -> list[str]:
    return [t.slug for t in rights.topics(locale=call.locale)]


def start(call: Call, tries: int = 0, notice: str | None = None, page: int = 0) -> VoiceResponse:
    """The first (or given) page of topics; no topics yet → back to the main menu."""
    topics = rights.topics(locale=call.locale)
    if not topics:
        return menus.notice_then(call.voice, ["no_topics"], call.url("main"))
    titles = [t.title for t in topics]
    page = page if page * PAGE_SIZE < len(titles) else 0
    action = call.url("rights_page", tries, page=page)
    keys = [audio.option_key(t.slug) for t in topics]
    return screens.topics_page(call.voice, titles, page, action, notice=notice, keys=keys)


@bp.post("/rights")
@voice_view
def rights_page(call: Call) -> VoiceResponse:
    """1-8 a topic on this page, 9 the next page, * back, 0 organizer."""
    page = call.arg("page")
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    slugs = _slugs(call)
    if call.digits == "9" and (page + 1) * PAGE_SIZE < len(slugs):
        return start(call, page=page + 1)
    number = call.choice(PAGE_SIZE)
    index = page * PAGE_SIZE + number - 1 if number is not None else -1
    if not 0 <= index < len(slugs):
        return again(call, lambda t, n: start(call, t, n, page))
    return _topic(call, slugs[index], page)


def _topic(
    call: Call, slug: str, page: int, tries: int = 0, notice: str | None = None, play: bool = True
) -> VoiceResponse:
    spoken = content.topic(call, slug)
    if spoken is None:
        return start(call, page=page)
    action = call.url("topic", tries, t=slug, page=page)
    states = bool(rights.note_regions(slug=slug))
    return screens.topic(call.voice, spoken, action, notice=notice, play=play, states=states)


@bp.post("/topic")
@voice_view
def topic(call: Call) -> VoiceResponse:
    """After a topic: 1 again, 2 by text, * back to the topics, 0 organizer."""
    slug, page = request.args.get("t", "")[:80], call.arg("page")
    if (done := common.shortcut(call, lambda: start(call, page=page))) is not None:
        return done
    if call.digits == "1":
        return _topic(call, slug, page)
    if call.digits == "2":
        return _topic(call, slug, page, notice=_send_by_text(call, slug), play=False)
    if call.digits == "3" and rights.note_regions(slug=slug):
        return screens.ask_zip(call.voice, call.url("topic_state", t=slug, page=page))
    return again(call, lambda t, n: _topic(call, slug, page, t, n, play=False))


@bp.post("/topic-state")
@voice_view
def topic_state(call: Call) -> VoiceResponse:
    """A ZIP code by keypad → its state (first three digits) → the topic's note for it, in
    the caller's language where written (else English), then the topic's options again."""
    slug, page = request.args.get("t", "")[:80], call.arg("page")
    if (done := common.shortcut(call, lambda: _topic(call, slug, page, play=False))) is not None:
        return done
    region = state_for_zip(call.digits or "")
    if region is None:
        return again(
            call,
            lambda tries, n: screens.ask_zip(
                call.voice, call.url("topic_state", tries, t=slug, page=page), notice=n
            ),
        )
    note = content.state_note(call, slug, region)
    return screens.state_note(call.voice, note, call.url("topic", t=slug, page=page))


def _send_by_text(call: Call, slug: str) -> str:
    """Queue the topic's summary and web link by SMS, once per call; the prompt key to say."""
    found = rights.topic(slug=slug, locale=call.locale)
    if call.phone.e164 is None or found is None:
        return "no_phone"
    sent: list[str] = callstate.load(call.sid).get("texted", [])
    if slug in sent:
        return "text_sent"  # a replayed request: it went already
    base = current_app.config.get("PUBLIC_URL")
    path = url_for("public.rights_topic", slug=slug, lang=call.locale, _external=not base)
    link = str(base).rstrip("/") + path if base else path
    with force_locale(found.locale):
        advice = rights.not_legal_advice_sms()
    body = f"{found.title}: {found.summary}\n{advice}\n{link}"
    try:
        queue_text(e164=call.phone.e164, body=body)
    except (QueueUnavailable, messaging.SendError):
        log.info("topic text not queued; the caller was told to try later")
        return "text_failed"
    callstate.save(call.sid, texted=[*sent, slug])
    return "text_sent"
