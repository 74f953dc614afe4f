"""The organizer editor's services: rights topics (texts, sources, review, publishing, audio)
and help-near-you resources (one at a time or a CSV import). Every change is audited."""

from typing import Any


class EditError(ValueError):
    """Refused; `message` is an untranslated msgid for the organizer, `params` its values."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message, self.params = message, params
