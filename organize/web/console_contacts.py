"""The contacts pages: import a CSV (preview, then all or nothing), the list with masked
numbers, tags, counts and saved audiences. No page or route returns a number: there is no
export, by design (DESIGN promise 6)."""

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from organize.contacts import importing, roster
from organize.extensions import db, limiter
from organize.plumbing.i18n import N_
from organize.web.contact_forms import (
    AudienceForm,
    ConfirmImportForm,
    DeleteForm,
    ImportForm,
    TagsForm,
)
from organize.web.organizer import bp, role_required

STATUS_LABELS = {
    "pending": N_("waiting for their confirmation"),
    "active": N_("subscribed"),
    "opted_out": N_("opted out"),
    "suppressed": N_("cannot get texts"),
}


@bp.app_template_filter("contact_status")
def contact_status(code: str) -> str:
    """A subscriber's status in the organizer's language."""
    msgid = STATUS_LABELS.get(code)
    return _(msgid) if msgid else code


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@bp.get("/contacts")
@role_required("organizer")
def contacts() -> str:
    """The list (masked numbers), filters and counts."""
    filters = {k: request.args.get(k, "").strip()[:40] for k in ("language", "state", "tag")}
    number = request.args.get("page", "1")
    page = min(int(number), 100_000) if number.isdigit() and number.isascii() else 1
    rows, total = roster.page(**filters, number=page)
    return render_template(
        "organizer/contacts/list.html",
        rows=rows,
        total=total,
        filters=filters,
        counts=roster.counts(),
        page=page,
        per_page=roster.PER_PAGE,
    )


def _error(message: str, params: dict[str, Any]) -> str:
    return _(message, **params)


@bp.route("/contacts/import", methods=["GET", "POST"])
@role_required("organizer")
@limiter.limit("20 per hour", methods=["POST"])
def contacts_import() -> ResponseReturnValue:
    """Upload and check: every row's outcome or errors; importable only when none is wrong."""
    form = ImportForm()
    preview = None
    if form.validate_on_submit():
        try:
            preview = importing.parse(
                form.file.data.read(importing.MAX_BYTES + 1),
                consent_source=(form.consent_source.data or "").strip(),
            )
            if preview.count("error") == 0:
                importing.stage(preview, organizer=current_user)
            db.session.commit()
        except importing.ImportRefused as exc:
            db.session.rollback()
            form.file.errors = [_error(exc.message, exc.params)]
            preview = None
    return render_template(
        "organizer/contacts/import.html",
        form=form,
        preview=preview,
        confirm_form=ConfirmImportForm(token=preview.token if preview else ""),
        error=_error,
    )


@bp.post("/contacts/import/confirm")
@role_required("organizer")
def contacts_import_confirm() -> ResponseReturnValue:
    """Import the checked rows in one transaction: all of them, or none."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        counts = importing.commit(token=form.token.data or "", organizer=current_user)
        db.session.commit()
    except importing.ImportRefused as exc:
        db.session.rollback()
        flash(_error(exc.message, exc.params))
        return redirect(url_for("organizer.contacts_import"))
    except Exception:
        db.session.rollback()  # nothing half-imported
        raise
    flash(
        _(
            "Imported: %(added)d added, %(updated)d updated, %(skipped)d left alone (they had "
            "opted out).",
            **counts,
        )
    )
    return redirect(url_for("organizer.contacts"))


@bp.route("/contacts/<int:subscriber_id>", methods=["GET", "POST"])
@role_required("organizer")
def contact(subscriber_id: int) -> ResponseReturnValue:
    """One contact (masked) and its tags."""
    listed = roster.get(subscriber_id) or abort(404)
    form = TagsForm()
    if form.validate_on_submit():
        try:
            tags = roster.clean_tags(form.tags.data or "")
            roster.set_tags(subscriber_id=subscriber_id, tags=tags, actor=current_user)
            db.session.commit()
            flash(_("Tags saved."))
            return redirect(url_for("organizer.contact", subscriber_id=subscriber_id))
        except roster.RosterError as exc:
            db.session.rollback()
            form.tags.errors = [_error(exc.message, exc.params)]
    elif request.method == "GET":
        form.tags.data = ", ".join(listed.tags)
    return render_template("organizer/contacts/show.html", contact=listed, form=form)


@bp.route("/contacts/audiences", methods=["GET", "POST"])
@role_required("organizer")
def audiences() -> ResponseReturnValue:
    """Saved audiences with how many they reach; a form for a new one."""
    form = AudienceForm()
    if form.validate_on_submit():
        try:
            audience = {
                "languages": list(form.languages.data or []),
                "regions": [r.upper() for r in _split(form.regions.data)],
                "industries": list(form.industries.data or []),
                "tags": roster.clean_tags(form.tags.data or ""),
            }
            roster.save_audience(name=form.name.data or "", audience=audience, actor=current_user)
            db.session.commit()
            flash(_("Audience saved."))
            return redirect(url_for("organizer.audiences"))
        except roster.RosterError as exc:
            db.session.rollback()
            form.name.errors = [_error(exc.message, exc.params)]
    return render_template(
        "organizer/contacts/audiences.html",
        form=form,
        audiences=roster.audiences(),
        delete_form=DeleteForm(),
    )


@bp.post("/contacts/audiences/<int:audience_id>/delete")
@role_required("organizer")
def audience_delete(audience_id: int) -> ResponseReturnValue:
    """Delete a saved audience."""
    if not DeleteForm().validate_on_submit():
        abort(400)
    roster.delete_audience(audience_id=audience_id, actor=current_user)
    db.session.commit()
    flash(_("Audience deleted."))
    return redirect(url_for("organizer.audiences"))
