"""Action alerts (3: hear the latest; 4: get them by text) and help near you (5)."""

import logging

from flask import current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from ivr import callstate
from ivr.blueprint import bp
from ivr.call import Call, again, voice_view
from ivr.screens import PAGE_SIZE, info, menus
from ivr.speak import speaking
from ivr.views import common, content
from organize import resources, subscribers
from organize.outbound import messaging
from organize.outbound.jobs import QueueUnavailable
from organize.outbound.texts import queue_text

log = logging.getLogger(__name__)


def alerts_start(call: Call, tries: int = 0, notice: str | None = None) -> VoiceResponse:
    """The latest alert that went out, in the caller's language when it has one."""
    found = subscribers.latest_alert()
    spoken = content.alert(call, found) if found is not None else None
    if spoken is None:
        return menus.notice_then(call.voice, ["no_alerts"], call.url("main"))
    action = call.url("alerts", tries)
    return info.alert(call.voice, spoken, action, notice=notice, play=not notice)


@bp.post("/alerts")
@voice_view
def alerts(call: Call) -> VoiceResponse:
    """1 again, * back, 0 organizer."""
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    if call.digits == "1":
        return alerts_start(call)
    return again(call, lambda t, n: alerts_start(call, t, n))


def subscribe_start(call: Call, tries: int = 0, notice: str | None = None) -> VoiceResponse:
    """Explain what the caller agrees to, unless we cannot text them. Whether the number
    already gets alerts is never said on the line (caller ID can be spoofed): only a text to
    the number tells it (DESIGN §4.8)."""
    back = call.url("main")
    if not call.can_text:
        return menus.notice_then(call.voice, ["no_phone"], back)
    per_month = int(current_app.config["SMS_ALERTS_PER_MONTH"])
    action = call.url("subscribe", tries)
    return info.subscribe_consent(call.voice, per_month, action, notice=notice)


@bp.post("/subscribe")
@voice_view
def subscribe(call: Call) -> VoiceResponse:
    """1 = consent by keypad: a pending subscriber and a text asking for YES (double opt-in).
    A number that already gets alerts hears the same words and gets a text saying so."""
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    if call.digits != "1" or call.phone.e164 is None:
        return again(call, lambda t, n: subscribe_start(call, t, n))
    found = subscribers.get(phone_hash=call.phone.hash)
    active = found is not None and found.status == "active"
    if not active:
        subscribers.request_signup(phone=call.phone, locale=call.locale, source="voice")
    key = "subscribe_sent"
    if not callstate.load(call.sid).get("signup_texted"):  # a replay must not text twice
        with force_locale(call.locale):
            body = _already_subscribed() if active else subscribers.signup_request()
        try:
            queue_text(e164=call.phone.e164, body=body)
            callstate.save(call.sid, signup_texted=True)
        except (QueueUnavailable, messaging.SendError):
            log.info("sign-up text not queued; the caller can text JOIN instead")
            key = "text_failed"
    return menus.notice_then(call.voice, [key], call.url("main"))


def _already_subscribed() -> str:
    return _(
        "You already get action alerts from %(program)s. Reply STOP to cancel, HELP for help.",
        program=current_app.config["SMS_PROGRAM_NAME"],
    )


def near_start(
    call: Call, tries: int = 0, notice: str | None = None, page: int = 0
) -> VoiceResponse:
    """States that have places listed."""
    regions = resources.regions()
    if not regions:
        return menus.notice_then(call.voice, ["no_places"], call.url("main"))
    page = page if page * PAGE_SIZE < len(regions) else 0
    action = call.url("near", tries, page=page)
    return info.regions_page(call.voice, regions, page, action, notice=notice)


@bp.post("/near")
@voice_view
def near(call: Call) -> VoiceResponse:
    """1-8 a state on this page, 9 more, * back, 0 organizer."""
    page = call.arg("page")
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    regions = resources.regions()
    if call.digits == "9" and (page + 1) * PAGE_SIZE < len(regions):
        return near_start(call, page=page + 1)
    number = call.choice(PAGE_SIZE)
    index = page * PAGE_SIZE + number - 1 if number is not None else -1
    if not 0 <= index < len(regions):
        return again(call, lambda t, n: near_start(call, t, n, page))
    return _places(call, regions[index], page)


def _places(
    call: Call, region: str, page: int, tries: int = 0, notice: str | None = None
) -> VoiceResponse:
    entries = []
    with speaking(call.voice):
        for place in resources.find(region=region):
            kind = _(resources.KIND_LABELS.get(place.kind, place.kind))
            entries.append(
                _("%(name)s, %(kind)s. Phone: %(phone)s. Hours: %(hours)s.",
                  name=place.name, kind=kind, phone=place.phone_display(),
                  hours=place.hours_in(call.locale))
            )  # fmt: skip
    action = call.url("places", tries, region=region, page=page)
    return info.places(call.voice, entries, action, notice=notice)


@bp.post("/places")
@voice_view
def places(call: Call) -> VoiceResponse:
    """1 again, * back to the states, 0 organizer."""
    region, page = request.args.get("region", "")[:10], call.arg("page")
    if region not in resources.regions():
        return near_start(call)
    if (done := common.shortcut(call, lambda: near_start(call, page=page))) is not None:
        return done
    if call.digits == "1":
        return _places(call, region, page)
    return again(call, lambda t, n: _places(call, region, page, t, n))
