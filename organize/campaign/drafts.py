"""Around an alert draft: templates to start from, and a test send to the organizer's own
phone (through the one-off text seam, never a `Delivery`: it is not part of the broadcast and
is not counted in its progress)."""

from typing import Any

import sqlalchemy as sa

from organize import audit, privacy
from organize.alerts.bodies import rsvp_line, sms_text
from organize.extensions import db
from organize.models import Alert, AlertTemplate, Organizer, OrganizerPhone
from organize.outbound import texts
from organize.plumbing.i18n import N_


class DraftError(ValueError):
    """Refused; `message` is an untranslated msgid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def save_template(*, alert: Alert, name: str, actor: Organizer) -> AlertTemplate:
    """Keep an alert's texts, channel and RSVP as a template (the audience and time are
    chosen anew each time)."""
    name = name.strip()[:120]
    if not name:
        raise DraftError(N_("Give the template a name."))
    template = AlertTemplate(
        name=name,
        channel=alert.channel,
        rsvp=alert.rsvp,
        texts={t.locale: [t.title, t.body] for t in alert.translations},
        created_by_id=actor.id,
    )
    db.session.add(template)
    db.session.flush()
    audit.record(
        actor=actor, action="template.create", target_type="template", target_id=template.id
    )
    return template


def templates() -> list[AlertTemplate]:
    """Every template, by name."""
    return list(db.session.scalars(sa.select(AlertTemplate).order_by(AlertTemplate.name)))


def form_data(template: AlertTemplate) -> dict[str, Any]:
    """What the composer starts with, from a template."""
    data: dict[str, Any] = {"channel": template.channel, "rsvp": template.rsvp}
    for locale, (title, body) in (template.texts or {}).items():
        data[f"title_{locale}"], data[f"body_{locale}"] = title, body
    return data


def phone_of(organizer: Organizer) -> OrganizerPhone | None:
    """The organizer's own number (encrypted, shown masked), if they gave one."""
    return db.session.get(OrganizerPhone, organizer.id)


def set_phone(*, organizer: Organizer, raw: str) -> OrganizerPhone:
    """Keep the organizer's number for test sends: encrypted, shown masked."""
    e164 = privacy.normalize(raw)
    if e164 is None:
        raise DraftError(N_("That does not look like a phone number."))
    row = phone_of(organizer) or OrganizerPhone(organizer_id=organizer.id)
    row.phone_cipher, row.masked = privacy.encrypt(e164), privacy.mask(e164)
    db.session.add(row)
    audit.record(actor=organizer, action="organizer.phone", target_type="organizer")
    db.session.flush()
    return row


def test_send(*, alert: Alert, organizer: Organizer, locale: str) -> str:
    """Text the alert, as a subscriber speaking `locale` would get it, to the organizer's own
    phone. Returns the masked number it went to."""
    phone = phone_of(organizer)
    if phone is None:
        raise DraftError(N_("Add your own phone number first."))
    translation = alert.text_for(locale)
    if translation is None:
        raise DraftError(N_("This alert has no text yet."))
    body = sms_text(translation, rsvp=alert.rsvp, rsvp_line=rsvp_line(translation.locale))
    texts.queue_text(e164=privacy.decrypt(phone.phone_cipher), body=body)
    audit.record(
        actor=organizer,
        action="alert.test-send",
        target_type="alert",
        target_id=alert.id,
        detail={"locale": translation.locale},
    )
    db.session.flush()
    return phone.masked
