"""Every model, imported here so Alembic and `db.create_all` see the whole schema."""

from organize.models.alerts import ALERT_STATUSES, Alert, AlertTranslation
from organize.models.base import Base
from organize.models.employers import Employer, EmployerAlias
from organize.models.organizers import ROLES, AuditEvent, Organizer
from organize.models.outbound import OutboxMessage, PendingRecording
from organize.models.resources import RESOURCE_KINDS, Resource
from organize.models.reviews import CHANNELS, FLAG_FIELDS, RATING_FIELDS, STATUSES, Review
from organize.models.rights import RightsTopic, RightsTranslation
from organize.models.subscribers import (
    SUBSCRIBER_STATUSES,
    Contact,
    Conversation,
    InboundMessage,
    Subscriber,
)

__all__ = [
    "ALERT_STATUSES",
    "CHANNELS",
    "FLAG_FIELDS",
    "RATING_FIELDS",
    "RESOURCE_KINDS",
    "ROLES",
    "STATUSES",
    "SUBSCRIBER_STATUSES",
    "Alert",
    "AlertTranslation",
    "AuditEvent",
    "Base",
    "Contact",
    "Conversation",
    "Employer",
    "EmployerAlias",
    "InboundMessage",
    "Organizer",
    "OutboxMessage",
    "PendingRecording",
    "Resource",
    "Review",
    "RightsTopic",
    "RightsTranslation",
    "Subscriber",
]
