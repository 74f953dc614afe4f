"""The console's action reports: verify, reject, correct before verifying (the employer, a
date from a date picker), and turn a verified one into an alert draft."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from organize import notices
from organize.alerts import compose
from organize.extensions import db
from organize.models import ActionNotice
from organize.web.alert_forms import CancelForm
from organize.web.campaign_forms import NoticeForm
from organize.web.organizer import bp, role_required


@bp.get("/notices")
@role_required("organizer")
def notice_queue() -> str:
    """Worker reports waiting for verification, and the latest verified ones."""
    return render_template(
        "organizer/notices.html",
        pending=notices.pending(),
        verified=notices.verified(limit=10),
        form=CancelForm(),
        when=notices.when,
    )


@bp.route("/notices/<int:notice_id>/edit", methods=["GET", "POST"])
@role_required("organizer")
def notice_edit(notice_id: int) -> ResponseReturnValue:
    """Correct a pending report; what is typed is redacted like the report was."""
    notice = db.session.get(ActionNotice, notice_id) or abort(404)
    if notice.status != "pending":
        flash(_("Only a notice waiting for verification can be edited."))
        return redirect(url_for("organizer.notice_queue"))
    form = NoticeForm(obj=notice)
    if form.validate_on_submit():
        try:
            notices.edit(
                notice=notice,
                actor=current_user,
                what=form.what.data or "",
                employer_name=form.employer_name.data or "",
                place=form.place.data or "",
                when_text=form.when_text.data or "",
                when_date=form.when_date.data,
                when_time=form.when_time.data,
            )
        except notices.NoticeError as exc:
            db.session.rollback()
            form.what.errors = [_(exc.message)]
        else:
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("organizer.notice_queue"))
    return render_template("organizer/notice_edit.html", form=form, notice=notice)


@bp.post("/notices/<int:notice_id>")
@role_required("organizer")
def notice_decide(notice_id: int) -> ResponseReturnValue:
    """Verify, reject, or turn a verified notice into an alert draft."""
    if not CancelForm().validate_on_submit():
        abort(400)
    notice = db.session.get(ActionNotice, notice_id) or abort(404)
    action = request.form.get("action", "")
    try:
        if action == "draft":
            alert = notices.draft_alert(notice=notice, actor=current_user)
            db.session.commit()
            return redirect(url_for("organizer.alert_page", alert_id=alert.id))
        notices.decide(notice=notice, actor=current_user, verify=action == "verify")
        db.session.commit()
    except (notices.NoticeError, compose.AlertError) as exc:
        db.session.rollback()
        flash(_(exc.message))
    return redirect(url_for("organizer.notice_queue"))
