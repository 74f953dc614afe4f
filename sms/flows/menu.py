"""Main menu, HELP and language choice."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from organize.plumbing.i18n import LANGUAGE_NAMES
from sms import state
from sms.turn import Turn

MENU_CHOICES = {1: "rights", 2: "review", 3: "alerts", 4: "near", 5: "language"}


def main_menu(turn: Turn, *, not_understood: bool = False) -> str:
    """The numbered main menu; the number's next reply is read as a choice."""
    state.start(phone_hash=turn.phone.hash, flow="menu", step="main")
    text = _(
        "1 Your rights\n2 Review an employer\n3 Action alerts\n4 Help near you\n5 Language\n"
        "Reply with a number."
    )
    if not_understood:
        return _("Sorry, we did not understand.") + "\n" + text
    return text


def help_reply(turn: Turn) -> str:
    """What CTIA asks a HELP answer to say: who, what, how often, cost, how to stop, contact."""
    config = current_app.config
    return _(
        "%(program)s: workers' rights info, anonymous employer reviews and action alerts "
        "(up to %(count)d alerts a month). Msg & data rates may apply. Reply STOP to cancel, "
        "MENU for options. Help: %(contact)s",
        program=config["SMS_PROGRAM_NAME"],
        count=config["SMS_ALERTS_PER_MONTH"],
        contact=config["SMS_HELP_CONTACT"],
    )


def language_start(turn: Turn) -> str:
    """Languages by their own names, numbered."""
    state.start(phone_hash=turn.phone.hash, flow="language", step="choose")
    lines = [
        f"{i} {LANGUAGE_NAMES.get(code, code)}"
        for i, code in enumerate(current_app.config["LANGUAGES"], start=1)
    ]
    return "\n".join(lines)


def handle_language(turn: Turn) -> str:
    """A number picks the language; the reply comes in it, with the menu."""
    languages: list[str] = current_app.config["LANGUAGES"]
    number = turn.match.number
    if number is None or not 1 <= number <= len(languages):
        return language_start(turn)
    turn.locale = languages[number - 1]
    state.remember_locale(phone_hash=turn.phone.hash, locale=turn.locale)
    with force_locale(turn.locale):
        return _("Language saved.") + "\n" + main_menu(turn)
