"""The words of every recordable prompt, by the stable key `organize.audio.PROMPT_KEYS` lists.

Translated at call time in the language the line speaks (see `speak.speaking`). Rating and
yes/no questions reuse the SMS channel's msgids, so one translation serves both channels.
A recording for a key must say what its English text says (with this deployment's values).
"""

from collections.abc import Callable

from flask_babel import gettext as _

from ivr.speak import Line

TEXTS: dict[str, Callable[..., str]] = {
    "greeting": lambda: _(
        "Hello. This is the workers' line: your rights, anonymous reviews of employers, and "
        "action alerts. We never keep your voice."
    ),
    "language_option": lambda **p: _("For %(language)s, press %(digit)s.", **p),
    "main_menu": lambda: _(
        "To hear your rights, press 1. To leave an anonymous review of an employer, press 2. "
        "To hear the latest action alert, press 3. To get action alerts by text, press 4. "
        "For help near you, press 5. To talk to an organizer, press 0. "
        "To hear this again, press star."
    ),
    "change_language": lambda: _("To change the language, press 9."),
    "not_an_option": lambda: _("Sorry, that is not an option."),
    "no_input": lambda: _("We did not hear a choice."),
    "goodbye": lambda: _("Thank you for calling. Goodbye."),
    "back_or_organizer": lambda: _("To go back, press star. To talk to an organizer, press 0."),
    "rights_intro": lambda: _("Your rights. Choose a topic."),
    "more_choices": lambda: _("For more choices, press 9."),
    "no_topics": lambda: _("There are no topics yet."),
    "topic_options": lambda: _(
        "To hear it again, press 1. To get it by text message, press 2. To go back, press star."
    ),
    "state_option": lambda: _("For the rules in your state, press 3."),
    "zip_prompt": lambda: _("Please enter your five-digit ZIP code."),
    "no_state_note": lambda: _(
        "We have no note for your state on this topic yet. The rules you heard apply."
    ),
    "text_sent": lambda: _("We sent you a text message."),
    "text_failed": lambda: _(
        "Sorry, we could not send the text right now. Please try again later."
    ),
    "no_phone": lambda: _("Sorry, we cannot send texts to a hidden or blocked number."),
    "review_intro": lambda: _(
        "Your review is anonymous. Please say the name of the employer. Or type the "
        "employer's code from our website, then press pound."
    ),
    "employer_not_found": lambda: _("Sorry, we did not find that employer."),
    "you_said": lambda: _("Did you mean:"),
    "employer_confirm": lambda: _("If that is right, press 1. If not, press 2."),
    "rating_hint": lambda: _("Press 1 for very bad, up to 5 for very good. To skip, press pound."),
    "rate_pay": lambda: _("Were you paid on time and in full?"),
    "rate_hours": lambda: _("Were the hours and overtime fair?"),
    "rate_safety": lambda: _("Was the work safe?"),
    "rate_respect": lambda: _("Were you treated with respect?"),
    "rate_recommend": lambda: _("Would you tell a friend to work there?"),
    "flag_hint": lambda: _("Press 1 for yes, 2 for no. To skip, press pound."),
    "flag_wage_theft": lambda: _("Did they keep money they owed you?"),
    "flag_documents_withheld": lambda: _("Did they keep your papers or ID?"),
    "flag_immigration_threats": lambda: _("Did they threaten to call immigration?"),
    "story_prompt": lambda: _(
        "Now tell other workers what it was like to work there. Please do not say your own "
        "name. Start speaking now, and stop when you are done."
    ),
    "story_more": lambda: _(
        "Got it. To add more, press 1. If you are done, press 2. To start again, press 3."
    ),
    "story_too_long": lambda: _("That is the most we can take."),
    "preview_intro": lambda: _("This is what others will read:"),
    "preview_options": lambda: _(
        "To send it, press 1. To tell it again, press 2. To throw it away, press 3."
    ),
    "review_thanks": lambda: _(
        "Thank you. A moderator will read your review before anyone else sees it."
    ),
    "review_discarded": lambda: _("Your review was thrown away."),
    "code_intro": lambda: _(
        "Write down your review's code. With it you can check your review, and appeal if it is "
        "rejected. We keep no copy. Your code is:"
    ),
    "status_option": lambda: _("To check a review with its code, press 6."),
    "status_ask": lambda: _("Type your review's ten-digit code, then press pound."),
    "status_not_found": lambda: _(
        "We found no review with this code. Check the digits and try again."
    ),
    "status_too_many": lambda: _("Too many codes tried. Please wait an hour and try again."),
    "status_waiting": lambda: _("Waiting: a moderator has not read it yet."),
    "status_approved": lambda: _(
        "Approved. It is shown after a random delay, once this employer has enough reviews "
        "that nobody can tell who wrote it."
    ),
    "status_rejected": lambda: _("Rejected, because it broke this rule:"),
    "appeal_open": lambda: _("Your appeal is waiting for the workers' panel's vote."),
    "appeal_decided": lambda: _("The workers' panel decided your appeal."),
    "appeal_offer": lambda: _("To appeal to the workers' panel, press 1. To go back, press star."),
    "appeal_reason": lambda: _(
        "In a few words, say why the panel should publish your review. Do not say your name."
    ),
    "appeal_sent": lambda: _(
        "Your appeal was sent to the workers' panel. Call again with your code to hear its "
        "decision."
    ),
    "review_unavailable": lambda: _("Sorry, we cannot take a review on this call right now."),
    "one_moment": lambda: _("One moment, please."),
    "not_heard": lambda: _("Sorry, we could not hear that. Please try again."),
    "alerts_intro": lambda: _("The latest action alert:"),
    "no_alerts": lambda: _("There are no action alerts right now."),
    "again_or_back": lambda: _("To hear it again, press 1. To go back, press star."),
    "subscribe_consent": lambda **p: _(
        "We can send action alerts to this phone by text, up to %(count)d messages a month. "
        "Message and data rates may apply. Text STOP at any time to cancel. "
        "To agree, press 1. To go back, press star.",
        **p,
    ),
    "subscribe_sent": lambda: _("We sent you a text. Reply YES to it to start getting alerts."),
    "near_intro": lambda: _("Help near you. Choose your state."),
    "no_places": lambda: _("We have no places listed yet."),
    "organizer_connecting": lambda: _("Connecting you to an organizer. Please wait."),
    "organizer_closed": lambda **p: _(
        "Organizers answer this line %(hours)s. Please call again then.", **p
    ),
    "organizer_unavailable": lambda: _(
        "Sorry, no organizer can take calls on this line. You can text us instead."
    ),
    "organizer_no_answer": lambda: _("Sorry, no organizer could answer. Please try again later."),
}


def line(key: str, **params: object) -> Line:
    """A keyed prompt in the current (forced) locale; a recording of `key` may replace it."""
    return Line(TEXTS[key](**params), key=key)


def option(title: str, digit: str, key: str | None = None) -> Line:
    """'For <title>, press <digit>.' — `key` names its recording where one is made (a topic's
    place in the rights menu is fixed by the topics' order)."""
    return Line(_("For %(title)s, press %(digit)s.", title=title, digit=digit), key=key)
