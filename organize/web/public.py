"""Public pages: home, employers, reviews, rights, transparency, privacy."""

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from organize import directory, employers, notices, resources, reviews, rights
from organize.extensions import db, limiter
from organize.governance import codes, figures, rules
from organize.models import FLAG_FIELDS, RATING_FIELDS, Employer
from organize.plumbing.i18n import current_locale
from organize.web.forms import ConfirmForm, EmployerForm, NoticeForm, ReviewForm

bp = Blueprint("public", __name__)

CONFIRM_MAX_AGE = 6 * 3600  # a worker on a slow phone may take a while to decide


def _review_limit() -> str:
    return str(current_app.config["REVIEW_RATE_LIMIT"])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="review-confirm")


@bp.get("/")
def home() -> str:
    """Where a worker starts: find an employer, know your rights, write a review."""
    return render_template("home.html")


@bp.get("/employers")
def employer_list() -> str:
    """The directory, searchable by name, alias or city (accents, case, look-alikes and typos
    forgiven), a page at a time, with each employer's count of reviews where k allows."""
    query = request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=int) or 1
    results = directory.search(query=query, page=min(max(page, 1), 1000))
    threshold = current_app.config["REVIEW_K_THRESHOLD"]
    return render_template("employers/list.html", results=results, query=query, threshold=threshold)


def _employer_limit() -> str:
    return str(current_app.config["EMPLOYER_CREATE_LIMIT"])


def _employer_was_created(response: Response) -> bool:
    """Only a new employer counts against the per-client limit; finding one does not."""
    return bool(g.get("employer_created"))


def _tickets() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="pending-employer")


def _reviewable(value: str) -> Employer | None:
    """A listed employer by slug, or a pending one by the signed ticket its adder was given:
    the worker who added it can review it now, nobody can find it by guessing a slug."""
    if not value:
        return None
    employer = employers.get_by_slug(slug=value[:220])
    if employer is not None:
        return employer
    try:
        employer_id = _tickets().loads(value, max_age=CONFIRM_MAX_AGE)
    except BadSignature:
        return None
    found = db.session.get(Employer, employer_id) if isinstance(employer_id, int) else None
    return found if found is not None and found.status == "pending" else None


@bp.route("/employers/new", methods=["GET", "POST"])
@limiter.limit(_review_limit, methods=["POST"])
@limiter.limit(_employer_limit, methods=["POST"], deduct_when=_employer_was_created)
def employer_new() -> ResponseReturnValue:
    """Add a workplace that is not listed (an existing one is reused, its spelling kept).

    A new one is redacted and waits for an organizer; its adder goes straight on to review it.
    """
    form = EmployerForm(name=request.args.get("name", "")[:200])
    if form.validate_on_submit():
        try:
            employer, created = employers.add(
                name=form.name.data or "",
                city=form.city.data or "",
                region=form.region.data or "",
                industry=form.industry.data or "other",
                locale=current_locale(),
            )
        except employers.EmployerError as exc:
            db.session.rollback()
            form.name.errors = [_(exc.message)]
            return render_template("employers/new.html", form=form), 400
        db.session.commit()
        g.employer_created = created
        if employer.status == "approved":
            flash(_("This workplace was already listed."))
            return redirect(url_for("public.employer_page", slug=employer.slug))
        if employer.status == "rejected":
            flash(_("This workplace cannot be listed. Please write to the organizers."))
            return redirect(url_for("public.employer_list"))
        flash(
            _(
                "Thank you. An organizer will check it before it is listed. You can write "
                "your review now: it will wait with it."
            )
        )
        ticket = str(_tickets().dumps(employer.id))
        return redirect(url_for("public.review_form", employer=ticket))
    status = 400 if request.method == "POST" else 200
    return render_template("employers/new.html", form=form), status


@bp.get("/employers/<slug>")
def employer_page(slug: str) -> str:
    """Aggregates once k reviews are visible (before that, only that some exist); review
    texts from k on too."""
    employer = employers.get_by_slug(slug=slug) or abort(404)
    summary = reviews.summarize(employer=employer)
    shown = reviews.visible_reviews(employer=employer)
    return render_template("employers/show.html", employer=employer, summary=summary, reviews=shown)


def _draft_payload(form: ReviewForm, draft: reviews.Draft, employer_id: int) -> str:
    ratings = {name: getattr(form, name).data or None for name in RATING_FIELDS}
    flags = {name: getattr(form, name).data or None for name in FLAG_FIELDS}
    payload: dict[str, Any] = {
        "employer_id": employer_id,
        "ratings": {k: int(v) if v else None for k, v in ratings.items()},
        "flags": {k: (v == "yes") if v else None for k, v in flags.items()},
        "text": draft.text,
        "report": draft.report,
        "locale": draft.locale,
        "key": reviews.new_submission_key(),
        # Minted with the preview, so a double-clicked send shows the one stored code.
        "code": codes.mint(),
    }
    return str(_serializer().dumps(payload))


@bp.route("/review", methods=["GET", "POST"])
@limiter.limit(_review_limit, methods=["POST"])
def review_form() -> ResponseReturnValue:
    """Step 1: the form. Posting it redacts the story and shows the preview; nothing is stored."""
    given = request.values.get("employer", "")
    employer = _reviewable(given)
    if employer is None:
        return render_template("reviews/pick_employer.html")
    form = ReviewForm(employer=given)
    if form.validate_on_submit():
        try:
            draft = reviews.prepare(text=form.text.data or "", locale=current_locale())
        except reviews.ReviewError as exc:
            form.text.errors = [_(exc.message, **exc.params)]
        else:
            confirm = ConfirmForm(payload=_draft_payload(form, draft, employer.id))
            return render_template(
                "reviews/preview.html", employer=employer, draft=draft, form=form, confirm=confirm
            )
    status = 400 if request.method == "POST" else 200
    return render_template("reviews/form.html", employer=employer, form=form), status


@bp.post("/review/confirm")
@limiter.limit(_review_limit)
def review_confirm() -> ResponseReturnValue:
    """Step 2: store exactly the redacted draft the worker saw (once, even if sent twice)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payload = _serializer().loads(form.payload.data or "", max_age=CONFIRM_MAX_AGE)
    except BadSignature:
        flash(_("This preview has expired. Please write your review again."))
        return redirect(url_for("public.home"))
    employer = db.session.get(Employer, payload["employer_id"]) or abort(404)
    try:
        reviews.submit(
            employer=employer,
            text=payload["text"],
            locale=payload["locale"],
            channel="web",
            ratings=payload["ratings"],
            flags=payload["flags"],
            submission_key=payload["key"],
            report=payload["report"],
            status_code=payload.get("code"),
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same draft sent twice at once: the first one is stored
    except reviews.ReviewError:
        db.session.rollback()
        abort(400)
    # The draft's code is the stored one (twice sent or not): shown once on the thanks page,
    # from the worker's own cookie, and kept nowhere on the server.
    session["status_code"] = payload.get("code")
    listed = employer.status == "approved"  # a pending employer's slug goes in no URL
    return redirect(url_for("public.review_thanks", employer=employer.slug if listed else None))


@bp.get("/review/thanks")
def review_thanks() -> str:
    """What happens next, honestly."""
    employer = employers.get_by_slug(slug=request.args.get("employer", ""))
    threshold = current_app.config["REVIEW_K_THRESHOLD"]
    code = session.pop("status_code", None)
    return render_template(
        "reviews/thanks.html",
        employer=employer,
        threshold=threshold,
        code=codes.spaced(code) if code else None,
    )


@bp.get("/rights")
def rights_index() -> str:
    """Topics by category in the visitor's language."""
    groups = rights.by_category(locale=current_locale())
    return render_template("rights/index.html", groups=groups, categories=rights.CATEGORIES)


@bp.get("/rights/<slug>")
def rights_topic(slug: str) -> str:
    """One topic, its sources and when it was last reviewed; with `?state=CA`, what that
    state adds (a plain form picks it: no script needed)."""
    locale = current_locale()
    topic = rights.topic(slug=slug, locale=locale) or abort(404)
    body = rights.render_markdown(topic.body)
    region = request.args.get("state", "")[:2].upper()
    region = region if region in resources.STATES else ""
    note = rights.state_note(slug=slug, region=region, locale=locale) if region else None
    return render_template(
        "rights/topic.html",
        topic=topic,
        body=body,
        not_legal_advice=rights.not_legal_advice(),
        states=resources.STATES,
        noted=rights.note_regions(slug=slug),
        region=region,
        note=note,
        note_html=rights.render_markdown(note.text) if note else "",
    )


@bp.get("/transparency")
def transparency() -> str:
    """How many reviews were approved or rejected, and why; no text."""
    counts = reviews.moderation_counts()
    return render_template(
        "transparency.html", counts=counts, reasons=rules.titles(), quarters=figures.by_quarter()
    )


@bp.get("/privacy")
def privacy() -> str:
    """What we keep and what we do not, as strong as the code and no stronger."""
    return render_template("privacy.html", threshold=current_app.config["REVIEW_K_THRESHOLD"])


@bp.get("/help-near-you")
def help_near_you() -> str:
    """Local help by state and by city or ZIP code, worker co-ops apart, national agencies for
    every state."""
    kind = request.args.get("kind", "")
    kind = kind if kind in resources.KIND_LABELS else ""
    where = request.args.get("q", "")[:60]
    found = resources.search(region=request.args.get("region", "")[:10], where=where, kind=kind)
    return render_template(
        "help_near_you.html",
        places=found.places,
        coops=found.coops,
        national=resources.national() if kind in ("", "agency", "hotline") else [],
        regions=resources.STATES,
        kinds=resources.KIND_LABELS,
        region=found.region,
        city=found.city,
        where=where,
        kind=kind,
    )


@bp.get("/actions")
def actions() -> str:
    """Strikes and actions organizers have verified."""
    return render_template("actions/index.html", notices=notices.verified(), when=notices.when)


@bp.route("/actions/report", methods=["GET", "POST"])
@limiter.limit(_review_limit, methods=["POST"])
def action_report() -> ResponseReturnValue:
    """Report a strike or action; redacted, then verified by organizers before anyone sees it."""
    form = NoticeForm()
    if form.validate_on_submit():
        try:
            notice = notices.report(
                what=form.what.data or "",
                place=form.place.data or "",
                when_text=form.when.data or "",
                employer_name=form.employer.data or "",
                locale=current_locale(),
            )
        except notices.NoticeError as exc:
            form.what.errors = [_(exc.message)]
        else:
            db.session.commit()
            return render_template("actions/thanks.html", notice=notice)
    status = 400 if request.method == "POST" else 200
    return render_template("actions/report.html", form=form), status
