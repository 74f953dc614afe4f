"""Organizer accounts: creation, password checks with argon2, and the second factor.

A password alone never opens the console: after it, a TOTP code (RFC 6238, `pyotp`) or a
one-time recovery code. The TOTP secret is Fernet-encrypted at rest (`privacy.encrypt`); recovery
codes are argon2 hashes, as passwords are. Wrong codes and wrong password re-checks are counted
per organizer (`plumbing.expiring`): past `ATTEMPTS` in `LOCK_SECONDS` the check refuses without
looking, whichever address the guesses come from.
"""

import hmac
import secrets
import time
from datetime import UTC, datetime

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from organize import audit, privacy
from organize.extensions import db
from organize.models import ROLES, Organizer, RecoveryCode
from organize.plumbing import expiring

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


# --- the second factor ---------------------------------------------------------------------

RECOVERY_CODES = 10
ATTEMPTS = 5
LOCK_SECONDS = 15 * 60
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied by hand


class TooManyAttempts(Exception):
    """Refused without checking: too many wrong codes or passwords lately."""


def enrolled(organizer: Organizer) -> bool:
    """Whether the organizer has confirmed a second factor (the console needs one)."""
    return organizer.totp_enabled_at is not None and organizer.totp_cipher is not None


def enrolment_uri(organizer: Organizer) -> tuple[str, str]:
    """(secret, otpauth URI) for an organizer not yet enrolled; the secret is made once and kept
    encrypted until confirmed, so a reload shows the same QR code."""
    if enrolled(organizer):
        raise ValueError("already enrolled")
    if organizer.totp_cipher is None:
        organizer.totp_cipher = privacy.encrypt(pyotp.random_base32())
        db.session.flush()
    secret = privacy.decrypt(organizer.totp_cipher)
    issuer = str(current_app.config.get("SMS_PROGRAM_NAME") or "organize")
    uri = pyotp.TOTP(secret).provisioning_uri(name=organizer.email, issuer_name=issuer)
    return secret, uri


def _accept_totp(organizer: Organizer, code: str) -> bool:
    """A code of the step before, this one or the next (clock drift), never one already used."""
    if organizer.totp_cipher is None or not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(privacy.decrypt(organizer.totp_cipher))
    now = int(time.time()) // totp.interval
    for step in (now - 1, now, now + 1):
        if step <= (organizer.totp_last_step or -1):
            continue
        if hmac.compare_digest(totp.at(step * totp.interval), code):
            organizer.totp_last_step = step
            return True
    return False


def _format(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _clean(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_codes(*, organizer: Organizer) -> list[str]:
    """Replace the organizer's recovery codes; the plain codes are returned to be shown once."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.organizer_id == organizer.id))
    plain = ["".join(secrets.choice(_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(
        RecoveryCode(organizer_id=organizer.id, lookup=code[:4], code_hash=_hasher.hash(code))
        for code in plain
    )
    db.session.flush()
    return [_format(code) for code in plain]


def recovery_codes_left(*, organizer: Organizer) -> int:
    """Unused recovery codes."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.organizer_id == organizer.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def _use_recovery(organizer: Organizer, code: str) -> bool:
    candidates = db.session.scalars(
        sa.select(RecoveryCode).where(
            RecoveryCode.organizer_id == organizer.id,
            RecoveryCode.lookup == code[:4],
            RecoveryCode.used_at.is_(None),
        )
    )
    for candidate in candidates:
        try:
            _hasher.verify(candidate.code_hash, code)
        except (VerificationError, InvalidHashError):
            continue
        candidate.used_at = datetime.now(UTC)
        audit.record(
            actor=organizer,
            action="organizer.recovery-code-used",
            target_type="organizer",
            target_id=organizer.id,
            detail={"left": recovery_codes_left(organizer=organizer)},
        )
        return True
    return False


def _key(kind: str, organizer: Organizer) -> str:
    return f"attempts:{kind}:{organizer.id}"


def _guard(kind: str, organizer: Organizer) -> None:
    if int(expiring.store().get(_key(kind, organizer)) or 0) >= ATTEMPTS:
        raise TooManyAttempts


def _failed(kind: str, organizer: Organizer) -> None:
    expiring.store().count(_key(kind, organizer), LOCK_SECONDS)


def confirm_enrolment(*, organizer: Organizer, code: str) -> list[str] | None:
    """The first code from the new authenticator: enrolled, with fresh recovery codes (returned
    to be shown once). None when the code is wrong (counted like any wrong code)."""
    _guard("code", organizer)
    if enrolled(organizer) or not _accept_totp(organizer, _clean(code)):
        _failed("code", organizer)
        return None
    organizer.totp_enabled_at = datetime.now(UTC)
    expiring.store().delete(_key("code", organizer))
    audit.record(
        actor=organizer,
        action="organizer.2fa-enrol",
        target_type="organizer",
        target_id=organizer.id,
    )
    return new_recovery_codes(organizer=organizer)


def check_second_factor(*, organizer: Organizer, code: str) -> str | None:
    """ "totp" or "recovery" when the code opens the console, else None; raises
    TooManyAttempts once too many wrong codes were tried."""
    _guard("code", organizer)
    cleaned = _clean(code)
    if enrolled(organizer):
        if _accept_totp(organizer, cleaned):
            expiring.store().delete(_key("code", organizer))
            return "totp"
        if len(cleaned) == 16 and _use_recovery(organizer, cleaned):
            expiring.store().delete(_key("code", organizer))
            return "recovery"
    _failed("code", organizer)
    return None


def reauthenticate(*, organizer: Organizer, password: str, code: str) -> bool:
    """Password and a current code again, before a large send; rate-limited per organizer."""
    _guard("reauth", organizer)
    try:
        _hasher.verify(organizer.password_hash, password)
        password_ok = True
    except (VerificationError, InvalidHashError):
        password_ok = False
    if password_ok and enrolled(organizer) and _accept_totp(organizer, _clean(code)):
        expiring.store().delete(_key("reauth", organizer))
        return True
    _failed("reauth", organizer)
    return False


def reset_second_factor(*, organizer: Organizer, actor: Organizer | None = None) -> None:
    """Forget the secret and recovery codes and end every session: the next sign-in enrols
    again (an admin's remedy for a lost phone with no recovery code left)."""
    organizer.totp_cipher = None
    organizer.totp_enabled_at = None
    organizer.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.organizer_id == organizer.id))
    end_sessions(organizer=organizer)
    audit.record(
        actor=actor, action="organizer.2fa-reset", target_type="organizer", target_id=organizer.id
    )
