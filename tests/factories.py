"""Small builders for rows, so tests say only what matters to them."""

import contextlib
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import sqlalchemy as sa
from flask import current_app, has_app_context
from flask.testing import FlaskClient

from organize import employers, organizers, privacy, reviews
from organize.extensions import db
from organize.models import Employer, Organizer, Review

PASSWORD = "correct horse battery"
# Every organizer the factories make has this authenticator secret (base32), as if they had
# scanned it at their first sign-in; tests compute the current code from it with pyotp.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Distinct stories, so reviews made in a row are not near-duplicates of each other (a duplicate
# is held back from the k count: `reviews.similarity`).
STORIES = (
    "They paid late every month and yelled at us.",
    "No breaks on the night shift, and the overtime was never paid.",
    "The kitchen was unsafe: wet floors and no gloves for the fryer.",
    "Good supervisor, but hours were cut without notice.",
    "We cleaned offices with bleach and nobody gave us masks.",
    "Checks bounced twice; the owner said to wait for next week.",
    "Fair pay on time, though the parking lot is dark at night.",
    "They took our passports to keep them safe and never gave them back.",
)
_stories = itertools.cycle(STORIES)


def make_employer(name: str = "Sunrise Cleaning", city: str = "Houston", **kw: Any) -> Employer:
    """A listed employer (as an organizer adds one); pass added_by="worker" for a pending one."""
    kw.setdefault("added_by", "organizer")
    employer, _created = employers.add(name=name, city=city, **kw)
    db.session.commit()
    return employer


def make_organizer(
    email: str = "mod@example.org", role: str = "moderator", *, enrolled: bool = True
) -> Organizer:
    """An organizer; `enrolled` (the default) with the second factor set up on TOTP_SECRET."""
    organizer = organizers.create(email=email, password=PASSWORD, role=role)
    if enrolled:
        enrol(organizer)
    db.session.commit()
    return organizer


def enrol(organizer: Organizer, secret: str = TOTP_SECRET) -> None:
    """The state a confirmed enrolment leaves (the caller commits)."""
    organizer.totp_cipher = privacy.encrypt(secret)
    organizer.totp_enabled_at = datetime.now(UTC)


def _app_of(client: FlaskClient) -> Any:
    """The client's app context, unless the test already holds it (then its session is the
    one the requests use, and a second one would see stale rows)."""
    if has_app_context() and current_app._get_current_object() is client.application:  # type: ignore[attr-defined]
        return contextlib.nullcontext()
    return client.application.app_context()


def totp_code(client: FlaskClient, email: str = "mod@example.org") -> str:
    """The organizer's current code. A code is accepted once per 30-second step (replay guard),
    and tests sign in many times a minute: the step last used is forgotten first, as a phone
    would wait for the next one."""
    with _app_of(client):
        organizer = db.session.scalar(sa.select(Organizer).where(Organizer.email == email))
        assert organizer is not None, email
        assert organizer.totp_cipher, f"{email} has no second factor"
        organizer.totp_last_step = None
        secret = privacy.decrypt(organizer.totp_cipher)
        db.session.commit()
    return pyotp.TOTP(secret).now()


def make_review(
    employer: Employer,
    text: str | None = None,
    *,
    status: str = "pending",
    visible_since: timedelta = timedelta(hours=1),
    **ratings: Any,
) -> Review:
    review = reviews.submit(
        employer=employer,
        text=text or next(_stories),
        locale="en",
        channel="web",
        ratings={"pay": ratings.pop("pay", 2), **ratings},
        flags={"wage_theft": True},
        submission_key=reviews.new_submission_key(),
    )
    if status == "approved":
        review.status = "approved"
        review.publish_after = datetime.now(UTC) - visible_since
    elif status == "rejected":
        review.status, review.rejection_reason, review.text = "rejected", "spam", ""
    db.session.commit()
    return review


def login(client: FlaskClient, email: str = "mod@example.org", next: str | None = None) -> str:
    """Sign in with both factors (password, then the current TOTP code); returns where the
    console sends the organizer next."""
    response = client.post(
        "/organizer/login",
        query_string={"next": next} if next is not None else None,
        data={"email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.headers["Location"] == "/organizer/login/code", response.headers["Location"]
    response = client.post("/organizer/login/code", data={"code": totp_code(client, email)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return str(response.headers["Location"])


def dump_database() -> str:
    """Every value in every table as one string, for privacy scans."""
    from organize.models import Base

    chunks = []
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            chunks.append(repr(tuple(row)))
    return "\n".join(chunks)


def appears(needle: str, haystack: str) -> bool:
    """Whether `needle` stands in `haystack` as itself, not inside a longer run of letters and
    digits (a hash, a ciphertext or a timestamp's microseconds can hold any 5 digits by chance)."""
    import re

    return re.search(rf"(?<![0-9A-Za-z]){re.escape(needle)}(?![0-9A-Za-z])", haystack) is not None


def expiring_entries(prefix: str = "") -> dict[str, str]:
    """Every live expiring entry (whichever backend the app uses) whose key starts with
    `prefix`, without the store's own prefix: key → value."""
    from flask import current_app

    from organize.extensions import rq
    from organize.plumbing.expiring import PREFIX

    if current_app.config.get("REDIS_URL"):
        connection = rq.queue.connection
        found = {}
        for raw in connection.scan_iter(f"{PREFIX}{prefix}*"):
            value = connection.get(raw)
            if value is not None:
                found[raw.decode()[len(PREFIX) :]] = value.decode()
        return found
    db.session.expire_all()
    rows = db.session.scalars(sa_select_entries(prefix)).all()
    now = datetime.now(UTC)
    return {row.key: row.value for row in rows if row.expires_at > now}


def sa_select_entries(prefix: str) -> Any:
    import sqlalchemy as sa

    from organize.models import ExpiringEntry

    return sa.select(ExpiringEntry).where(ExpiringEntry.key.startswith(prefix, autoescape=True))


def conversation_of(number: str = "+17135550142") -> Any:
    """The SMS conversation in progress for a number (None when there is none)."""
    from organize import privacy
    from sms import state

    db.session.expire_all()
    return state.load(phone_hash=privacy.phone(number).hash)
