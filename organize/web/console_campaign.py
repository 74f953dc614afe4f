"""The console around an alert draft: edit it, save it as a template, test-send it to the
organizer's own phone (kept encrypted, shown masked); and moderation's "mask more"."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from organize.alerts import compose
from organize.campaign import drafts, masking, schedule
from organize.extensions import db
from organize.models import Alert, Review
from organize.redaction.labels import PLACEHOLDERS
from organize.web.alert_forms import COMPOSE_LOCALES, AlertForm
from organize.web.campaign_forms import MaskForm, PhoneForm, TemplateForm, TestSendForm
from organize.web.console_alerts import _audience, _texts
from organize.web.organizer import bp, role_required


def _draft(alert_id: int) -> Alert:
    return db.session.get(Alert, alert_id) or abort(404)


def _form_data(alert: Alert) -> dict[str, object]:
    """The composer filled from a draft (send_at on the organization's clock, naive, as the
    datetime-local field wants it)."""
    audience = alert.audience or {}
    data: dict[str, object] = {
        "channel": alert.channel,
        "languages": audience.get("languages", []),
        "regions": ", ".join(audience.get("regions", [])),
        "industries": audience.get("industries", []),
        "tags": ", ".join(audience.get("tags", [])),
        "urgent": alert.urgent,
        "rsvp": alert.rsvp,
        "send_at": schedule.to_local(alert.send_at).replace(tzinfo=None) if alert.send_at else None,
    }
    for t in alert.translations:
        data[f"title_{t.locale}"], data[f"body_{t.locale}"] = t.title, t.body
    return data


@bp.route("/alerts/<int:alert_id>/edit", methods=["GET", "POST"])
@role_required("organizer")
def alert_edit(alert_id: int) -> ResponseReturnValue:
    """Edit a draft: texts, audience, channel, time. Once sent, an alert is not edited."""
    alert = _draft(alert_id)
    if alert.status != "draft":
        flash(_("This alert has already gone out."))
        return redirect(url_for("organizer.alert_page", alert_id=alert.id))
    form = AlertForm(data=_form_data(alert) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            compose.update(
                alert=alert,
                texts=_texts(form),
                actor=current_user,
                channel=form.channel.data or "sms",
                audience=_audience(form),
                urgent=bool(form.urgent.data),
                rsvp=bool(form.rsvp.data),
                send_at=schedule.to_utc(form.send_at.data) if form.send_at.data else None,
            )
        except compose.AlertError as exc:
            db.session.rollback()
            form.body_en.errors = [_(exc.message, **exc.params)]
        else:
            db.session.commit()
            flash(_("Draft saved."))
            return redirect(url_for("organizer.alert_page", alert_id=alert.id))
    return render_template(
        "organizer/alerts/new.html",
        form=form,
        locales=COMPOSE_LOCALES,
        alert=alert,
        templates=[],
        zone=schedule.org_zone().key,
    )


@bp.post("/alerts/<int:alert_id>/template")
@role_required("organizer")
def alert_template(alert_id: int) -> ResponseReturnValue:
    """Save this alert's texts as a template to start from next time."""
    alert = _draft(alert_id)
    form = TemplateForm()
    if not form.validate_on_submit():
        flash(_("Give the template a name."))
    else:
        try:
            drafts.save_template(alert=alert, name=form.name.data or "", actor=current_user)
            db.session.commit()
            flash(_("Saved as a template."))
        except drafts.DraftError as exc:
            db.session.rollback()
            flash(_(exc.message))
    return redirect(url_for("organizer.alert_page", alert_id=alert.id))


@bp.post("/alerts/<int:alert_id>/test")
@role_required("organizer")
def alert_test(alert_id: int) -> ResponseReturnValue:
    """Text the alert to the organizer's own phone; not counted as part of the broadcast."""
    alert = _draft(alert_id)
    form = TestSendForm()
    form.locale.choices = [(t.locale, t.locale) for t in alert.translations]
    if not form.validate_on_submit():
        abort(400)
    try:
        masked = drafts.test_send(alert=alert, organizer=current_user, locale=form.locale.data)
        db.session.commit()
        flash(_("Test sent to %(number)s.", number=masked))
    except drafts.DraftError as exc:
        db.session.rollback()
        flash(_(exc.message))
    return redirect(url_for("organizer.alert_page", alert_id=alert.id))


@bp.route("/phone", methods=["GET", "POST"])
@role_required("organizer")
def my_phone() -> ResponseReturnValue:
    """The organizer's own number for test sends (encrypted; only its last digits shown)."""
    form = PhoneForm()
    if form.validate_on_submit():
        try:
            drafts.set_phone(organizer=current_user, raw=form.phone.data or "")
        except drafts.DraftError as exc:
            db.session.rollback()
            form.phone.errors = [_(exc.message)]
        else:
            db.session.commit()
            flash(_("Your number is saved."))
            return redirect(url_for("organizer.my_phone"))
    return render_template("organizer/phone.html", form=form, phone=drafts.phone_of(current_user))


def _mask_choices() -> list[tuple[str, str]]:
    return [(kind, _(PLACEHOLDERS[kind])) for kind in masking.MASK_KINDS]


@bp.app_context_processor
def _mask_form() -> dict[str, object]:
    """The moderation queue's "mask more" form (its view is the console's own)."""
    return {"mask_kinds": _mask_choices}


@bp.post("/moderation/<int:review_id>/mask")
@role_required("moderator")
def review_mask(review_id: int) -> ResponseReturnValue:
    """Replace words redaction missed with a placeholder (works without JavaScript; the
    console's script may fill the words from a selection). Audited without the words."""
    review = db.session.get(Review, review_id) or abort(404)
    form = MaskForm()
    form.kind.choices = _mask_choices()
    if not form.validate_on_submit():
        flash(_("Type or select the words to mask (2 to 200 characters)."))
        return redirect(url_for("organizer.moderation"))
    try:
        count = masking.mask_more(
            review=review, phrase=form.phrase.data or "", kind=form.kind.data, actor=current_user
        )
        db.session.commit()
        flash(_("Masked %(num)d times.", num=count))
    except masking.MaskError as exc:
        db.session.rollback()
        flash(_(exc.message))
    return redirect(url_for("organizer.moderation") + f"#r{review.id}-h")
