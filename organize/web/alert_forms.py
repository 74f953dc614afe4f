"""Forms of the alert composer. Texts per language; English is required (the fallback)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from organize.contacts import roster
from organize.employers import INDUSTRIES, INDUSTRY_LABELS
from organize.outbound.segments import MAX_BODY
from organize.plumbing.i18n import LANGUAGE_NAMES

COMPOSE_LOCALES = ("en", "es", "zh", "tl", "ht")


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes instead of a multi-select (easier on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text_fields() -> dict[str, object]:
    fields: dict[str, object] = {}
    for locale in COMPOSE_LOCALES:
        name = LANGUAGE_NAMES[locale]
        required = [DataRequired()] if locale == "en" else [Optional()]
        fields[f"title_{locale}"] = StringField(
            _l("Title (%(language)s)", language=name), validators=[*required, Length(max=200)]
        )
        fields[f"body_{locale}"] = TextAreaField(
            _l("Text (%(language)s)", language=name),
            validators=[*required, Length(max=MAX_BODY)],
            render_kw={"data-segments": locale, "maxlength": MAX_BODY},
        )
    return fields


class AlertForm(FlaskForm):
    """Compose or edit an alert."""

    channel = SelectField(
        _l("Send by"),
        choices=[
            SelectChoice("sms", _l("Text message")),
            SelectChoice("voice", _l("Phone call")),
            SelectChoice("both", _l("Both")),
        ],
    )
    languages = MultiCheckboxField(
        _l("Only people who speak"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in COMPOSE_LOCALES],
    )
    regions = StringField(_l("Only these states (e.g. TX, CA)"), validators=[Length(max=200)])
    industries = MultiCheckboxField(
        _l("Only these kinds of work"),
        choices=[SelectChoice(key, _l(INDUSTRY_LABELS[key])) for key in INDUSTRIES],
    )
    tags = StringField(_l("Only these tags (comma-separated)"), validators=[Length(max=200)])
    send_at = DateTimeLocalField(
        _l("Send at, in the organization's time zone (empty: when you press send)"),
        validators=[Optional()],
        # The browser's own format first: a draft's time is rendered back into the field.
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
    )
    # One control: ticking it is the confirmation (its words say what it does).
    urgent = BooleanField(
        _l("Urgent: this cannot wait until morning. Send even during quiet hours (21:00–8:00).")
    )
    rsvp = BooleanField(_l('Ask for an RSVP ("Reply 1 if you can come")'))
    smart_encoding = BooleanField(_l("Swap curly quotes and long dashes for plain ones"))
    save = SubmitField(_l("Save draft"))
    saved_audience = SelectField(_l("A saved audience"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved_audience.choices = [
            SelectChoice("", _l("None: only the choices below")),
            *(SelectChoice(value, name) for value, name in roster.choices()),
        ]


for _name, _field in _text_fields().items():
    setattr(AlertForm, _name, _field)


class SendForm(FlaskForm):
    """Send now; the password and a code are asked again for a large audience."""

    password = PasswordField(_l("Your password (asked again for large audiences)"))
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[Length(max=40)],
        render_kw={"autocomplete": "one-time-code"},
    )
    send = SubmitField(_l("Send now"))


class CancelForm(FlaskForm):
    """Stop sending."""

    cancel = SubmitField(_l("Cancel this alert"))
