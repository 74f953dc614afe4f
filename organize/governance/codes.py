"""Status codes: ten random digits per review, kept only as a keyed hash.

Random (`secrets`), not derived from anything about the person, the time or the review, so
the code says nothing; digits only, so a basic phone can type it and the phone line can read it
out. The hash is the deployment's blind index (`privacy.blind_index`) under its own prefix: a
stolen database cannot be searched for codes without the key. Wrong codes are counted per
client (the web limiter's rotating hashed key) or per number (its blind index), in expiring
state, and never beside the code they tried.
"""

import secrets

import sqlalchemy as sa
from flask import current_app

from organize import privacy
from organize.extensions import db
from organize.models import Review
from organize.plumbing.expiring import store

LENGTH = 10


def mint() -> str:
    """A new code: ten random digits."""
    return "".join(secrets.choice("0123456789") for _ in range(LENGTH))


def digest(code: str) -> str:
    """The keyed hash stored with the review."""
    return privacy.blind_index(f"review-status:{code}")


def read(typed: str) -> str | None:
    """The code in what someone typed (spaces, dashes and dots forgiven), or None."""
    digits = "".join(ch for ch in typed if ch not in " -.\t#*")
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def spaced(code: str) -> str:
    """Shown in two groups of five, easier to copy."""
    return f"{code[:5]} {code[5:]}"


def spoken(code: str) -> str:
    """Read digit by digit, a pause after the fifth."""
    return ", ".join(code[:5]) + ". " + ", ".join(code[5:])


def find(typed: str) -> Review | None:
    """The review a code belongs to, if any (a malformed code finds nothing, the same way)."""
    code = read(typed)
    if code is None:
        return None
    return db.session.scalar(sa.select(Review).where(Review.status_code_hash == digest(code)))


def _key(client: str) -> str:
    return f"status:misses:{client}"


def blocked(client: str) -> bool:
    """Whether this client (hashed) has used up its wrong tries for the window."""
    used = store().get(_key(client))
    return int(used or 0) >= int(current_app.config["STATUS_MISSES"])


def missed(client: str) -> None:
    """Count one wrong code for this client (hashed); the code itself is not kept."""
    store().count(_key(client), int(current_app.config["STATUS_MISS_WINDOW"]))
