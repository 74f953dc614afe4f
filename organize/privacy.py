"""Phone numbers: parsed by phonenumbers, kept only as a blind index or encrypted.

- `phone_hash` = HMAC-SHA256(PHONE_HASH_KEY, E.164): the same number always gives the same key,
  so rows can be found by it, but the number cannot be read back from it.
- Subscribers' numbers, needed to text them, are Fernet-encrypted with `ENCRYPTION_KEY`; several
  comma-separated keys make a MultiFernet (the first encrypts; all decrypt) for key rotation.
"""

import functools
import hashlib
import hmac
from dataclasses import dataclass

import phonenumbers
from cryptography.fernet import Fernet, MultiFernet
from flask import current_app

DEFAULT_REGION = "US"


@dataclass(frozen=True)
class Phone:
    """A sender as the app may hold it in memory: E.164 (when it parses) and its blind index."""

    e164: str | None
    hash: str


@functools.lru_cache(maxsize=4096)
def normalize(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 for a number Twilio sent us, or None for short codes and alphanumeric senders.
    Cached (in memory only): a text parses its sender more than once, and a burst of replies
    comes from the same numbers again and again."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def blind_index(value: str) -> str:
    """HMAC-SHA256 hex of a normalized sender with the deployment's PHONE_HASH_KEY."""
    key = str(current_app.config["PHONE_HASH_KEY"]).encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def phone(raw: str) -> Phone:
    """Parse a sender once; unparseable senders (short codes, names) still get a stable hash."""
    e164 = normalize(raw)
    return Phone(e164=e164, hash=blind_index(e164 or f"raw:{(raw or '').strip().lower()}"))


def _fernet() -> MultiFernet:
    return _fernet_for(str(current_app.config["ENCRYPTION_KEY"]))


@functools.lru_cache(maxsize=8)
def _fernet_for(setting: str) -> MultiFernet:
    """Built once per key setting: a broadcast decrypts a number per message."""
    keys = [k.strip() for k in setting.split(",") if k.strip()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(e164: str) -> str:
    """Encrypt a number for storage."""
    return _fernet().encrypt(e164.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a stored number (any configured key)."""
    return _fernet().decrypt(token.encode()).decode()


def decrypt_many(tokens: list[str]) -> list[str]:
    """`decrypt` for a run of numbers (a broadcast's chunk): the keys looked up once."""
    fernet = _fernet()
    return [fernet.decrypt(token.encode()).decode() for token in tokens]


def rotate(token: str) -> str:
    """Re-encrypt with the first (newest) key."""
    return _fernet().rotate(token.encode()).decode()


def mask(e164: str) -> str:
    """What organizers may see: country code and last two digits only."""
    digits = e164.lstrip("+")
    return f"+{digits[:1]}•••••••{digits[-2:]}" if len(digits) > 4 else "•••"
