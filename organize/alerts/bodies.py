"""What a subscriber receives: an alert's text per language, with its RSVP line and segments.

A value type below both the composer (estimates) and the sender (bodies), so neither has to
import the other; the reconciler matches a stuck delivery's text through the same `Bodies`.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from organize.models import Alert, AlertTranslation
from organize.outbound.segments import measure


def rsvp_line(locale: str) -> str:
    """The RSVP instruction in the subscriber's language."""
    with force_locale(locale):
        return _("Reply 1 if you can come.")


def sms_text(translation: AlertTranslation, *, rsvp: bool, rsvp_line: str) -> str:
    """The body a subscriber receives: title, body and, for RSVP alerts, how to answer."""
    text = f"{translation.title}\n{translation.body}".strip()
    return f"{text}\n{rsvp_line}" if rsvp else text


class Bodies:
    """Each locale's text of one alert and its segment count, worked out once per locale
    (a page of a thousand subscribers has a handful of languages, not a thousand)."""

    def __init__(self, alert: Alert) -> None:
        self.alert = alert
        self._known: dict[str, tuple[str, int]] = {}

    def __call__(self, locale: str) -> tuple[str, int]:
        """(body, segments) for a subscriber's locale; ("", 0) when the alert has no text."""
        if locale not in self._known:
            translation = self.alert.text_for(locale)
            body = (
                sms_text(translation, rsvp=self.alert.rsvp, rsvp_line=rsvp_line(locale))
                if translation
                else ""
            )
            self._known[locale] = (body, measure(body).count)
        return self._known[locale]
