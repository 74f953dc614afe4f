"""The story part of a spoken review: speech turns (or a recording), redacted piece by piece,
read back redacted, then submitted through `reviews.submit` like every other channel."""

from typing import Any

from flask import current_app
from twilio.twiml.voice_response import VoiceResponse

from ivr import callstate
from ivr.blueprint import bp
from ivr.call import Call, again, voice_view
from ivr.screens import menus
from ivr.screens import review as screens
from ivr.speak import Line
from ivr.views import common
from organize import reviews
from organize.extensions import db
from organize.governance import codes
from organize.models import Employer
from organize.redaction import redact

VOICE_RECORD_LOCALES: list[str] = []  # Twilio transcribes English only, and weakly (TWILIO.md)


def records(call: Call) -> bool:
    """Whether this language tells its story to `<Record>` (with transcription)."""
    return call.locale in current_app.config.get("VOICE_RECORD_LOCALES", VOICE_RECORD_LOCALES)


def ask_story(
    call: Call, tries: int = 0, notice: str | None = None, *, speech: bool = False
) -> VoiceResponse:
    """Ask for the story: speech turns, or a recording where configured (`speech` forces
    speech, after a recording that never got a transcript)."""
    if records(call) and not speech:
        action = call.url("review_recorded", tries)
        transcript = call.url("review_transcript")
        return screens.record_story(call.voice, action, transcript, notice=notice)
    return screens.ask_story(call.voice, call.url("review_story", tries), notice=notice)


def lost(call: Call) -> VoiceResponse:
    """The review is gone (expired, or the call's state could not be kept): say so, go on."""
    return menus.notice_then(call.voice, ["review_unavailable"], call.url("main"))


def add_piece(call_sid: str, locale: str, review: dict[str, Any], raw: str) -> bool:
    """Redact one spoken piece in memory and keep only the result. False once full."""
    story: list[str] = list(review.get("story", []))
    room = int(current_app.config["REVIEW_MAX_CHARS"]) - sum(len(p) + 1 for p in story)
    piece = reviews.clean_text(raw)[: max(room, 0)]
    if piece:
        story.append(redact(piece, locale).text)
    review["story"] = story
    callstate.save_review(call_sid, review)
    return len(piece) < room


def after_piece(call: Call, room_left: bool) -> VoiceResponse:
    """More, done, or start again — or straight to the read-back when there is no more room."""
    if not room_left:
        return preview(call, notice="story_too_long")
    return screens.story_more(call.voice, call.url("review_more"))


@bp.post("/review/story")
@voice_view
def review_story(call: Call) -> VoiceResponse:
    """One speech turn of the story."""
    review = callstate.review(call.sid)
    if "employer_id" not in review:
        return lost(call)
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    if not call.speech:
        return again(call, lambda t, n: ask_story(call, t, n), "not_heard")
    room_left = add_piece(call.sid, call.voice.say_locale, review, call.speech)
    return after_piece(call, room_left)


@bp.post("/review/more")
@voice_view
def review_more(call: Call) -> VoiceResponse:
    """1 add more, 2 done (read back), 3 start the story again."""
    review = callstate.review(call.sid)
    if "employer_id" not in review:
        return lost(call)
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    if call.digits in {"1", "3"}:
        if call.digits == "3":
            callstate.save_review(call.sid, {**review, "story": []})
        return ask_story(call)
    if call.digits == "2":
        return preview(call)
    return again(
        call, lambda t, n: screens.story_more(call.voice, call.url("review_more", t), notice=n)
    )


def preview(call: Call, tries: int = 0, notice: str | None = None) -> VoiceResponse:
    """Redact the whole story again and read it back exactly as it would be stored."""
    review = callstate.review(call.sid)
    try:
        draft = reviews.prepare(
            text="\n".join(review.get("story", [])), locale=call.voice.say_locale
        )
    except reviews.ReviewError:
        return ask_story(call, notice="not_heard", speech=True)
    key = review.get("key") or reviews.new_submission_key()
    callstate.save_review(
        call.sid, {**review, "text": draft.text, "report": draft.report, "key": key}
    )
    action = call.url("review_confirm", tries)
    return screens.preview(call.voice, draft.text, action, notice=notice)


def _thanks(call: Call, code: str) -> VoiceResponse:
    """Thanks, and the review's status code read digit by digit, twice."""
    if not code:
        return menus.notice_then(call.voice, ["review_thanks"], call.url("main"))
    digits = Line(codes.spoken(code))
    return menus.notice_then(
        call.voice, ["review_thanks", "code_intro"], call.url("main"), extra=[digits, digits]
    )


@bp.post("/review/confirm")
@voice_view
def review_confirm(call: Call) -> VoiceResponse:
    """1 submit (once, even when replayed), 2 tell it again, 3 throw it away."""
    review = callstate.review(call.sid)
    menu = call.url("main")
    if review.get("submitted"):
        return _thanks(call, str(review.get("code", "")))
    if "employer_id" not in review or "text" not in review:
        return lost(call)
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    if call.digits == "1":
        employer = db.session.get(Employer, review["employer_id"])
        if employer is None:
            return lost(call)
        # Said twice now; kept only as its hash on the review, and in the call's state until
        # the call ends, so a replayed request (the first answer lost) still says it.
        code = codes.mint()
        reviews.submit(
            employer=employer, text=review["text"], locale=call.voice.say_locale,
            channel="voice", ratings=review.get("ratings", {}), flags=review.get("flags", {}),
            submission_key=review["key"], report=review.get("report"), status_code=code,
        )  # fmt: skip
        callstate.save_review(call.sid, {"submitted": True, "code": code})
        return _thanks(call, code)
    if call.digits == "2":
        callstate.save_review(call.sid, {**review, "story": []})
        return ask_story(call)
    if call.digits == "3":
        callstate.save_review(call.sid, {})
        return menus.notice_then(call.voice, ["review_discarded"], menu)
    return again(call, lambda t, n: preview(call, t, n))
