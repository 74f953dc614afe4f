"""The organizer console for alerts: compose with a live segment and cost counter, send (with
the password again above CONFIRM_ABOVE recipients), follow progress, cancel."""

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from organize import organizers
from organize.alerts import compose, deliveries, fanout
from organize.alerts.bodies import rsvp_line, sms_text
from organize.campaign import drafts, progress, schedule
from organize.contacts import roster
from organize.extensions import db
from organize.models import Alert, AlertTemplate, Delivery
from organize.outbound.jobs import QueueUnavailable
from organize.outbound.segments import measure, smart_encode
from organize.plumbing.i18n import LANGUAGE_NAMES, N_
from organize.web.alert_forms import COMPOSE_LOCALES, AlertForm, CancelForm, SendForm
from organize.web.campaign_forms import TemplateForm, TestSendForm
from organize.web.organizer import bp, role_required

# What the console shows for stored codes (alert and delivery statuses, channels), translated.
CONSOLE_LABELS = {
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "cancelled": N_("cancelled"),
    "queued": N_("queued"),
    "delivered": N_("delivered"),
    "undelivered": N_("undelivered"),
    "failed": N_("failed"),
    "skipped": N_("skipped"),
    "answered": N_("answered"),
    "no-answer": N_("no answer"),
    "busy": N_("busy"),
    "sms": N_("SMS"),
    "voice": N_("voice call"),
    "both": N_("SMS and voice call"),
    "web": N_("web"),
}


@bp.app_template_filter("console_label")
def console_label(code: str) -> str:
    """A status or channel code in the organizer's language ("sent" → "enviada")."""
    msgid = CONSOLE_LABELS.get(code)
    return _(msgid) if msgid else code


@bp.app_template_filter("language_name")
def language_name(code: str) -> str:
    """A language code as the language's own name ("es" → "Español"), never a bare code."""
    return LANGUAGE_NAMES.get(code, code)


def _texts(form: AlertForm) -> dict[str, tuple[str, str]]:
    texts = {}
    for locale in COMPOSE_LOCALES:
        title = (getattr(form, f"title_{locale}").data or "").strip()
        body = (getattr(form, f"body_{locale}").data or "").strip()
        if form.smart_encoding.data:
            title, body = smart_encode(title), smart_encode(body)
        if title or body:
            texts[locale] = (title, body)
    return texts


def _audience(form: AlertForm) -> dict[str, list[str]]:
    def split(value: str | None) -> list[str]:
        return [v.strip() for v in (value or "").split(",") if v.strip()]

    chosen = {
        "languages": list(form.languages.data or []),
        "regions": [r.upper() for r in split(form.regions.data)],
        "industries": list(form.industries.data or []),
        "tags": split(form.tags.data),
    }
    return roster.with_saved(chosen, form.saved_audience.data)  # plus a saved audience's filter


@bp.get("/alerts")
@role_required("organizer")
def alert_list() -> str:
    """Every alert, newest first."""
    rows = db.session.scalars(sa.select(Alert).order_by(Alert.id.desc()).limit(100))
    return render_template("organizer/alerts/list.html", alerts=list(rows))


@bp.route("/alerts/new", methods=["GET", "POST"])
@role_required("organizer")
def alert_new() -> ResponseReturnValue:
    """Compose; saving makes a draft (nothing is sent yet)."""
    template_id = request.args.get("template", type=int)
    template = db.session.get(AlertTemplate, template_id) if template_id else None
    form = AlertForm(
        data=drafts.form_data(template) if template and request.method == "GET" else None
    )
    if form.validate_on_submit():
        send_at = schedule.to_utc(form.send_at.data) if form.send_at.data else None
        try:
            alert = compose.create(
                texts=_texts(form),
                channel=form.channel.data or "sms",
                audience=_audience(form),
                urgent=bool(form.urgent.data),
                rsvp=bool(form.rsvp.data),
                send_at=send_at,
                actor=current_user,
            )
        except compose.AlertError as exc:
            form.body_en.errors = [_(exc.message, **exc.params)]
        else:
            db.session.commit()
            return redirect(url_for("organizer.alert_page", alert_id=alert.id))
    return render_template(
        "organizer/alerts/new.html",
        form=form,
        locales=COMPOSE_LOCALES,
        templates=drafts.templates(),
        zone=schedule.org_zone().key,
    )


@bp.get("/alerts/segments")
@role_required("organizer")
def alert_segments() -> ResponseReturnValue:
    """For the live counter: how a text travels (encoding, segments)."""
    text = request.args.get("text", "")[:2000]
    if request.args.get("smart") == "1":
        text = smart_encode(text)
    measured = measure(text)
    return jsonify(
        encoding=measured.encoding,
        segments=measured.count,
        characters=len(text),
        cost=round(measured.count * float(current_app.config["PRICE_PER_SEGMENT"]), 4),
    )


def _load(alert_id: int) -> Alert:
    return db.session.get(Alert, alert_id) or abort(404)


def _progress(alert: Alert) -> dict[str, Any]:
    counts = compose.progress(alert_id=alert.id)
    total = sum(counts.values())
    done = sum(v for k, v in counts.items() if k not in {"queued", "sending"})
    errors = dict(
        db.session.execute(
            sa.select(Delivery.error_code, sa.func.count())
            .where(Delivery.alert_id == alert.id, Delivery.error_code.is_not(None))
            .group_by(Delivery.error_code)
        ).all()
    )
    found = progress.breakdown(alert_id=alert.id, rate=float(current_app.config["SEND_RATE"] or 0))
    finish = progress.finish_at(found)
    return {
        "status": alert.status,
        "counts": counts,
        "total": total,
        "done": done,
        "rsvp": deliveries.rsvp_count(alert_id=alert.id),
        "errors": errors,
        "sent": found.sent,
        "delivered": found.delivered,
        "failed": {_(reason): n for reason, n in found.failed.items()},
        "opted_out": found.opted_out,
        "held": found.held,
        "held_until": schedule.to_local(found.held_until).isoformat() if found.held_until else None,
        "waiting": found.waiting,
        "seconds_left": found.seconds_left if found.waiting else 0,
        "finish_at": schedule.to_local(finish).isoformat() if finish else None,
    }


def _timeline(alert: Alert) -> list[tuple[int, int]]:
    """Deliveries sent per minute since the first one, for the chart."""
    times = [
        moment
        for moment in db.session.scalars(
            sa.select(Delivery.sent_at)
            .where(Delivery.alert_id == alert.id, Delivery.sent_at.is_not(None))
            .order_by(Delivery.sent_at)
        )
        if moment is not None
    ]
    if not times:
        return []
    start, buckets = times[0], dict[int, int]()
    for moment in times:
        minute = int((moment - start).total_seconds() // 60)
        buckets[minute] = buckets.get(minute, 0) + 1
    return [(minute, buckets.get(minute, 0)) for minute in range(max(buckets) + 1)]


@bp.get("/alerts/<int:alert_id>")
@role_required("organizer")
def alert_page(alert_id: int) -> str:
    """Texts, estimate, audience, send / cancel, progress and the delivery chart."""
    alert = _load(alert_id)
    estimate = compose.estimate(
        alert=alert, price=float(current_app.config["PRICE_PER_SEGMENT"]), rsvp_line=rsvp_line("en")
    )
    recipients = sum(e.recipients for e in estimate)
    test_form = TestSendForm()
    test_form.locale.choices = [(t.locale, language_name(t.locale)) for t in alert.translations]
    return render_template(
        "organizer/alerts/show.html",
        alert=alert,
        previews=[
            (t.locale, sms_text(t, rsvp=alert.rsvp, rsvp_line=rsvp_line(t.locale)))
            for t in alert.translations
        ],
        send_at_local=schedule.to_local(alert.send_at) if alert.send_at else None,
        zone=schedule.org_zone().key,
        template_form=TemplateForm(),
        test_form=test_form,
        phone=drafts.phone_of(current_user),
        estimate=estimate,
        recipients=recipients,
        progress=_progress(alert),
        timeline=_timeline(alert),
        send_form=SendForm(),
        cancel_form=CancelForm(),
        needs_password=recipients > int(current_app.config["CONFIRM_ABOVE"]),
    )


@bp.get("/alerts/<int:alert_id>/progress.json")
@role_required("organizer")
def alert_progress(alert_id: int) -> ResponseReturnValue:
    """Counts per status, for the page's few lines of polling JavaScript."""
    return jsonify(_progress(_load(alert_id)))


@bp.post("/alerts/<int:alert_id>/send")
@role_required("organizer")
def alert_send(alert_id: int) -> ResponseReturnValue:
    """Send once; large audiences need the password again; Redis down leaves it a draft."""
    alert = _load(alert_id)
    form = SendForm()
    if not form.validate_on_submit():
        abort(400)
    recipients = sum(compose.audience_by_locale(alert.audience).values())
    if recipients > int(current_app.config["CONFIRM_ABOVE"]):
        try:  # the password and a fresh code again (rate-limited per organizer)
            again = organizers.reauthenticate(
                organizer=current_user,
                password=form.password.data or "",
                code=form.code.data or "",
            )
        except organizers.TooManyAttempts:
            db.session.commit()
            flash(_("Too many wrong attempts. Wait 15 minutes and try again."))
            return redirect(url_for("organizer.alert_page", alert_id=alert.id))
        if not again:
            db.session.commit()  # the count of wrong attempts
            flash(
                _(
                    "To send to %(num)d people, enter your password and a code from your "
                    "authenticator app again.",
                    num=recipients,
                )
            )
            return redirect(url_for("organizer.alert_page", alert_id=alert.id))
    try:
        started = fanout.send(alert=alert, actor=current_user)
    except QueueUnavailable:
        flash(_("The sending queue is not available right now. Nothing was sent; try again soon."))
        return redirect(url_for("organizer.alert_page", alert_id=alert.id))
    if not started:
        flash(_("This alert was already sent."))
    else:  # say what the page will say: a small audience may be done already
        flash(_("Status: %(status)s.", status=console_label(alert.status)))
    return redirect(url_for("organizer.alert_page", alert_id=alert.id))


@bp.post("/alerts/<int:alert_id>/cancel")
@role_required("organizer")
def alert_cancel(alert_id: int) -> ResponseReturnValue:
    """Stop: deliveries not yet claimed are skipped."""
    if not CancelForm().validate_on_submit():
        abort(400)
    try:
        compose.cancel(alert=_load(alert_id), actor=current_user)
        db.session.commit()
        flash(_("Cancelled."))
    except compose.AlertError as exc:
        db.session.rollback()
        flash(_(exc.message))
    return redirect(url_for("organizer.alert_page", alert_id=alert_id))


def chart_bars(timeline: list[tuple[int, int]]) -> dict[str, Any]:
    """The per-minute chart's geometry, bars and both axes (`campaign.progress.chart`)."""
    return progress.chart(timeline)
