"""The organizer editor for rights topics: every topic with each language's review status; a
topic's settings, sources, publishing and history; one language's words (with the SMS summary's
segment count), its review, and its recorded audio novella (DESIGN §rights, issue 11)."""

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from organize import rights
from organize.editing import EditError, recordings
from organize.editing import notes as state_notes
from organize.editing import topics as editor
from organize.extensions import csrf, db
from organize.models import RightsStateNote, RightsTopic
from organize.plumbing.i18n import LANGUAGE_NAMES
from organize.resources import STATES
from organize.web.editor_forms import (
    SOURCE_ROWS,
    AudioForm,
    ButtonForm,
    NewTopicForm,
    NoteForm,
    ReviewForm,
    SettingsForm,
    TextForm,
)
from organize.web.organizer import bp, role_required


def _categories() -> list[SelectChoice]:
    return [SelectChoice(key, _(label)) for key, label in rights.CATEGORIES.items()]


def _load(topic_id: int) -> RightsTopic:
    return db.session.get(RightsTopic, topic_id) or abort(404)


def _locale(locale: str) -> str:
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    return locale


def _refused(exc: EditError) -> str:
    return _(exc.message, **exc.params)


@bp.get("/rights")
@role_required("organizer")
def rights_list() -> str:
    """Every topic, published or not, with each language's status (missing, draft, reviewed)."""
    return render_template(
        "organizer/rights/list.html",
        topics=editor.all_topics(),
        locales=current_app.config["LANGUAGES"],
        translation=editor.translation,
    )


@bp.route("/rights/new", methods=["GET", "POST"])
@role_required("organizer")
def rights_new() -> ResponseReturnValue:
    """A new topic: unpublished, its English text a draft, until an organizer publishes it."""
    form = NewTopicForm()
    form.category.choices = _categories()
    if form.validate_on_submit():
        try:
            topic = editor.create(
                slug=form.slug.data or "",
                category=form.category.data or "",
                title=form.title.data or "",
                actor=current_user,
            )
        except EditError as exc:
            db.session.rollback()
            form.slug.errors = [_refused(exc)]
        else:
            db.session.commit()
            return redirect(url_for("organizer.rights_text", topic_id=topic.id, locale="en"))
    return render_template("organizer/rights/new.html", form=form)


@bp.route("/rights/<int:topic_id>", methods=["GET", "POST"])
@role_required("organizer")
def rights_topic(topic_id: int) -> ResponseReturnValue:
    """Settings and sources (POST saves them), publishing, languages and the history."""
    topic = _load(topic_id)
    form = SettingsForm(obj=topic)
    form.category.choices = _categories()
    error = None
    if form.validate_on_submit():
        labels, urls = request.form.getlist("source_label"), request.form.getlist("source_url")
        try:
            editor.save_settings(
                topic=topic,
                category=form.category.data or "",
                position=form.position.data or 0,
                sources=list(zip(labels, urls, strict=False)),
                actor=current_user,
            )
        except EditError as exc:
            db.session.rollback()
            error = _refused(exc)
        else:
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("organizer.rights_topic", topic_id=topic.id))
    return render_template(
        "organizer/rights/topic.html",
        topic=topic,
        form=form,
        error=error,
        blank_sources=SOURCE_ROWS,
        official=editor.official,
        button=ButtonForm(),
        locales=current_app.config["LANGUAGES"],
        translation=editor.translation,
        history=editor.history(topic),
    )


@bp.post("/rights/<int:topic_id>/publish")
@role_required("organizer")
def rights_publish(topic_id: int) -> ResponseReturnValue:
    """Publish or unpublish (the button's value says which); audited."""
    topic = _load(topic_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    published = request.form.get("published") == "1"
    try:
        editor.set_published(topic=topic, published=published, actor=current_user)
    except EditError as exc:
        db.session.rollback()
        flash(_refused(exc))
    else:
        db.session.commit()
        flash(_("Published.") if published else _("Unpublished."))
    return redirect(url_for("organizer.rights_topic", topic_id=topic.id))


def _text_page(
    topic: RightsTopic, locale: str, form: TextForm, status: int = 200
) -> tuple[str, int]:
    found = editor.translation(topic, locale)
    measured = None
    if form.title.data:
        measured = editor.sms_segments(topic, locale, form.title.data, form.summary.data or "")
    review = ReviewForm()
    if found is not None and found.reviewed_by:
        review.reviewer.data = found.reviewed_by
    page = render_template(
        "organizer/rights/text.html",
        topic=topic,
        locale=locale,
        found=found,
        form=form,
        measured=measured,
        review=review,
        audio=AudioForm(),
        rendered=rights.render_markdown(found.body) if found is not None else "",
        button=ButtonForm(),
        max_mb=recordings.MAX_BYTES // 2**20,
        price=float(current_app.config["PRICE_PER_SEGMENT"]),
    )
    return page, status


@bp.route("/rights/<int:topic_id>/<locale>", methods=["GET", "POST"])
@role_required("organizer")
def rights_text(topic_id: int, locale: str) -> ResponseReturnValue:
    """One language's title, SMS summary (its segments shown after each save), web text and
    voice script; saving changed words makes a reviewed text a draft again."""
    topic, locale = _load(topic_id), _locale(locale)
    found = editor.translation(topic, locale)
    form = TextForm(obj=found)
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data or "" for name in editor.TEXT_FIELDS}
        try:
            changed = editor.save_text(
                topic=topic, locale=locale, fields=fields, actor=current_user
            )
        except EditError as exc:
            db.session.rollback()
            form.title.errors = [_refused(exc)]
            return _text_page(topic, locale, form, 422)
        db.session.commit()
        flash(_("Saved.") if changed else _("Nothing changed."))
        return _text_page(topic, locale, form)
    return _text_page(topic, locale, form, 422 if form.errors else 200)


@bp.get("/rights/<int:topic_id>/<locale>/segments")
@role_required("organizer")
def rights_segments(topic_id: int, locale: str) -> ResponseReturnValue:
    """For the live counter (console.js): the summary as the SMS line sends it, with the
    topic's saved title, the not-legal-advice line and the link around it."""
    topic, locale = _load(topic_id), _locale(locale)
    found = editor.translation(topic, locale)
    summary = request.args.get("text", "")[:2000]
    measured = editor.sms_segments(topic, locale, found.title if found else "", summary)
    return jsonify(
        encoding=measured.encoding,
        segments=measured.count,
        characters=len(summary),
        cost=round(measured.count * float(current_app.config["PRICE_PER_SEGMENT"]), 4),
    )


@bp.post("/rights/<int:topic_id>/<locale>/review")
@role_required("organizer")
def rights_review(topic_id: int, locale: str) -> ResponseReturnValue:
    """Mark reviewed (by whom, on which day) or back to draft; audited."""
    topic, locale = _load(topic_id), _locale(locale)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if form.draft.data:
            editor.mark_draft(topic=topic, locale=locale, actor=current_user)
        else:
            editor.mark_reviewed(
                topic=topic,
                locale=locale,
                reviewer=form.reviewer.data or "",
                on=form.on.data or date.today(),
                actor=current_user,
            )
    except EditError as exc:
        db.session.rollback()
        flash(_refused(exc))
    else:
        db.session.commit()
        flash(_("Back to draft.") if form.draft.data else _("Marked reviewed."))
    return redirect(url_for("organizer.rights_text", topic_id=topic.id, locale=locale))


@bp.post("/rights/<int:topic_id>/<locale>/audio")
@csrf.exempt  # the app-wide check would read the body under the 256 KB limit; AudioForm checks
@role_required("organizer")  # the same token itself, after the limit is raised for this upload
def rights_audio(topic_id: int, locale: str) -> ResponseReturnValue:
    """Upload the language's recording (MP3, checked by its bytes); the phone line plays it."""
    request.max_content_length = recordings.MAX_BYTES + 64 * 1024
    topic, locale = _load(topic_id), _locale(locale)
    form = AudioForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        flash(_("Choose an MP3 file."))
        return redirect(url_for("organizer.rights_text", topic_id=topic.id, locale=locale))
    data = form.recording.data.read(recordings.MAX_BYTES + 1)
    try:
        recordings.save(topic=topic, locale=locale, data=data, actor=current_user)
    except EditError as exc:
        db.session.rollback()
        flash(_refused(exc))
    else:
        db.session.commit()
        flash(_("Recording saved: the phone line plays it for this topic."))
    return redirect(url_for("organizer.rights_text", topic_id=topic.id, locale=locale))


@bp.post("/rights/<int:topic_id>/<locale>/audio/remove")
@role_required("organizer")
def rights_audio_remove(topic_id: int, locale: str) -> ResponseReturnValue:
    """Drop the recording; the phone line speaks the voice script again."""
    topic, locale = _load(topic_id), _locale(locale)
    if not ButtonForm().validate_on_submit():
        abort(400)
    recordings.remove(topic=topic, locale=locale, actor=current_user)
    db.session.commit()
    flash(_("Recording removed."))
    return redirect(url_for("organizer.rights_text", topic_id=topic.id, locale=locale))


@bp.route("/rights/<int:topic_id>/notes", methods=["GET", "POST"])
@role_required("organizer")
def rights_notes(topic_id: int) -> ResponseReturnValue:
    """The topic's state notes; the form adds one or replaces a state's note in a language
    (`?region=CA&locale=es` fills it with that note)."""
    topic = _load(topic_id)
    chosen = None
    if request.method == "GET" and request.args.get("region"):
        chosen = state_notes.find(topic, request.args["region"], request.args.get("locale", ""))
    form = NoteForm(obj=chosen)
    form.region.choices = [SelectChoice("", "—"), *(SelectChoice(s, s) for s in STATES)]
    form.locale.choices = [
        SelectChoice(code, LANGUAGE_NAMES.get(code, code))
        for code in current_app.config["LANGUAGES"]
    ]
    error = None
    if form.validate_on_submit():
        try:
            state_notes.save(
                topic=topic,
                region=form.region.data or "",
                locale=form.locale.data or "",
                text=form.text.data or "",
                draft=bool(form.draft.data),
                actor=current_user,
            )
        except EditError as exc:
            db.session.rollback()
            error = _refused(exc)
        else:
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("organizer.rights_notes", topic_id=topic.id))
    return render_template(
        "organizer/rights/notes.html",
        topic=topic,
        form=form,
        error=error,
        notes=state_notes.notes(topic),
        button=ButtonForm(),
    )


@bp.post("/rights/<int:topic_id>/notes/<int:note_id>/delete")
@role_required("organizer")
def rights_note_delete(topic_id: int, note_id: int) -> ResponseReturnValue:
    topic = _load(topic_id)
    note = db.session.get(RightsStateNote, note_id)
    if note is None or note.topic_id != topic.id:
        abort(404)
    if ButtonForm().validate_on_submit():
        state_notes.delete(topic=topic, note=note, actor=current_user)
        db.session.commit()
        flash(_("Removed."))
    return redirect(url_for("organizer.rights_notes", topic_id=topic.id))
