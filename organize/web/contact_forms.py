"""Forms of the contacts pages: import, tags, saved audiences."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from organize.employers import INDUSTRIES, INDUSTRY_LABELS
from organize.plumbing.i18n import LANGUAGE_NAMES
from organize.web.alert_forms import COMPOSE_LOCALES, MultiCheckboxField


class ImportForm(FlaskForm):
    """A CSV of people who agreed to get texts, and where they agreed."""

    file = FileField(_l("CSV file"), validators=[FileRequired()])
    consent_source = StringField(
        _l("Where did these people agree to get texts from us?"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("For example: sign-up sheet at the March 3 meeting."),
    )
    preview = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    """The checked file, by its token."""

    token = HiddenField(validators=[DataRequired(), Length(max=60)])
    confirm = SubmitField(_l("Import them all"))


class TagsForm(FlaskForm):
    """A contact's tags."""

    tags = StringField(_l("Tags (comma-separated)"), validators=[Length(max=400)])
    save = SubmitField(_l("Save tags"))


class AudienceForm(FlaskForm):
    """A saved audience: a name and the filter an alert's audience uses."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    languages = MultiCheckboxField(
        _l("People who speak"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in COMPOSE_LOCALES],
    )
    regions = StringField(_l("States (e.g. TX, CA)"), validators=[Length(max=200)])
    industries = MultiCheckboxField(
        _l("Kinds of work"),
        choices=[SelectChoice(key, _l(INDUSTRY_LABELS[key])) for key in INDUSTRIES],
    )
    tags = StringField(_l("Tags (comma-separated)"), validators=[Length(max=200)])
    save = SubmitField(_l("Save audience"))


class DeleteForm(FlaskForm):
    """Delete a saved audience."""

    delete = SubmitField(_l("Delete"))
