"""The moderation rules, as data: what gets a review rejected and why, versioned.

Version 1 of each rule is built in: its title and explanation are catalog msgids, translated
like every other string. The panel changes rules at run time (`panel`), and a vote cannot wait
for a release of the catalogs, so every later version carries its own text per language in
`RuleVersion.texts` (English at least; a missing language shows the English). The rule keys
are what `Review.rejection_reason` holds, so counts stay comparable across versions.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from organize.extensions import db
from organize.models import RuleVersion
from organize.plumbing.i18n import N_, current_locale

# key → (title, explanation): the rules as they stood before the panel (version 1).
BUILT_IN: dict[str, tuple[str, str]] = {
    "personal-data": (
        N_("Identifies a person despite redaction"),
        N_("A review must not let anyone guess who wrote it, or name a coworker."),
    ),
    "threat-or-hate": (
        N_("Threats, hate or harassment"),
        N_("No threats, insults about who someone is, or harassment of anyone."),
    ),
    "not-about-work": (
        N_("Not about working there"),
        N_("A review tells what it was like to work for this employer."),
    ),
    "spam": (
        N_("Spam or advertising"),
        N_("No advertising, links to sell things or repeated messages."),
    ),
    "duplicate": (
        N_("Duplicate of another review"),
        N_("One story is counted once, even when it is sent by web, text and phone."),
    ),
    "other": (
        N_("Other"),
        N_("Anything else a moderator must explain to the panel if it is appealed."),
    ),
}


@dataclass(frozen=True)
class Rule:
    """One version of a rule, in the reader's language."""

    key: str
    version: int
    title: str
    explanation: str
    retired: bool
    effective_on: date | None  # None: since the start


def _localized(row: RuleVersion) -> tuple[str, str]:
    texts = row.texts.get(current_locale()) or row.texts.get("en") or {}
    return str(texts.get("title", row.key)), str(texts.get("explanation", ""))


def _from_row(row: RuleVersion) -> Rule:
    title, explanation = _localized(row)
    return Rule(row.key, row.version, title, explanation, row.retired, row.effective_on)


def _built_in(key: str) -> Rule:
    title, explanation = BUILT_IN[key]
    return Rule(key, 1, _(title), _(explanation), False, None)


def _rows() -> list[RuleVersion]:
    stmt = sa.select(RuleVersion).order_by(RuleVersion.key, RuleVersion.version)
    return list(db.session.scalars(stmt))


def history() -> list[Rule]:
    """Every version of every rule, newest change first (built-in versions last)."""
    changed = sorted(
        (_from_row(r) for r in _rows()),
        key=lambda r: (r.effective_on or date.min, r.version),
        reverse=True,
    )
    return changed + [_built_in(key) for key in BUILT_IN]


def current(*, with_retired: bool = False) -> list[Rule]:
    """The rules in force: each key's latest version (built-in order first, then new keys)."""
    latest: dict[str, Rule] = {key: _built_in(key) for key in BUILT_IN}
    for row in _rows():
        latest[row.key] = _from_row(row)
    return [r for r in latest.values() if with_retired or not r.retired]


def titles() -> dict[str, str]:
    """key → title in the reader's language, retired rules included (old decisions cite them)."""
    return {r.key: r.title for r in current(with_retired=True)}


def in_force(key: str) -> bool:
    """Whether a moderator may reject under this rule now."""
    return any(r.key == key for r in current())


def next_version(key: str) -> int:
    """The version number a change to `key` would get."""
    latest = db.session.scalar(
        sa.select(sa.func.max(RuleVersion.version)).where(RuleVersion.key == key)
    )
    return int(latest or (1 if key in BUILT_IN else 0)) + 1
