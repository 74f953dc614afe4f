"""Review by text: employer → ratings → yes/no questions → story → redacted preview → YES.

The story is redacted message by message as it arrives: the conversation row only ever holds
redacted text, and the raw words live in memory for the length of one request.
"""

from flask import current_app
from flask_babel import gettext as _

from organize import employers, reviews
from organize.extensions import db
from organize.governance import codes
from organize.models import FLAG_FIELDS, RATING_FIELDS, Employer
from organize.redaction import redact
from sms import budgets, state
from sms.turn import Turn

MAX_MATCHES = 5


def _rating_question(field: str) -> str:
    questions = {
        "pay": _("Were you paid on time and in full?"),
        "hours": _("Were the hours and overtime fair?"),
        "safety": _("Was the work safe?"),
        "respect": _("Were you treated with respect?"),
        "recommend": _("Would you tell a friend to work there?"),
    }
    return questions[field] + " " + _("Reply 1 (very bad) to 5 (very good), or SKIP.")


def _flag_question(field: str) -> str:
    questions = {
        "wage_theft": _("Did they keep money they owed you?"),
        "documents_withheld": _("Did they keep your papers or ID?"),
        "immigration_threats": _("Did they threaten to call immigration?"),
    }
    return questions[field] + " " + _("Reply YES, NO or SKIP.")


def start(turn: Turn) -> str:
    """REVIEW / RESEÑA: ask for the employer."""
    state.start(phone_hash=turn.phone.hash, flow="review", step="employer")
    return _(
        "Your review is anonymous. Which employer? Reply with the name and city, "
        "like: Golden Wok, Houston"
    )


def _split_name_city(text: str) -> tuple[str, str]:
    name, _sep, city = text.rpartition(",")
    return (name.strip(), city.strip()) if name.strip() else (text.strip(), "")


def _search(turn: Turn) -> str:
    turn.told = turn.quotes = True  # an employer's name came in, and goes back out
    typed = " ".join(turn.body.split())[:200]
    name, city = _split_name_city(typed)
    found = employers.search(query=f"{name} {city}".strip(), limit=MAX_MATCHES)
    if not found and city:
        found = employers.search(query=name, limit=MAX_MATCHES)
    state.advance(turn.current, "pick", typed_name=name, typed_city=city, ids=[e.id for e in found])
    if not found:
        return _(
            'We did not find "%(name)s". Reply NEW to add it, or send another name.', name=name
        )
    lines = [f"{i} {e.name}, {e.city}" for i, e in enumerate(found, start=1)]
    return "\n".join(lines) + "\n" + _('Reply with a number, or NEW to add "%(name)s".', name=name)


def _begin_ratings(turn: Turn, employer: Employer) -> str:
    turn.quotes = True
    state.advance(turn.current, "rate", employer_id=employer.id, index=0, ratings={}, flags={})
    return _("Reviewing %(name)s.", name=employer.name) + "\n" + _rating_question(RATING_FIELDS[0])


def _pick(turn: Turn) -> str:
    conversation = turn.current
    data = conversation.data
    if turn.match.intent == "new":
        if not data.get("typed_city"):
            state.advance(conversation, "city")
            turn.quotes = True
            return _("In which city is %(name)s?", name=data.get("typed_name", ""))
        return _add(turn, data["typed_name"], data["typed_city"])
    ids: list[int] = data.get("ids", [])
    number = turn.match.number
    if number is not None and 1 <= number <= len(ids):
        employer = db.session.get(Employer, ids[number - 1])
        if employer is not None:
            return _begin_ratings(turn, employer)
    return _search(turn)


def _add(turn: Turn, name: str, city: str) -> str:
    if not budgets.may_add_employer(phone_hash=turn.phone.hash):
        turn.quotes = True
        state.advance(turn.current, "pick")
        return _(
            "This number has added as many employers as we can take today. Reply with a "
            "number from the list, or send another name."
        )
    try:
        employer, created = employers.add(name=name, city=city, locale=turn.locale)
    except employers.EmployerError as exc:
        state.advance(turn.current, "employer")  # nothing usable was typed: ask again
        return _(exc.message)
    if created:
        budgets.count_employer(phone_hash=turn.phone.hash)
    return _begin_ratings(turn, employer)


def _rate(turn: Turn) -> str:
    conversation = turn.current
    index = int(conversation.data["index"])
    field = RATING_FIELDS[index]
    number = turn.match.number
    if turn.match.intent != "skip" and (number is None or not 1 <= number <= 5):
        return _rating_question(field)
    ratings = {
        **conversation.data["ratings"],
        field: number if turn.match.intent != "skip" else None,
    }
    if index + 1 < len(RATING_FIELDS):
        state.advance(conversation, "rate", index=index + 1, ratings=ratings)
        return _rating_question(RATING_FIELDS[index + 1])
    state.advance(conversation, "flag", index=0, ratings=ratings)
    return _flag_question(FLAG_FIELDS[0])


def _flag(turn: Turn) -> str:
    conversation = turn.current
    index = int(conversation.data["index"])
    field, intent = FLAG_FIELDS[index], turn.match.intent
    if intent not in {"yes", "no", "skip"}:
        return _flag_question(field)
    flags = {**conversation.data["flags"], field: None if intent == "skip" else intent == "yes"}
    if index + 1 < len(FLAG_FIELDS):
        state.advance(conversation, "flag", index=index + 1, flags=flags)
        return _flag_question(FLAG_FIELDS[index + 1])
    state.advance(conversation, "story", flags=flags, story=[])
    return _story_prompt()


def _story_prompt() -> str:
    return _(
        "Now tell other workers what it was like. Do not write your name. Send as many "
        "messages as you need, then reply DONE."
    )


def _story(turn: Turn) -> str:
    conversation = turn.current
    story: list[str] = conversation.data.get("story", [])
    if turn.match.intent == "done":
        if not story:
            return _story_prompt()
        return _preview(turn, story)
    turn.told = True  # a piece of the story (kept redacted; the provider is asked to blank it)
    piece = reviews.clean_text(turn.body)
    if not piece:
        return _story_prompt()
    so_far = sum(len(p) for p in story)
    if so_far + len(piece) > current_app.config["REVIEW_MAX_CHARS"]:
        return _("That is the most we can take. Reply DONE to see your review.")
    story = [*story, redact(piece, turn.locale).text]
    state.advance(conversation, "story", story=story)
    return _("Got it. Send more, or reply DONE.")


def _preview(turn: Turn, story: list[str]) -> str:
    try:
        draft = reviews.prepare(text="\n".join(story), locale=turn.locale)
    except reviews.ReviewError as exc:
        return _(exc.message, **exc.params)
    key = turn.current.data.get("key") or reviews.new_submission_key()
    state.advance(turn.current, "confirm", text=draft.text, report=draft.report, key=key)
    advice = "".join(f"\n{warning}" for warning in draft.warnings)
    turn.quotes = True
    return (
        _("This is what others will read:")
        + f'\n"{draft.text}"\n'
        + (_("Careful, this may still point to you:") + advice + "\n" if advice else "")
        + _("Reply YES to send it, EDIT to write it again, or NO to throw it away.")
    )


def _confirm(turn: Turn) -> str:
    conversation = turn.current
    intent, data = turn.match.intent, conversation.data
    if intent == "edit":
        state.advance(conversation, "story", story=[])
        return _story_prompt()
    if intent == "no":
        state.end(phone_hash=turn.phone.hash)
        return _("Your review was thrown away. Reply MENU for options.")
    if intent != "yes":
        return _("Reply YES to send it, EDIT to write it again, or NO to throw it away.")
    employer = db.session.get(Employer, data["employer_id"])
    if employer is None:
        state.end(phone_hash=turn.phone.hash)
        return _("Sorry, that employer is gone. Reply REVIEW to start again.")
    code = codes.mint()  # minted now, kept nowhere but as its hash on the review
    reviews.submit(
        employer=employer,
        text=data["text"],
        locale=turn.locale,
        channel="sms",
        ratings=data["ratings"],
        flags=data["flags"],
        submission_key=data["key"],
        report=data.get("report"),
        status_code=code,
    )
    state.end(phone_hash=turn.phone.hash)
    turn.quotes = True  # the reply holds the code: not kept for replays, blanked at the provider
    return (
        _(
            "Thank you. A moderator will read it. It will be shown after a random delay, once "
            "this employer has %(num)d reviews.",
            num=current_app.config["REVIEW_K_THRESHOLD"],
        )
        + "\n"
        + _(
            "Your review's code: %(code)s. Text STATUS and the code to see if it was published. "
            "We keep no copy.",
            code=codes.spaced(code),
        )
    )


STEPS = {
    "employer": _search,
    "pick": _pick,
    "rate": _rate,
    "flag": _flag,
    "story": _story,
    "confirm": _confirm,
}


def handle(turn: Turn) -> str:
    """Dispatch to the conversation's step."""
    conversation = turn.current
    if conversation.step == "city":
        turn.told = True
        data = conversation.data
        return _add(turn, data.get("typed_name", ""), " ".join(turn.body.split())[:120])
    return STEPS.get(conversation.step, start)(turn)
