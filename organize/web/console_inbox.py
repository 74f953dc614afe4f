"""The reply inbox in the console: threads (masked number, language, the alert answered,
redacted texts), unanswered first; an organizer answers in the thread."""

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from organize.campaign import inbox
from organize.extensions import db
from organize.models import Alert, InboxThread
from organize.web.campaign_forms import AnswerForm
from organize.web.organizer import bp, role_required


@bp.get("/inbox")
@role_required("organizer")
def inbox_list() -> str:
    """Every live thread, unanswered first."""
    return render_template("organizer/inbox/list.html", threads=inbox.threads())


@bp.route("/inbox/<int:thread_id>", methods=["GET", "POST"])
@role_required("organizer")
def inbox_thread(thread_id: int) -> ResponseReturnValue:
    """One conversation and the answer form."""
    thread = db.session.get(InboxThread, thread_id) or abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            inbox.answer(thread=thread, actor=current_user, text=form.text.data or "")
        except inbox.InboxError as exc:
            db.session.rollback()
            form.text.errors = [_(exc.message)]
        else:
            db.session.commit()
            flash(_("Answer sent."))
            return redirect(url_for("organizer.inbox_thread", thread_id=thread.id))
    alert = db.session.get(Alert, thread.alert_id) if thread.alert_id else None
    return render_template("organizer/inbox/thread.html", thread=thread, alert=alert, form=form)
