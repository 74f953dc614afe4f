"""The workers' panel in the console: cases to vote on, and rule proposals.

Same sign-in (and second factor) as organizers. Anyone signed in may read the cases and
propose a rule change; only members with the "panel" role vote (`panel.is_member`).
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from organize.extensions import db
from organize.governance import panel, rules
from organize.governance.appeals import CaseError
from organize.models import PanelCase
from organize.web.organizer import bp
from organize.web.panel_forms import PROPOSAL_LANGUAGES, ProposalForm, VoteForm


@bp.get("/panel")
@login_required
def panel_cases() -> str:
    """Open cases (closing the ones whose window ended first) and the latest decisions."""
    if panel.close_due():
        db.session.commit()
    decided = db.session.scalars(
        sa.select(PanelCase)
        .where(PanelCase.status != "open")
        .order_by(PanelCase.id.desc())
        .limit(20)
    )
    return render_template(
        "organizer/panel.html",
        cases=panel.open_cases(),
        decided=list(decided),
        member=panel.is_member(current_user),
        voted=panel.voted_on(current_user),
        titles=rules.titles(),
        form=VoteForm(),
    )


@bp.post("/panel/<int:case_id>")
@login_required
def panel_vote(case_id: int) -> ResponseReturnValue:
    """A member's vote (yes or no); audited without the choice."""
    if not panel.is_member(current_user):
        abort(403)
    case = db.session.get(PanelCase, case_id) or abort(404)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        panel.vote(case=case, member=current_user, yes="yes" in request.form)
    except CaseError as exc:
        db.session.rollback()
        flash(_(exc.message))
    else:
        db.session.commit()
        flash(_("Your vote was counted."))
    return redirect(url_for("organizer.panel_cases"))


@bp.route("/rules/propose", methods=["GET", "POST"])
@login_required
def rule_propose() -> ResponseReturnValue:
    """Propose a new rule, new words for one, or its retirement."""
    form = ProposalForm()
    if form.validate_on_submit():
        texts = {
            code: {
                "title": form[f"title_{code}"].data or "",
                "explanation": form[f"explanation_{code}"].data or "",
            }
            for code in PROPOSAL_LANGUAGES
        }
        try:
            panel.propose(
                actor=current_user, key=form.key.data or "", texts=texts, retire=form.retire.data
            )
        except CaseError as exc:
            db.session.rollback()
            flash(_(exc.message))
        else:
            db.session.commit()
            flash(_("Proposed. It takes effect if the workers' panel approves it."))
            return redirect(url_for("organizer.panel_cases"))
    return render_template(
        "organizer/propose.html",
        form=form,
        proposal_languages=PROPOSAL_LANGUAGES,
        rules=rules.current(),
    )
