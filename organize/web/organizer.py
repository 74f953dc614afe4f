"""The organizer console: sign-in, moderation queue, audit log."""

import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from wtforms.fields.choices import SelectChoice

from organize import audit, organizers, reviews
from organize.extensions import db, limiter, login_manager
from organize.governance import rules
from organize.models import AuditEvent, Organizer, Review
from organize.web.dashboard import attention_counts, topics_due_for_review
from organize.web.forms import ApproveForm, LoginForm, RejectForm

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
# Between the password and the second factor the session holds only this: who (with the session
# generation, so a sign-out everywhere voids it), since when, and where to go after.
PENDING = "second_factor_pending"
PENDING_SECONDS = 5 * 60

P = ParamSpec("P")
R = TypeVar("R")


@login_manager.user_loader
def load_user(user_id: str) -> Organizer | None:
    """Flask-Login's loader: the session names the organizer *and* their session generation,
    so a cookie captured before a sign-out no longer loads anyone after it. An organizer without
    a confirmed second factor loads as no one: a password alone never opens the console."""
    organizer = organizers.from_session_id(session_id=user_id)
    return organizer if organizer is not None and organizers.enrolled(organizer) else None


def pending_organizer() -> tuple[Organizer, str] | None:
    """The organizer whose password was right a moment ago (and where they were going)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    organizer = organizers.from_session_id(session_id=str(pending.get("who", "")))
    if organizer is None or not organizer.active:
        return None
    return organizer, str(pending.get("next") or url_for("organizer.dashboard"))


def role_required(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Signed in, and holding one of these roles (admins hold all)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.can(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _reason_choices() -> list[SelectChoice]:
    """The rules in force (the workers' panel may change them)."""
    return [SelectChoice(rule.key, rule.title) for rule in rules.current()]


def _unsafe_character(ch: str) -> bool:
    return ch.isspace() or not ch.isprintable()


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the login form cannot bounce anyone to another one.

    Browsers drop tabs and newlines from URLs and read `\\` as `/`, so `/%09/evil.example` or
    `/\\evil.example` would leave the site: any control character, space or backslash refuses.
    """
    fallback = url_for("organizer.dashboard")
    if not target or len(target) > 2000:
        return fallback
    for form in (target, unquote(target)):  # and once more decoded, in case a hop decodes it
        if "\\" in form or form.startswith("//") or any(_unsafe_character(ch) for ch in form):
            return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or target.startswith("//"):
        return fallback
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> ResponseReturnValue:
    """Email and password (argon2); then the second factor (enrolment the first time)."""
    form = LoginForm()
    if form.validate_on_submit():
        organizer = organizers.authenticate(
            email=form.email.data or "", password=form.password.data or ""
        )
        if organizer is not None:
            db.session.commit()  # a new session generation or a rehash
            session[PENDING] = {
                "who": organizer.get_id(),
                "at": int(time.time()),
                "next": _safe_next(request.args.get("next")),
            }
            step = "second_factor" if organizers.enrolled(organizer) else "enrol"
            return redirect(url_for(f"organizer.{step}"))
        db.session.rollback()
        form.password.errors = [_("Wrong email or password.")]
    return render_template("organizer/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Sign out (POST, so a link elsewhere cannot do it), everywhere: every session this
    organizer holds, copies of this cookie included, stops working."""
    organizers.end_sessions(organizer=current_user)
    audit.record(actor=current_user, action="organizer.logout")
    db.session.commit()
    logout_user()
    return redirect(url_for("public.home"))


def finish_sign_in(organizer: Organizer, how: str) -> None:
    """Both factors passed: the session opens (the caller commits)."""
    session.pop(PENDING, None)
    login_user(organizer)
    audit.record(actor=organizer, action="organizer.login", detail={"second_factor": how})


@bp.get("/")
@login_required
def dashboard() -> str:
    """What needs attention, with counts and links."""
    return render_template(
        "organizer/dashboard.html",
        attention=attention_counts(current_user),
        topics=topics_due_for_review(),
        recovery_left=organizers.recovery_codes_left(organizer=current_user),
    )


@bp.get("/moderation")
@role_required("moderator")
def moderation() -> str:
    """Pending reviews (already redacted) with what redaction removed."""
    queue = reviews.pending()
    reject_form = RejectForm()
    reject_form.reason.choices = _reason_choices()
    return render_template(
        "organizer/moderation.html",
        queue=queue,
        removed={r.id: reviews.removed(r) for r in queue},
        approve_form=ApproveForm(),
        reject_form=reject_form,
    )


@bp.post("/moderation/<int:review_id>")
@role_required("moderator")
def decide(review_id: int) -> ResponseReturnValue:
    """Approve, or reject with a reason; written to the audit log with the decision."""
    review = db.session.get(Review, review_id) or abort(404)
    if "approve" in request.form:
        form: ApproveForm | RejectForm = ApproveForm()
    else:
        form = RejectForm()
        form.reason.choices = _reason_choices()
    if not form.validate_on_submit():
        flash(_("Choose a reason."))
        return redirect(url_for("organizer.moderation"))
    try:
        if isinstance(form, ApproveForm):
            distinct = request.form.get("distinct") == "1"
            reviews.approve(review=review, actor=current_user, distinct=distinct)
            flash(_("Approved."))
        else:
            reviews.reject(review=review, actor=current_user, reason=form.reason.data or "")
            flash(_("Rejected."))
        db.session.commit()
    except reviews.ReviewError as exc:
        db.session.rollback()
        flash(_(exc.message))
    return redirect(url_for("organizer.moderation"))


@bp.get("/audit")
@role_required("admin")
def audit_log() -> str:
    """The latest decisions, newest first."""
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200))
    return render_template("organizer/audit.html", events=list(events))
