"""The employer approval queue: workers' new employers and spellings wait here (DESIGN §4.9)."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from organize import employers
from organize.extensions import db
from organize.models import Employer, EmployerAlias, Review
from organize.web.forms import EmployerDecisionForm
from organize.web.organizer import bp, role_required


@bp.get("/employers")
@role_required("moderator")
def employer_queue() -> str:
    """New employers (already redacted), with how many reviews wait on each, and new spellings."""
    queue = employers.pending()
    waiting = dict(
        db.session.execute(
            sa.select(Review.employer_id, sa.func.count())
            .where(Review.employer_id.in_([e.id for e in queue]))
            .group_by(Review.employer_id)
        ).all()
    )
    return render_template(
        "organizer/employers.html",
        queue=queue,
        waiting=waiting,
        aliases=employers.unlisted_aliases(),
        form=EmployerDecisionForm(),
    )


@bp.post("/employers/<int:employer_id>")
@role_required("moderator")
def employer_decide(employer_id: int) -> ResponseReturnValue:
    """List it or not; audited."""
    employer = db.session.get(Employer, employer_id) or abort(404)
    form = EmployerDecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        employers.decide(employer=employer, actor=current_user, approve=bool(form.approve.data))
        db.session.commit()
        flash(_("Listed.") if form.approve.data else _("Not listed."))
    except employers.EmployerError as exc:
        db.session.rollback()
        flash(_(exc.message))
    return redirect(url_for("organizer.employer_queue"))


@bp.post("/employers/aliases/<int:alias_id>")
@role_required("moderator")
def alias_decide(alias_id: int) -> ResponseReturnValue:
    """Show a worker's spelling with the employer, or drop it; audited."""
    alias = db.session.get(EmployerAlias, alias_id) or abort(404)
    form = EmployerDecisionForm()
    if not form.validate_on_submit():
        abort(400)
    employers.decide_alias(alias=alias, actor=current_user, keep=bool(form.approve.data))
    db.session.commit()
    flash(_("Listed.") if form.approve.data else _("Not listed."))
    return redirect(url_for("organizer.employer_queue"))
