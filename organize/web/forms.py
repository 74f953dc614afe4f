"""Web forms. Labels are lazy so they render in the visitor's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from organize.employers import INDUSTRIES, INDUSTRY_LABELS

RATING_CHOICES = [
    SelectChoice("", _l("Skip")),
    SelectChoice("1", _l("1 – very bad")),
    SelectChoice("2", "2"),
    SelectChoice("3", "3"),
    SelectChoice("4", "4"),
    SelectChoice("5", _l("5 – very good")),
]
FLAG_CHOICES = [
    SelectChoice("yes", _l("Yes")),
    SelectChoice("no", _l("No")),
    SelectChoice("", _l("I prefer not to say")),
]


def _rating(label: str) -> RadioField:
    return RadioField(label, choices=RATING_CHOICES, default="", validators=[Optional()])


def _flag(label: str) -> RadioField:
    return RadioField(label, choices=FLAG_CHOICES, default="", validators=[Optional()])


class ReviewForm(FlaskForm):
    """The review: five ratings, three yes/no questions, and the story in the worker's words."""

    employer = HiddenField(validators=[DataRequired()])
    pay = _rating(_l("Were you paid on time and in full?"))
    hours = _rating(_l("Were the hours and overtime fair?"))
    safety = _rating(_l("Was the work safe?"))
    respect = _rating(_l("Were you treated with respect?"))
    recommend = _rating(_l("Would you tell a friend to work there?"))
    wage_theft = _flag(_l("Did they keep money they owed you?"))
    documents_withheld = _flag(_l("Did they keep your papers or ID?"))
    immigration_threats = _flag(_l("Did they threaten to call immigration?"))
    text = TextAreaField(
        _l("Tell other workers what it was like"),
        validators=[
            InputRequired(message=_l("Please tell us about this workplace.")),
            Length(max=5000, message=_l("Please keep it under 5,000 characters.")),
        ],
    )
    preview = SubmitField(_l("See what will be published"))


class ConfirmForm(FlaskForm):
    """Carries the signed, already-redacted draft the worker has seen."""

    payload = HiddenField(validators=[DataRequired()])
    confirm = SubmitField(_l("Send my review"))


class EmployerForm(FlaskForm):
    """A workplace that is not listed yet."""

    name = StringField(
        _l("Name of the business"),
        validators=[DataRequired(message=_l("Please write the name.")), Length(max=200)],
    )
    city = StringField(
        _l("City"), validators=[DataRequired(message=_l("Please write the city.")), Length(max=120)]
    )
    region = StringField(_l("State"), validators=[Optional(), Length(max=60)])
    industry = SelectField(
        _l("Kind of work"),
        choices=[SelectChoice(key, _l(INDUSTRY_LABELS[key])) for key in INDUSTRIES],
    )
    submit = SubmitField(_l("Add this workplace"))


class LoginForm(FlaskForm):
    """Organizer sign-in."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class RejectForm(FlaskForm):
    """A rejection needs a reason."""

    reason = RadioField(
        _l("Reason"), validators=[InputRequired(message=_l("Choose a reason."))], choices=[]
    )
    reject = SubmitField(_l("Reject"))


class ApproveForm(FlaskForm):
    """Approval is one button (with CSRF)."""

    approve = SubmitField(_l("Approve"))


class EmployerDecisionForm(FlaskForm):
    """List a worker's new employer (or spelling), or keep it off the site."""

    approve = SubmitField(_l("List it"))
    reject = SubmitField(_l("Do not list"))


class NoticeForm(FlaskForm):
    """A worker reports a strike, walk-out or action."""

    what = TextAreaField(
        _l("What is happening?"),
        validators=[
            InputRequired(message=_l("Tell us what is happening.")),
            Length(max=1000, message=_l("Please keep it under 1,000 characters.")),
        ],
    )
    employer = StringField(_l("Which employer?"), validators=[Optional(), Length(max=200)])
    place = StringField(
        _l("Where? (city, street corner, workplace)"), validators=[Optional(), Length(max=300)]
    )
    when = StringField(_l("When?"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Send to the organizers"))


class CodeForm(FlaskForm):
    """The second factor: a 6-digit code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    submit = SubmitField(_l("Continue"))


class NewRecoveryCodesForm(FlaskForm):
    """New recovery codes need the password and a current code again."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code"},
    )
    submit = SubmitField(_l("Make new recovery codes"))
