"""Action notices from workers: strikes and walk-outs they know of first.

Reported from the web or by SMS, redacted like a review (the employer's name like a
worker-added employer's: contact details and IDs go, a family's name stays), verified by an
organizer before anyone sees them; a verified notice can become an alert draft in one click.
"""

from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from babel.dates import format_time
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _

from organize import audit, employers
from organize.alerts import compose
from organize.extensions import db
from organize.models import ActionNotice, Alert, Organizer
from organize.plumbing.i18n import N_
from organize.plumbing.text import clean
from organize.redaction import redact

MAX_WHAT = 1000


class NoticeError(ValueError):
    """Refused; `message` is an untranslated msgid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def report(
    *,
    what: str,
    place: str = "",
    when_text: str = "",
    employer_name: str = "",
    channel: str = "web",
    locale: str = "en",
) -> ActionNotice:
    """Store a redacted notice, pending verification."""
    what, place, when_text = clean(what), clean(place)[:300], clean(when_text)[:200]
    if not what:
        raise NoticeError(N_("Tell us what is happening."))
    if len(what) > MAX_WHAT:
        raise NoticeError(N_("Please keep it under 1,000 characters."))
    report_counts: dict[str, int] = {}
    redacted = []
    for text in (what, place, when_text):
        result = redact(text, locale)
        redacted.append(result.text)
        for kind, count in result.report.items():
            report_counts[kind] = report_counts.get(kind, 0) + count
    today = datetime.now(UTC).date()
    notice = ActionNotice(
        what=redacted[0],
        place=redacted[1],
        when_text=redacted[2],
        employer_name=employers.redact_field(employer_name, locale=locale)[:200],
        channel=channel,
        locale=locale,
        redaction_report=report_counts,
        submitted_month=date(today.year, today.month, 1),
    )
    db.session.add(notice)
    db.session.flush()
    return notice


def redact_answer(text: str, locale: str) -> str:
    """One answer of an SMS report, redacted as it arrives (conversation state stays clean)."""
    return redact(clean(text), locale).text


def pending() -> list[ActionNotice]:
    """The verification queue, oldest first."""
    stmt = sa.select(ActionNotice).where(ActionNotice.status == "pending").order_by(ActionNotice.id)
    return list(db.session.scalars(stmt))


def verified(*, limit: int = 20) -> list[ActionNotice]:
    """What the public may see, newest first."""
    stmt = (
        sa.select(ActionNotice)
        .where(ActionNotice.status == "verified")
        .order_by(ActionNotice.verified_at.desc(), ActionNotice.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def decide(*, notice: ActionNotice, actor: Organizer, verify: bool) -> None:
    """Verify (shown publicly) or reject (its text is dropped)."""
    if notice.status != "pending":
        raise NoticeError(N_("This notice was already decided."))
    if verify:
        notice.status, notice.verified_at = "verified", datetime.now(UTC)
    else:
        notice.status, notice.what, notice.place, notice.when_text = "rejected", "", "", ""
    action = "notice.verify" if verify else "notice.reject"
    audit.record(actor=actor, action=action, target_type="notice", target_id=notice.id)
    db.session.flush()


def edit(
    *,
    notice: ActionNotice,
    actor: Organizer,
    what: str,
    employer_name: str,
    place: str,
    when_text: str,
    when_date: date | None,
    when_time: time | None,
) -> None:
    """Correct a notice before verifying it (an employer recorded as "SI", a "mañana" with no
    date). What the organizer types is redacted like the report was; the audit says which
    fields changed, never their text."""
    if notice.status != "pending":
        raise NoticeError(N_("Only a notice waiting for verification can be edited."))
    what = clean(what)
    if not what:
        raise NoticeError(N_("Tell us what is happening."))
    if len(what) > MAX_WHAT:
        raise NoticeError(N_("Please keep it under 1,000 characters."))
    new = {
        "what": redact(what, notice.locale).text,
        "place": redact(clean(place)[:300], notice.locale).text,
        "when_text": redact(clean(when_text)[:200], notice.locale).text,
        "employer_name": employers.redact_field(employer_name, locale=notice.locale)[:200],
        "when_date": when_date,
        "when_time": when_time,
    }
    changed = sorted(name for name, value in new.items() if getattr(notice, name) != value)
    for name, value in new.items():
        setattr(notice, name, value)
    audit.record(
        actor=actor,
        action="notice.edit",
        target_type="notice",
        target_id=notice.id,
        detail={"fields": changed},
    )
    db.session.flush()


def when(notice: ActionNotice, *, words: bool = True) -> str:
    """When it happens, in the current locale: the organizer's date (and time) when set,
    then the reporter's own words ("Friday, December 4, 2026, 6:00 AM · mañana 6am")."""
    parts = []
    if notice.when_date is not None:
        day = format_date(notice.when_date, "full")
        parts.append(
            f"{day}, {format_time(notice.when_time, 'short', locale=get_locale())}"
            if notice.when_time
            else day
        )
    if notice.when_text and words:
        parts.append(notice.when_text)
    return " · ".join(parts)


def draft_text(*, notice: ActionNotice, locale: str) -> tuple[str, str]:
    """The draft's title and body in `locale`: the labels in that language, and the worker's
    own words (what, when) only in the language they wrote in — never Spanish in the English
    body. The place and employer are names, shown in every language."""
    with force_locale(locale):
        if notice.employer_name:
            title = _("Action at %(employer)s", employer=notice.employer_name)
        else:
            title = _("Action")
        if locale == notice.locale:
            lines = [notice.what]
        elif employer := notice.employer_name:
            lines = [_("Workers report a strike or action at %(employer)s.", employer=employer)]
        else:
            lines = [_("Workers report a strike or action.")]
        if notice.place:
            lines.append(_("Where: %(place)s", place=notice.place))
        # A date is a date in every language; the reporter's words only in their own.
        if said := when(notice, words=locale == notice.locale):
            lines.append(_("When: %(when)s", when=said))
    return title[:200], "\n".join(lines)


def draft_alert(*, notice: ActionNotice, actor: Organizer) -> Alert:
    """One click from a verified notice to an alert draft: English (required, the fallback)
    and the reporter's language, each filled in its own language (`draft_text`)."""
    if notice.status != "verified":
        raise NoticeError(N_("Verify the notice first."))
    locales = sorted({"en", notice.locale})
    texts = {locale: draft_text(notice=notice, locale=locale) for locale in locales}
    alert = compose.create(texts=texts, actor=actor)
    notice.alert_id = alert.id
    db.session.flush()
    return alert
