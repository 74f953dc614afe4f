"""Alerts: compose, estimate, claim for sending (once), cancel, progress. The fan-out is in
`organize.alerts.fanout`."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from organize import audit
from organize.alerts.bodies import sms_text
from organize.extensions import db
from organize.models import ALERT_CHANNELS, Alert, AlertTranslation, Delivery, Organizer, Subscriber
from organize.outbound.segments import MAX_BODY, measure
from organize.plumbing.i18n import N_, Refused

FALLBACK_LOCALE = "en"
AUDIENCE_KEYS = ("languages", "regions", "industries", "tags")


class AlertError(Refused):
    """An alert refused, for the organizer to read."""


@dataclass(frozen=True)
class LanguageEstimate:
    """What one language's version costs."""

    locale: str
    recipients: int
    encoding: str
    segments: int
    total_segments: int
    cost: float
    fallback: bool


def validate_texts(texts: dict[str, tuple[str, str]]) -> None:
    """English is required (every language falls back to it); bodies fit Twilio's limit."""
    if not texts.get(FALLBACK_LOCALE) or not texts[FALLBACK_LOCALE][1].strip():
        raise AlertError(N_("Write the English text: other languages fall back to it."))
    for locale, (title, body) in texts.items():
        if not title.strip() or not body.strip():
            raise AlertError(
                N_("Each language needs a title and a text (%(locale)s)."), locale=locale
            )
        length = len(f"{title}\n{body}")
        if length > MAX_BODY:
            raise AlertError(
                N_("The %(locale)s text has %(count)d characters; the most is %(limit)d."),
                locale=locale,
                count=length,
                limit=MAX_BODY,
            )


def clean_audience(audience: dict[str, Any]) -> dict[str, list[str]]:
    """Keep known keys with non-empty string lists."""
    cleaned: dict[str, list[str]] = {}
    for key in AUDIENCE_KEYS:
        values = [str(v).strip() for v in audience.get(key) or [] if str(v).strip()]
        if values:
            cleaned[key] = sorted(set(values))
    return cleaned


def create(
    *,
    texts: dict[str, tuple[str, str]],
    channel: str = "sms",
    audience: dict[str, Any] | None = None,
    urgent: bool = False,
    rsvp: bool = False,
    send_at: datetime | None = None,
    actor: Organizer | None = None,
) -> Alert:
    """A draft alert."""
    if channel not in ALERT_CHANNELS:
        raise AlertError(N_("Unknown channel."))
    validate_texts(texts)
    alert = Alert(
        channel=channel,
        audience=clean_audience(audience or {}),
        urgent=urgent,
        rsvp=rsvp,
        send_at=send_at,
        created_by_id=actor.id if actor else None,
        translations=[
            AlertTranslation(locale=loc, title=title.strip(), body=body.strip())
            for loc, (title, body) in sorted(texts.items())
        ],
    )
    db.session.add(alert)
    db.session.flush()
    audit.record(actor=actor, action="alert.create", target_type="alert", target_id=alert.id)
    return alert


def update(
    *,
    alert: Alert,
    texts: dict[str, tuple[str, str]],
    actor: Organizer | None,
    channel: str | None = None,
    audience: dict[str, Any] | None = None,
    urgent: bool | None = None,
    rsvp: bool | None = None,
    send_at: datetime | None = None,
) -> None:
    """Edit a draft (audited): its texts, and whatever else is given. Only a draft: once
    claimed for sending (or scheduled) it is cancelled, not edited, so no two versions go out."""
    if alert.status != "draft":
        raise AlertError(N_("This alert has already gone out."))
    if channel is not None and channel not in ALERT_CHANNELS:
        raise AlertError(N_("Unknown channel."))
    validate_texts(texts)
    by_locale = {t.locale: t for t in alert.translations}
    kept = []
    for loc, (title, body) in sorted(texts.items()):
        translation = by_locale.get(loc) or AlertTranslation(locale=loc, title="", body="")
        translation.title, translation.body = title.strip(), body.strip()
        kept.append(translation)
    alert.translations = kept
    if channel is not None:
        alert.channel = channel
    if audience is not None:
        alert.audience = clean_audience(audience)
    if urgent is not None:
        alert.urgent = urgent
    if rsvp is not None:
        alert.rsvp = rsvp
    alert.send_at = send_at
    audit.record(actor=actor, action="alert.edit", target_type="alert", target_id=alert.id)
    db.session.flush()


def audience_query(audience: dict[str, Any]) -> sa.Select[Subscriber]:
    """Active subscribers matching the audience, in id order (for keyset paging)."""
    stmt = sa.select(Subscriber).where(Subscriber.status == "active")
    if languages := audience.get("languages"):
        stmt = stmt.where(Subscriber.locale.in_(languages))
    if regions := audience.get("regions"):
        stmt = stmt.where(Subscriber.region.in_(regions))
    if industries := audience.get("industries"):
        stmt = stmt.where(Subscriber.industry.in_(industries))
    if tags := audience.get("tags"):
        as_text = sa.cast(Subscriber.tags, sa.String)
        stmt = stmt.where(sa.or_(*[as_text.like(f'%"{tag}"%') for tag in tags]))
    return stmt.order_by(Subscriber.id)


def audience_by_locale(audience: dict[str, Any]) -> Counter[str]:
    """How many active subscribers match, per subscriber language."""
    subquery = audience_query(audience).subquery()
    rows = db.session.execute(
        sa.select(subquery.c.locale, sa.func.count()).group_by(subquery.c.locale)
    ).all()
    return Counter({locale: count for locale, count in rows})


def estimate(*, alert: Alert, price: float, rsvp_line: str) -> list[LanguageEstimate]:
    """Per language actually sent: recipients (with fallbacks), encoding, segments, cost."""
    counts = audience_by_locale(alert.audience)
    grouped: Counter[str] = Counter()
    fallback: set[str] = set()
    for locale, count in counts.items():
        chosen = alert.text_for(locale)
        if chosen is None:
            continue
        grouped[chosen.locale] += count
        if chosen.locale != locale:
            fallback.add(chosen.locale)
    estimates = []
    for translation in alert.translations:
        measured = measure(sms_text(translation, rsvp=alert.rsvp, rsvp_line=rsvp_line))
        recipients = grouped.get(translation.locale, 0)
        total = measured.count * recipients
        estimates.append(
            LanguageEstimate(
                locale=translation.locale,
                recipients=recipients,
                encoding=measured.encoding,
                segments=measured.count,
                total_segments=total,
                cost=round(total * price, 2),
                fallback=translation.locale in fallback,
            )
        )
    return estimates


def progress(*, alert_id: int) -> dict[str, int]:
    """Deliveries per status."""
    rows = db.session.execute(
        sa.select(Delivery.status, sa.func.count())
        .where(Delivery.alert_id == alert_id)
        .group_by(Delivery.status)
    ).all()
    return {status: count for status, count in rows}


def claim_for_sending(*, alert: Alert, actor: Organizer | None) -> bool:
    """draft → sending (or → scheduled when `send_at` is ahead) in one conditional UPDATE:
    two clicks, two organizers, one broadcast."""
    now = datetime.now(UTC)
    later = alert.send_at is not None and alert.send_at > now
    result = db.session.execute(
        sa.update(Alert)
        .where(Alert.id == alert.id, Alert.status == "draft")
        .values(status="scheduled" if later else "sending", sent_at=None if later else now)
    )
    claimed = bool(result.rowcount)  # type: ignore[attr-defined]
    if claimed:
        audit.record(actor=actor, action="alert.send", target_type="alert", target_id=alert.id)
    db.session.flush()
    db.session.refresh(alert)
    return claimed


def release(*, alert_id: int, actor: Organizer | None) -> None:
    """Put an alert whose broadcast could not be queued back to draft (nothing was sent)."""
    db.session.execute(
        sa.update(Alert)
        .where(Alert.id == alert_id, Alert.status.in_(("sending", "scheduled")))
        .values(status="draft", sent_at=None)
    )
    audit.record(actor=actor, action="alert.send-failed", target_type="alert", target_id=alert_id)
    db.session.flush()


def cancel(*, alert: Alert, actor: Organizer | None) -> int:
    """Stop an alert; deliveries not yet claimed are cancelled. Returns how many."""
    if alert.status in {"sent", "cancelled"}:
        raise AlertError(N_("This alert has already finished."))
    alert.status, alert.cancelled_at = "cancelled", datetime.now(UTC)
    result = db.session.execute(
        sa.update(Delivery)
        .where(Delivery.alert_id == alert.id, Delivery.status == "queued")
        .values(status="cancelled", updated_at=datetime.now(UTC))
    )
    audit.record(actor=actor, action="alert.cancel", target_type="alert", target_id=alert.id)
    db.session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
