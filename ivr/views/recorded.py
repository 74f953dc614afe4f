"""A story told to `<Record>`: track the recording at once, wait briefly for its transcript,
and delete the recording the moment the transcript arrives (promise 4).

The transcript reaches us on Twilio's transcription callback, apart from the call: it is
redacted in memory there and only the redacted text joins the call's review.
"""

import logging

from flask import request
from sqlalchemy.exc import SQLAlchemyError
from twilio.twiml.voice_response import VoiceResponse

from ivr import callstate
from ivr.blueprint import bp
from ivr.call import MAX_SPEECH, Call, again, voice_view
from ivr.screens import review as screens
from ivr.speak import voice_for
from ivr.views import common, story
from organize.extensions import db
from organize.outbound import recordings
from organize.plumbing.logscrub import stack
from organize.plumbing.text import clean
from organize.plumbing.webhooks import twilio_signed

log = logging.getLogger(__name__)
WAIT_ROUNDS = 6  # × screens.WAIT_SECONDS: how long a caller waits for a transcript


@bp.post("/review/recorded")
@voice_view
def review_recorded(call: Call) -> VoiceResponse:
    """<Record> finished: remember the recording for deletion before anything else."""
    sid = request.form.get("RecordingSid", "").strip()[:64]
    review = callstate.review(call.sid)
    if sid:
        recordings.track(sid=sid)
    if "employer_id" not in review:
        if sid:
            recordings.request_deletion(sid=sid)
        return story.lost(call)
    if call.digits == "*":
        if sid:
            recordings.request_deletion(sid=sid)  # no transcript wanted: delete now
        return common.main_menu(call)
    if not sid:
        return again(call, lambda t, n: story.ask_story(call, t, n), "not_heard")
    callstate.save_review(call.sid, {**review, "recording": sid})
    return screens.wait_for_transcript(call.voice, call.url("review_wait", n=1))


@bp.post("/review/wait")
@voice_view
def review_wait(call: Call) -> VoiceResponse:
    """Has the transcript come? Then go on; after a while, delete and ask by speech."""
    review = callstate.review(call.sid)
    sid = review.get("recording")
    if "employer_id" not in review:
        return story.lost(call)
    if not sid or sid in review.get("transcribed", []):
        callstate.save_review(call.sid, {**review, "recording": None})
        if not review.get("story"):
            return story.ask_story(call, notice="not_heard", speech=True)
        return story.after_piece(call, room_left=True)
    rounds = call.arg("n")
    if rounds >= WAIT_ROUNDS:
        recordings.request_deletion(sid=sid)
        callstate.save_review(call.sid, {**review, "recording": None})
        return story.ask_story(call, notice="not_heard", speech=True)
    return screens.wait_for_transcript(call.voice, call.url("review_wait", n=rounds + 1))


@bp.post("/review/transcript")
@twilio_signed
def review_transcript() -> tuple[str, int]:
    """Twilio's transcription callback: keep the redacted words, delete the recording now."""
    form = request.form
    sid = form.get("RecordingSid", "").strip()[:64]
    call_sid = form.get("CallSid", "").strip()[:64]
    try:
        if sid:
            recordings.track(sid=sid)
            db.session.commit()  # tracked before anything else can fail (Redis, a bug)
        review = callstate.review(call_sid)
        if "employer_id" in review and sid:
            text = clean(form.get("TranscriptionText", ""))[:MAX_SPEECH]
            if form.get("TranscriptionStatus") == "completed" and text:
                locale = voice_for(request.args.get("lang", "en")[:10]).say_locale
                story.add_piece(call_sid, locale, review, text)
            review["transcribed"] = [*review.get("transcribed", []), sid]
            callstate.save_review(call_sid, review)
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("transcript callback: database unavailable (%s)", type(exc).__name__)
    except Exception as exc:
        db.session.rollback()
        log.error("transcript callback: unexpected %s\n%s", type(exc).__name__, stack(exc))
    if sid:
        recordings.request_deletion(sid=sid)
    return "", 204
