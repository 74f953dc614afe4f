"""The organizer editor for help near you: the entries, a form to add or change one, and a CSV
import that is previewed (every bad row and why) and then imports all of its rows or none."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from organize import resources
from organize.editing import EditError
from organize.editing import resources as editor
from organize.extensions import db
from organize.models import Resource
from organize.web.editor_forms import ButtonForm, ImportForm, ResourceForm
from organize.web.organizer import bp, role_required

MAX_CSV_BYTES = 200 * 1024


@bp.get("/resources")
@role_required("organizer")
def resource_list() -> str:
    """Every entry, national ones first, then by state and name."""
    rows = db.session.scalars(
        sa.select(Resource).order_by(
            Resource.region != resources.NATIONAL, Resource.region, Resource.name
        )
    )
    return render_template(
        "organizer/resources/list.html", entries=list(rows), kinds=resources.KIND_LABELS
    )


@bp.route("/resources/new", methods=["GET", "POST"], defaults={"resource_id": None})
@bp.route("/resources/<int:resource_id>", methods=["GET", "POST"])
@role_required("organizer")
def resource_edit(resource_id: int | None) -> ResponseReturnValue:
    """Add or change one entry (the import's rules: kind, state, a valid phone); audited."""
    found = db.session.get(Resource, resource_id) if resource_id else None
    if resource_id and found is None:
        abort(404)
    values = editor.to_values(found) if found is not None else {}
    form = ResourceForm(data=values)
    form.kind.choices = [(k, _(v)) for k, v in resources.KIND_LABELS.items()]
    problems: list[str] = []
    if form.validate_on_submit():
        submitted = {name: getattr(form, name).data or "" for name in editor.COLUMNS}
        row = editor.save(resource=found, values=submitted, actor=current_user)
        if not row.errors:
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("organizer.resource_list"))
        db.session.rollback()
        problems = [_(message, **params) for message, params in row.errors]
    return render_template(
        "organizer/resources/edit.html",
        form=form,
        found=found,
        problems=problems,
        delete_form=ButtonForm(),
    )


@bp.post("/resources/<int:resource_id>/delete")
@role_required("organizer")
def resource_delete(resource_id: int) -> ResponseReturnValue:
    """Remove an entry; audited."""
    found = db.session.get(Resource, resource_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    editor.delete(resource=found, actor=current_user)
    db.session.commit()
    flash(_("Removed."))
    return redirect(url_for("organizer.resource_list"))


@bp.route("/resources/import", methods=["GET", "POST"])
@role_required("organizer")
def resource_import() -> ResponseReturnValue:
    """Upload → preview (each row: new, update or its problems) → import every row or none."""
    form = ImportForm()
    rows: list[editor.Row] = []
    error = None
    if form.validate_on_submit():
        text = form.text.data or ""
        if form.file.data:
            raw = form.file.data.read(MAX_CSV_BYTES + 1)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text, error = "", _("Save the file as CSV in UTF-8.")
            if len(raw) > MAX_CSV_BYTES:
                text, error = "", _("The file is too large: at most %(kb)s KB.", kb=200)
        try:
            rows = editor.read_csv(text) if text else []
            if form.confirm.data and text:
                created, updated = editor.import_rows(rows, actor=current_user)
                db.session.commit()
                flash(
                    _("Imported: %(new)s new, %(changed)s updated.", new=created, changed=updated)
                )
                return redirect(url_for("organizer.resource_list"))
        except EditError as exc:
            db.session.rollback()
            error = _(exc.message, **exc.params)
        form.text.data = text
        if not text and not error:
            error = _("Choose a CSV file.")
    return render_template(
        "organizer/resources/import.html",
        form=form,
        rows=rows,
        bad=sum(1 for row in rows if row.errors),
        error=error,
        columns=editor.COLUMNS,
    )
