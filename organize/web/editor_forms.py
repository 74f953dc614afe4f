"""Forms of the organizer editor: rights topics (texts, settings, review, audio, publishing)
and help-near-you entries (one at a time, a CSV file)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from organize.editing.topics import LIMITS
from organize.models import RESOURCE_KINDS

SOURCE_ROWS = 3  # blank source rows offered under the existing ones


class NewTopicForm(FlaskForm):
    """A topic starts with its web address, category and English title."""

    slug = StringField(
        _l("Web address name (letters, digits, dashes)"),
        validators=[DataRequired(), Length(max=60)],
    )
    category = SelectField(_l("Category"), choices=[])
    title = StringField(_l("English title"), validators=[DataRequired(), Length(max=200)])
    create = SubmitField(_l("Create topic"))


class TextForm(FlaskForm):
    """One language's words."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=LIMITS["title"])])
    summary = TextAreaField(
        _l("SMS summary"), validators=[Optional(), Length(max=LIMITS["summary"])]
    )
    body = TextAreaField(
        _l("Web text (Markdown)"), validators=[Optional(), Length(max=LIMITS["body"])]
    )
    voice = TextAreaField(
        _l("Voice script (what the phone line says)"),
        validators=[Optional(), Length(max=LIMITS["voice"])],
    )
    save = SubmitField(_l("Save"))


class SettingsForm(FlaskForm):
    """Category, menu position; the source rows are read from the request (label, URL pairs)."""

    category = SelectField(_l("Category"), choices=[])
    position = IntegerField(
        _l("Position in the menu"), validators=[InputRequired(), NumberRange(min=0, max=10000)]
    )
    save = SubmitField(_l("Save"))


class ReviewForm(FlaskForm):
    """Mark a language reviewed (by whom, when), or back to draft."""

    reviewer = StringField(
        _l("Reviewed by (a role or organization)"), validators=[Optional(), Length(max=200)]
    )
    on = DateField(_l("Reviewed on"), validators=[Optional()], default=date.today)
    reviewed = SubmitField(_l("Mark reviewed"))
    draft = SubmitField(_l("Back to draft"))


class AudioForm(FlaskForm):
    """The recorded audio novella for one language (MP3)."""

    recording = FileField(_l("Recording (MP3)"), validators=[FileRequired()])
    upload = SubmitField(_l("Upload"))


class NoteForm(FlaskForm):
    """A state note in one language (the choices are set by the view)."""

    region = SelectField(_l("State"), validators=[DataRequired()])
    locale = SelectField(_l("Language"), validators=[DataRequired()])
    text = TextAreaField(_l("What this state adds"), validators=[DataRequired(), Length(max=600)])
    draft = BooleanField(_l("Draft (not yet checked by a native speaker)"))
    save = SubmitField(_l("Save note"))


class ButtonForm(FlaskForm):
    """A one-button action (publish, unpublish, remove a recording), with CSRF."""

    go = SubmitField()


class ResourceForm(FlaskForm):
    """One help-near-you entry; checked by `organize.editing.resources.check`."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=list(RESOURCE_KINDS))
    region = StringField(
        _l("State (two letters, or national)"), validators=[DataRequired(), Length(max=20)]
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    url = StringField(_l("Web address"), validators=[Optional(), Length(max=300)])
    languages = StringField(
        _l("Languages spoken (codes: en es zh)"), validators=[Optional(), Length(max=100)]
    )
    schedule = StringField(
        _l("Opening hours (mon-fri 09:00-17:00; sat 10:00-14:00, or 24/7)"),
        validators=[Optional(), Length(max=200)],
    )
    hours = StringField(_l("Hours as text (when they do not fit)"), validators=[Length(max=100)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Length(max=2000)])
    description_es = TextAreaField(_l("Description (Spanish)"), validators=[Length(max=2000)])
    description_zh = TextAreaField(_l("Description (Chinese)"), validators=[Length(max=2000)])
    description_tl = TextAreaField(_l("Description (Tagalog)"), validators=[Length(max=2000)])
    description_ht = TextAreaField(
        _l("Description (Haitian Creole)"), validators=[Length(max=2000)]
    )
    save = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    """A CSV file to preview; the previewed text comes back in `text` to import."""

    file = FileField(_l("CSV file"))
    text = TextAreaField()
    preview = SubmitField(_l("Preview"))
    confirm = SubmitField(_l("Import every row"))
