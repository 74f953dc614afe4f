"""The organizer editor's services: rights topics (texts, sources, review, publishing, audio)
and help-near-you resources (one at a time or a CSV import). Every change is audited."""

from organize.plumbing.i18n import Refused


class EditError(Refused):
    """An edit refused, for the organizer to read."""
