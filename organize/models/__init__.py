"""Every model, imported here so Alembic and `db.create_all` see the whole schema."""

from organize.models.alerts import (
    ALERT_CHANNELS,
    ALERT_STATUSES,
    DELIVERY_STATUSES,
    ActionNotice,
    Alert,
    AlertTranslation,
    Delivery,
)
from organize.models.base import Base
from organize.models.campaign import AlertTemplate, InboxMessage, InboxThread, OrganizerPhone
from organize.models.employers import Employer, EmployerAlias
from organize.models.governance import (
    CASE_KINDS,
    OUTCOMES,
    PanelCase,
    PanelVote,
    RuleVersion,
)
from organize.models.organizers import ROLES, AuditEvent, Organizer, RecoveryCode
from organize.models.outbound import OutboxMessage, PendingBlank, PendingRecording, PendingText
from organize.models.resources import RESOURCE_KINDS, Resource
from organize.models.retention import DeliveryTally
from organize.models.reviews import CHANNELS, FLAG_FIELDS, RATING_FIELDS, STATUSES, Review
from organize.models.rights import RightsStateNote, RightsTopic, RightsTranslation
from organize.models.subscribers import (
    SUBSCRIBER_STATUSES,
    Contact,
    ExpiringEntry,
    SavedAudience,
    Subscriber,
)

__all__ = [
    "ALERT_CHANNELS",
    "ALERT_STATUSES",
    "CASE_KINDS",
    "CHANNELS",
    "DELIVERY_STATUSES",
    "FLAG_FIELDS",
    "OUTCOMES",
    "RATING_FIELDS",
    "RESOURCE_KINDS",
    "ROLES",
    "STATUSES",
    "SUBSCRIBER_STATUSES",
    "ActionNotice",
    "Alert",
    "AlertTemplate",
    "AlertTranslation",
    "AuditEvent",
    "Base",
    "Contact",
    "Delivery",
    "DeliveryTally",
    "Employer",
    "EmployerAlias",
    "ExpiringEntry",
    "InboxMessage",
    "InboxThread",
    "Organizer",
    "OrganizerPhone",
    "OutboxMessage",
    "PanelCase",
    "PanelVote",
    "PendingBlank",
    "PendingRecording",
    "PendingText",
    "RecoveryCode",
    "Resource",
    "Review",
    "RightsStateNote",
    "RightsTopic",
    "RightsTranslation",
    "RuleVersion",
    "SavedAudience",
    "Subscriber",
]
