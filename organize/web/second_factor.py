"""The second step of signing in: a TOTP code, or enrolment the first time (a QR code drawn on
the server as inline SVG, then recovery codes shown once)."""

import segno
from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from organize import audit, organizers
from organize.extensions import db, limiter
from organize.web.forms import CodeForm, NewRecoveryCodesForm
from organize.web.organizer import bp, finish_sign_in, pending_organizer


def qr_svg(uri: str, title: str) -> Markup:
    """The otpauth URI as an inline SVG (no script, no inline style, no image request)."""
    label = str(escape(title))
    svg = segno.make(uri, error="m").svg_inline(scale=4, title=label, svgclass="qr")
    # segno's own markup (paths from the URI's bits) and an escaped label: nothing unescaped.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def enrol() -> ResponseReturnValue:
    """First sign-in: scan the QR code (or type the key), confirm with a first code."""
    pending = pending_organizer()
    if pending is None:
        return redirect(url_for("organizer.login"))
    organizer, next_url = pending
    if organizers.enrolled(organizer):
        return redirect(url_for("organizer.second_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = organizers.confirm_enrolment(organizer=organizer, code=form.code.data or "")
        except organizers.TooManyAttempts:
            codes = None
            form.code.errors = [_("Too many wrong codes. Wait 15 minutes and try again.")]
        else:
            if codes is not None:
                finish_sign_in(organizer, "enrolment")
                db.session.commit()
                return render_template("organizer/recovery_codes.html", codes=codes, next=next_url)
            form.code.errors = [_("That code is not right. Check the time on your phone.")]
        db.session.commit()  # the count of wrong codes
    secret, uri = organizers.enrolment_uri(organizer=organizer)
    db.session.commit()
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template(
        "organizer/enrol.html",
        form=form,
        qr=qr_svg(uri, _("QR code for your authenticator app")),
        secret=spaced,
    )


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def second_factor() -> ResponseReturnValue:
    """The code from the authenticator app, or one recovery code."""
    pending = pending_organizer()
    if pending is None:
        return redirect(url_for("organizer.login"))
    organizer, next_url = pending
    if not organizers.enrolled(organizer):
        return redirect(url_for("organizer.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            how = organizers.check_second_factor(organizer=organizer, code=form.code.data or "")
        except organizers.TooManyAttempts:
            form.code.errors = [_("Too many wrong codes. Wait 15 minutes and try again.")]
        else:
            if how is not None:
                finish_sign_in(organizer, how)
                db.session.commit()
                if how == "recovery":
                    left = organizers.recovery_codes_left(organizer=organizer)
                    return render_template("organizer/recovery_used.html", left=left, next=next_url)
                return redirect(next_url)
            form.code.errors = [_("That code is not right. Check the time on your phone.")]
        db.session.commit()  # the count of wrong codes
    return render_template("organizer/code.html", form=form)


@bp.route("/security", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def security() -> ResponseReturnValue:
    """Recovery codes left, and new ones (the old ones stop working) after the password and a
    current code again."""
    form = NewRecoveryCodesForm()
    if form.validate_on_submit():
        try:
            again = organizers.reauthenticate(
                organizer=current_user,
                password=form.password.data or "",
                code=form.code.data or "",
            )
        except organizers.TooManyAttempts:
            form.code.errors = [_("Too many wrong attempts. Wait 15 minutes and try again.")]
        else:
            if again:
                codes = organizers.new_recovery_codes(organizer=current_user)
                audit.record(
                    actor=current_user,
                    action="organizer.recovery-codes-new",
                    target_type="organizer",
                    target_id=current_user.id,
                )
                db.session.commit()
                next_url = url_for("organizer.dashboard")
                return render_template("organizer/recovery_codes.html", codes=codes, next=next_url)
            form.code.errors = [_("Wrong password or code.")]
        db.session.commit()  # the count of wrong attempts
    return render_template(
        "organizer/security.html",
        form=form,
        left=organizers.recovery_codes_left(organizer=current_user),
    )
