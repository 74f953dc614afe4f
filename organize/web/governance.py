"""Public pages of the workers' panel: the rules and their history, a review's status by its
code, appeals, and flags on published reviews.

A code travels only in POST bodies (never a URL, so never an access log) and is remembered
nowhere between pages: the appeal form carries it back. A wrong code gets the same page as a
malformed one, and each client (the limiter's rotating hashed key) has STATUS_MISSES of them
per STATUS_MISS_WINDOW.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from organize.extensions import db, limiter
from organize.governance import appeals, codes, rules
from organize.models import PanelCase, Review
from organize.plumbing.i18n import N_, current_locale
from organize.plumbing.ratelimit import limiter_key
from organize.web.panel_forms import AppealForm, FlagForm, StatusForm

bp = Blueprint("governance", __name__)


def _flag_tokens() -> URLSafeSerializer:
    """Flag links name a review by an opaque token: ids would tell the order of writing."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="review-flag")


def flag_token(review: Review) -> str:
    """The token in a review's flag link (a template global)."""
    return str(_flag_tokens().dumps(review.id))


@bp.app_context_processor
def _flag_links() -> dict[str, object]:
    return {"flag_token": flag_token}


OUTCOME_LABELS = {
    "open": N_("Waiting for the panel's vote"),
    "overturned": N_("Overturned: the review will be published"),
    "upheld": N_("Upheld: the rejection stands"),
    "removed": N_("Removed"),
    "kept": N_("Kept"),
    "adopted": N_("Adopted"),
    "declined": N_("Declined"),
}


@bp.app_template_filter("case_outcome")
def case_outcome(status: str) -> str:
    """A case's status, in the reader's language."""
    return _(OUTCOME_LABELS[status]) if status in OUTCOME_LABELS else status


def _flag_limit() -> str:
    return str(current_app.config["FLAG_RATE_LIMIT"])


@bp.get("/rules")
def rules_page() -> str:
    """The rules in force, every change the panel voted on (with counts), and the history."""
    proposals = db.session.scalars(
        db.select(PanelCase).where(PanelCase.kind == "rule").order_by(PanelCase.id.desc())
    )
    return render_template(
        "governance/rules.html",
        rules=rules.current(),
        history=rules.history(),
        proposals=list(proposals),
    )


def _lookup(code: str) -> tuple[Review | None, bool]:
    """(the review, blocked): a blocked client is not even looked up."""
    client = limiter_key()
    if codes.blocked(client):
        return None, True
    review = codes.find(code)
    if review is None:
        codes.missed(client)
    return review, False


def _status_page(
    form: StatusForm, review: Review | None, blocked: bool, code: str
) -> ResponseReturnValue:
    status = appeals.status_of(review) if review is not None else None
    appeal = AppealForm(code=code) if status is not None and status.can_appeal else None
    checked = review is not None or blocked or bool(code)
    page = render_template(
        "governance/status.html",
        form=form,
        status=status,
        appeal=appeal,
        blocked=blocked,
        checked=checked,
    )
    return page, 429 if blocked else 200


@bp.route("/review/status", methods=["GET", "POST"])
def review_status() -> ResponseReturnValue:
    """Type a code, see where the review stands (and appeal a rejection)."""
    form = StatusForm()
    if not form.validate_on_submit():
        return _status_page(form, None, False, "")
    code = form.code.data or ""
    review, blocked = _lookup(code)
    return _status_page(form, review, blocked, code)


@bp.post("/review/status/appeal")
def review_appeal() -> ResponseReturnValue:
    """Send the appeal; the page answers the same whoever sends it."""
    form = AppealForm()
    if not form.validate_on_submit():
        abort(400)
    review, blocked = _lookup(form.code.data or "")
    if review is None:
        return _status_page(StatusForm(formdata=None), None, blocked, form.code.data or "-")
    try:
        appeals.appeal(review=review, reason=form.reason.data or "", locale=current_locale())
    except appeals.CaseError as exc:
        db.session.rollback()
        flash(_(exc.message))
    else:
        db.session.commit()
        flash(
            _(
                "Your appeal was sent to the workers' panel. Check this page with your code "
                "to see its decision."
            )
        )
    return redirect(url_for("governance.review_status"))


@bp.route("/reviews/flag/<token>", methods=["GET", "POST"])
@limiter.limit(_flag_limit, methods=["POST"])
def flag(token: str) -> ResponseReturnValue:
    """Anyone (an employer too) may ask the panel to look at a published review again."""
    try:
        review_id = int(_flag_tokens().loads(token))
    except (BadSignature, ValueError, TypeError):
        abort(404)
    review = db.session.get(Review, review_id)
    if review is None or not appeals.flaggable(review):
        abort(404)
    form = FlagForm()
    form.rule.choices = [(r.key, r.title) for r in rules.current()]
    if form.validate_on_submit():
        try:
            appeals.flag(
                review=review,
                rule_key=form.rule.data or "",
                reason=form.reason.data or "",
                locale=current_locale(),
            )
        except appeals.CaseError as exc:
            db.session.rollback()
            flash(_(exc.message))
        else:
            db.session.commit()
            flash(_("Thank you. The workers' panel will look at this review."))
            return redirect(url_for("public.employer_page", slug=review.employer.slug))
    return render_template("governance/flag.html", form=form, review=review)
