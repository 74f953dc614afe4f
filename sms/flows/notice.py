"""Report a strike or action by text (ACTION / HUELGA), and hear the latest verified ones."""

from flask_babel import gettext as _

from organize import notices
from sms import state
from sms.turn import Turn

QUESTIONS = ("what", "place", "when", "employer")


def _ask(step: str) -> str:
    asks = {
        "what": _("What is happening? (a strike, a walk-out, a protest …) Do not write names."),
        "place": _("Where? Reply with the city or place, or SKIP."),
        "when": _("When? Reply with the day and time, or SKIP."),
        "employer": _("Which employer? Reply with the name, or SKIP."),
    }
    return asks[step]


def start(turn: Turn) -> str:
    """ACTION / HUELGA: the first question."""
    state.start(phone_hash=turn.phone.hash, flow="notice", step="what")
    return _ask("what")


def handle(turn: Turn) -> str:
    """Each answer is kept redacted; the last one files the report."""
    conversation = turn.current
    step = conversation.step
    answer = "" if turn.match.intent == "skip" else turn.body.strip()
    turn.told = bool(answer)  # what someone reported: the provider is asked to blank it
    if step == "what" and not answer:
        return _ask("what")
    value = notices.redact_answer(answer, turn.locale) if step != "employer" else answer[:200]
    index = QUESTIONS.index(step) if step in QUESTIONS else 0
    if index + 1 < len(QUESTIONS):
        state.advance(conversation, QUESTIONS[index + 1], **{step: value})
        return _ask(QUESTIONS[index + 1])
    data = {**conversation.data, step: value}
    try:
        notices.report(
            what=data.get("what", ""),
            place=data.get("place", ""),
            when_text=data.get("when", ""),
            employer_name=data.get("employer", ""),
            channel="sms",
            locale=turn.locale,
        )
    except notices.NoticeError as exc:
        state.end(phone_hash=turn.phone.hash)
        return _(exc.message)
    state.end(phone_hash=turn.phone.hash)
    return _("Thank you. Organizers will check it before sharing it.")


def latest(turn: Turn) -> str:
    """ACTIONS / ACCIONES: the newest verified notices."""
    found = notices.verified(limit=3)
    turn.quotes = bool(found)
    if not found:
        return _("No strikes or actions announced right now. Reply ACTION to tell us about one.")
    lines = [f"- {n.employer_name or n.place}: {n.what} {notices.when(n)}".strip() for n in found]
    return "\n".join(lines)
