"""The spoken review: employer → ratings → yes/no questions → story → redacted read-back → 1.

The review is built in the call's state row (`callstate`), which only ever holds ids, numbers
and redacted text: each spoken piece is redacted in memory the moment it arrives. Submitting
goes through `reviews.submit`, like the web and SMS (redaction again, k-threshold, delay).
"""

from twilio.twiml.voice_response import VoiceResponse

from ivr import callstate
from ivr.blueprint import bp
from ivr.call import Call, again, voice_view
from ivr.screens import menus
from ivr.screens import review as screens
from ivr.twiml import MAX_HINTS
from ivr.views import common, story
from organize import employers
from organize.extensions import db
from organize.models import FLAG_FIELDS, RATING_FIELDS, Employer

QUESTIONS = [(f, f"rate_{f}", "rating_hint") for f in RATING_FIELDS] + [
    (f, f"flag_{f}", "flag_hint") for f in FLAG_FIELDS
]


def start(call: Call) -> VoiceResponse:
    """2 on the main menu: a fresh review. Without a CallSid there is nowhere to keep it."""
    if not callstate.save(call.sid, review={}):
        return menus.notice_then(call.voice, ["review_unavailable"], call.url("main"))
    return ask_employer(call)


def ask_employer(call: Call, tries: int = 0, notice: str | None = None) -> VoiceResponse:
    """Ask for the employer, with the directory's names as speech hints."""
    hints = [e.name for e in employers.search(query="", limit=MAX_HINTS)]
    action = call.url("review_employer", tries)
    return screens.ask_employer(call.voice, action, hints, notice=notice)


def _candidates(speech: str) -> list[int]:
    """Employers matching what was said: every word, else the longest words one by one."""
    words = speech.split()[:12]
    found = employers.search(query=" ".join(words), limit=3)
    for word in sorted({w for w in words if len(w) >= 4}, key=len, reverse=True)[:4]:
        if found:
            break
        found = employers.search(query=word, limit=3)
    return [e.id for e in found]


@bp.post("/review/employer")
@voice_view
def review_employer(call: Call) -> VoiceResponse:
    """A name said (speech, in memory only) or a code typed; * back, 0 organizer."""
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    code = (call.digits or "").strip("#*")
    found: list[int] = []
    if code.isdigit() and len(code) < 10:
        employer = employers.get_listed(employer_id=int(code))
        found = [employer.id] if employer is not None else []
    elif call.speech:
        found = _candidates(call.speech)
    if not found:
        notice = "employer_not_found" if code or call.speech else None
        return again(call, lambda t, n: ask_employer(call, t, n), notice)
    callstate.save_review(call.sid, {"candidates": found})
    return confirm_employer(call, 0)


def confirm_employer(
    call: Call, index: int, tries: int = 0, notice: str | None = None
) -> VoiceResponse:
    """Read back the `index`th match: 1 yes, 2 no."""
    ids: list[int] = callstate.review(call.sid).get("candidates", [])
    employer = db.session.get(Employer, ids[index]) if index < len(ids) else None
    if employer is None:
        return ask_employer(call, notice="employer_not_found")
    name = f"{employer.name}, {employer.city}" if employer.city else employer.name
    action = call.url("review_which", tries, c=index)
    return screens.confirm_employer(call.voice, name, action, notice=notice)


@bp.post("/review/which")
@voice_view
def review_which(call: Call) -> VoiceResponse:
    """1 that employer; 2 the next match, or ask again."""
    index = call.arg("c", 9)
    if (done := common.shortcut(call, lambda: ask_employer(call))) is not None:
        return done
    ids: list[int] = callstate.review(call.sid).get("candidates", [])
    if call.digits == "1" and index < len(ids):
        callstate.save_review(
            call.sid, {"employer_id": ids[index], "ratings": {}, "flags": {}, "story": []}
        )
        return question(call, 0)
    if call.digits == "2":
        if index + 1 < len(ids):
            return confirm_employer(call, index + 1)
        return ask_employer(call, notice="employer_not_found")
    return again(call, lambda t, n: confirm_employer(call, index, t, n))


def question(call: Call, index: int, tries: int = 0, notice: str | None = None) -> VoiceResponse:
    """The `index`th rating or yes/no question."""
    _field, key, hint = QUESTIONS[index]
    action = call.url("review_answer", tries, i=index)
    return screens.question(call.voice, key, hint, action, notice=notice)


def _answer(index: int, digits: str) -> tuple[bool, int | bool | None]:
    """(valid, value): ratings 1-5, yes 1 / no 2, # skips."""
    if digits == "#":
        return True, None
    if index < len(RATING_FIELDS):
        return (True, int(digits)) if digits in {"1", "2", "3", "4", "5"} else (False, None)
    return (True, digits == "1") if digits in {"1", "2"} else (False, None)


@bp.post("/review/answer")
@voice_view
def review_answer(call: Call) -> VoiceResponse:
    """Record one answer (idempotent: a replay writes the same value), then the next question."""
    index = call.arg("i", len(QUESTIONS) - 1)
    review = callstate.review(call.sid)
    if "employer_id" not in review:
        return start(call)
    if (done := common.shortcut(call, lambda: common.main_menu(call))) is not None:
        return done
    valid, value = _answer(index, call.digits or "")
    if not valid:
        return again(call, lambda t, n: question(call, index, t, n))
    field = QUESTIONS[index][0]
    bucket = "ratings" if index < len(RATING_FIELDS) else "flags"
    review[bucket] = {**review.get(bucket, {}), field: value}
    callstate.save_review(call.sid, review)
    if index + 1 < len(QUESTIONS):
        return question(call, index + 1)
    return story.ask_story(call)
