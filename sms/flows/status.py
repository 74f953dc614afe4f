"""STATUS <code> and APPEAL <code> <reason>: a review's status, and an appeal to the workers'
panel, by text. The code is looked up by its keyed hash and kept nowhere; the inbound text is
blanked at the provider (it holds the code), and so is any reply. Wrong codes are counted per
number (its blind index, a bare count) and run out after STATUS_MISSES in a window.
"""

from flask_babel import gettext as _

from organize.extensions import db
from organize.governance import appeals, codes
from organize.models import Review
from sms.keywords import CODE_DIGITS
from sms.turn import Turn


def _code_and_rest(body: str) -> tuple[str, str]:
    """The ten digits after the keyword (spaces, dashes and dots between them forgiven), and
    what follows them (an appeal's reason)."""
    start = next((i for i, ch in enumerate(body) if ch.isdigit()), len(body))
    digits = ""
    for at in range(start, len(body)):
        if body[at].isdigit():
            digits += body[at]
            if len(digits) == CODE_DIGITS:
                return digits, body[at + 1 :].strip(" -.:,")
        elif body[at] not in " -.":
            break
    return digits, ""


def _find(turn: Turn) -> tuple[Review | None, str | None]:
    """(review, None), or (None, the reply): too many wrong codes, or not found — alike."""
    turn.told = True  # the text holds the code: blanked at the provider
    turn.quotes = True
    if codes.blocked(turn.phone.hash):
        return None, _("Too many codes tried. Please wait an hour and try again.")
    code, _rest = _code_and_rest(turn.body)
    if not code:
        return None, _("Text STATUS and your review's code, for example STATUS 12345 67890.")
    review = codes.find(code)
    if review is None:
        codes.missed(turn.phone.hash)
        return None, _("We found no review with this code. Check the digits and try again.")
    return review, None


def describe(review: Review) -> str:
    """The status, as the web page says it (shared msgids)."""
    status = appeals.status_of(review)
    if status.state == "waiting":
        text = _("Waiting: a moderator has not read it yet.")
    elif status.state == "approved":
        text = _(
            "Approved. It is shown after a random delay, once this employer has enough reviews "
            "that nobody can tell who wrote it."
        )
    else:
        text = _("Rejected, because it broke this rule: %(rule)s", rule=status.rule)
    if status.appeal == "open":
        text += "\n" + _("Your appeal is waiting for the workers' panel's vote.")
    elif status.appeal:
        text += "\n" + _("The workers' panel decided your appeal.")
    if status.can_appeal:
        text += "\n" + _("To appeal, reply APPEAL, your code and why, in a few words.")
    return text


def check(turn: Turn) -> str:
    """STATUS <code>."""
    review, answer = _find(turn)
    return describe(review) if review is not None else str(answer)


def appeal(turn: Turn) -> str:
    """APPEAL <code> <reason>: the reason is redacted like a review, tied to nothing."""
    review, answer = _find(turn)
    if review is None:
        return str(answer)
    _code, reason = _code_and_rest(turn.body)
    try:
        appeals.appeal(review=review, reason=reason, locale=turn.locale)
    except appeals.CaseError as exc:
        db.session.rollback()
        return _(exc.message)
    return _(
        "Your appeal was sent to the workers' panel. Text STATUS and your code to see its decision."
    )
