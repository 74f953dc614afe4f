"""Every model, imported here so Alembic and `db.create_all` see the whole schema."""

from organize.models.base import Base
from organize.models.employers import Employer, EmployerAlias
from organize.models.organizers import ROLES, AuditEvent, Organizer
from organize.models.reviews import CHANNELS, FLAG_FIELDS, RATING_FIELDS, STATUSES, Review
from organize.models.rights import RightsTopic, RightsTranslation

__all__ = [
    "CHANNELS",
    "FLAG_FIELDS",
    "RATING_FIELDS",
    "ROLES",
    "STATUSES",
    "AuditEvent",
    "Base",
    "Employer",
    "EmployerAlias",
    "Organizer",
    "Review",
    "RightsTopic",
    "RightsTranslation",
]
