"""Forms of the campaign loop: notice edits, templates, test sends, inbox answers, mask more."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from organize.campaign.inbox import MAX_ANSWER
from organize.notices import MAX_WHAT


class NoticeForm(FlaskForm):
    """Correct a worker's report before verifying it."""

    employer_name = StringField(_l("Employer"), validators=[Length(max=200)])
    what = TextAreaField(_l("What is happening"), validators=[DataRequired(), Length(max=MAX_WHAT)])
    place = StringField(_l("Where"), validators=[Length(max=300)])
    when_date = DateField(_l("Date"), validators=[Optional()])
    when_time = TimeField(_l("Time"), validators=[Optional()])
    when_text = StringField(_l("When, in the reporter's words"), validators=[Length(max=200)])
    save = SubmitField(_l("Save changes"))


class TemplateForm(FlaskForm):
    """Save a draft's texts as a template."""

    name = StringField(_l("Template name"), validators=[DataRequired(), Length(max=120)])
    save_template = SubmitField(_l("Save as a template"))


class TestSendForm(FlaskForm):
    """Send the draft to the organizer's own phone."""

    locale = SelectField(_l("Language"))
    test = SubmitField(_l("Send a test to my phone"))


class PhoneForm(FlaskForm):
    """The organizer's own number, for test sends."""

    phone = StringField(
        _l("Your phone number"),
        validators=[DataRequired(), Length(max=30)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    save_phone = SubmitField(_l("Save my number"))


class AnswerForm(FlaskForm):
    """An organizer's answer in a reply thread."""

    text = TextAreaField(
        _l("Your answer"),
        validators=[DataRequired(), Length(max=MAX_ANSWER)],
        render_kw={"maxlength": MAX_ANSWER, "rows": 3},
    )
    send = SubmitField(_l("Send answer"))


class MaskForm(FlaskForm):
    """Mask words redaction missed."""

    phrase = StringField(_l("Words to mask"), validators=[DataRequired(), Length(min=2, max=200)])
    kind = SelectField(_l("They are"))
    mask = SubmitField(_l("Mask these words"))
