"""Organizer accounts: creation and password checks with argon2."""

import hmac
import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from organize.extensions import db
from organize.models import ROLES, Organizer

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a miss costs as long as a hit.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_PASSWORD = 10


def create(*, email: str, password: str, role: str = "organizer") -> Organizer:
    """A new organizer; raises ValueError on a bad role, short password or taken email."""
    email = email.strip().lower()
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must have at least {MIN_PASSWORD} characters")
    if "@" not in email:
        raise ValueError("not an email address")
    if db.session.scalar(sa.select(Organizer.id).where(Organizer.email == email)) is not None:
        raise ValueError("an organizer with that email exists")
    organizer = Organizer(email=email, password_hash=_hasher.hash(password), role=role)
    db.session.add(organizer)
    db.session.flush()
    return organizer


def authenticate(*, email: str, password: str) -> Organizer | None:
    """The active organizer with these credentials, else None (same cost either way)."""
    organizer = db.session.scalar(
        sa.select(Organizer).where(Organizer.email == email.strip().lower())
    )
    try:
        _hasher.verify(organizer.password_hash if organizer else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if organizer is None or not organizer.active:
        return None
    if not organizer.session_nonce:  # an account from before session generations
        organizer.session_nonce = secrets.token_hex(16)
    if _hasher.check_needs_rehash(organizer.password_hash):
        organizer.password_hash = _hasher.hash(password)
    return organizer


def from_session_id(*, session_id: str) -> Organizer | None:
    """The organizer a session id (`<id>.<nonce>`, see `Organizer.get_id`) still belongs to."""
    number, _dot, nonce = session_id.partition(".")
    if not number.isascii() or not number.isdigit() or len(number) > 9 or not nonce:
        return None
    organizer = get(organizer_id=int(number))
    if organizer is None or not hmac.compare_digest(organizer.session_nonce, nonce):
        return None
    return organizer


def end_sessions(*, organizer: Organizer) -> None:
    """A new session generation: every session (and remember cookie) issued before is void."""
    organizer.session_nonce = secrets.token_hex(16)
    db.session.flush()


def get(*, organizer_id: int) -> Organizer | None:
    """Load an organizer by id (Flask-Login's user loader)."""
    return db.session.get(Organizer, organizer_id)
