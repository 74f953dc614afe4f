"""Forms of the workers' panel: status codes, appeals, flags, votes and rule proposals."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from organize.governance.appeals import REASON_MAX
from organize.governance.panel import EXPLANATION_MAX, TITLE_MAX

PROPOSAL_LANGUAGES = ("en", "es", "zh", "tl", "ht")


class StatusForm(FlaskForm):
    """A review's status code."""

    code = StringField(
        _l("Your review's code"),
        validators=[DataRequired(message=_l("Write the code you were given.")), Length(max=40)],
    )
    check = SubmitField(_l("See the status"))


class AppealForm(FlaskForm):
    """An appeal: the code again (nothing is remembered between pages) and a short reason."""

    code = HiddenField(validators=[DataRequired(), Length(max=40)])
    reason = TextAreaField(
        _l("Why should the workers' panel publish it?"),
        validators=[Optional(), Length(max=REASON_MAX)],
    )
    send = SubmitField(_l("Appeal to the workers' panel"))


class FlagForm(FlaskForm):
    """A flag on a published review: the rule it breaks and, if wanted, why."""

    rule = RadioField(
        _l("Which rule does it break?"),
        validators=[InputRequired(message=_l("Choose a rule."))],
        choices=[],
    )
    reason = TextAreaField(_l("Why? (optional)"), validators=[Optional(), Length(max=REASON_MAX)])
    send = SubmitField(_l("Send to the workers' panel"))


class VoteForm(FlaskForm):
    """One vote."""

    yes = SubmitField(_l("Yes"))
    no = SubmitField(_l("No"))


class ProposalForm(FlaskForm):
    """A change to one rule; titles and explanations per language (English required)."""

    key = StringField(
        _l("Rule key (an existing one to change it)"), validators=[DataRequired(), Length(max=30)]
    )
    retire = BooleanField(_l("Retire this rule"))
    submit = SubmitField(_l("Propose to the workers' panel"))


for _code in PROPOSAL_LANGUAGES:
    setattr(
        ProposalForm, f"title_{_code}", StringField(validators=[Optional(), Length(max=TITLE_MAX)])
    )
    setattr(
        ProposalForm,
        f"explanation_{_code}",
        TextAreaField(validators=[Optional(), Length(max=EXPLANATION_MAX)]),
    )
