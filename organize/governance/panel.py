"""The workers' panel: votes, decisions and rule proposals.

A case is decided by a majority of the members who vote before it closes (PANEL_VOTE_DAYS),
with at least PANEL_QUORUM votes; a tie keeps things as they are. It is decided early once the
remaining members could not change the outcome. Without a quorum when it closes, it stays open
for another window. Only members with the "panel" role vote — not admins, not organizers.
Every vote and every decision is audited; the audit names the voter but not the vote, the vote
is stored under a keyed hash of case and member (`ballot`), and the public sees counts only.
"""

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from organize import audit, privacy, reviews
from organize.extensions import db
from organize.governance import rules
from organize.governance.appeals import CaseError, open_case, today
from organize.models import OUTCOMES, Organizer, PanelCase, PanelVote, RuleVersion
from organize.ops.retention import register_purge
from organize.plumbing.i18n import N_

TITLE_MAX = 120
EXPLANATION_MAX = 500


def is_member(person: Organizer) -> bool:
    """Panel members only: an admin's every-role pass does not make them one."""
    return person.role == "panel" and person.active


def member_count() -> int:
    """Active panel members (the electorate for early decisions)."""
    stmt = sa.select(sa.func.count()).select_from(Organizer)
    return int(db.session.scalar(stmt.where(Organizer.role == "panel", Organizer.active)) or 0)


def open_cases() -> list[PanelCase]:
    """What the panel has to decide, oldest first."""
    stmt = sa.select(PanelCase).where(PanelCase.status == "open").order_by(PanelCase.id)
    return list(db.session.scalars(stmt))


def ballot(case_id: int, member: Organizer) -> str:
    """The keyed hash a vote is stored under: one per member and case, naming neither."""
    return privacy.blind_index(f"panel-ballot:{case_id}:{member.id}")


def voted_on(member: Organizer) -> set[int]:
    """The open cases this member already voted on."""
    ballots = {ballot(case.id, member): case.id for case in open_cases()}
    stmt = sa.select(PanelVote.ballot).where(PanelVote.ballot.in_(list(ballots)))
    return {ballots[b] for b in db.session.scalars(stmt)}


def vote(*, case: PanelCase, member: Organizer, yes: bool, on: date | None = None) -> None:
    """One member's vote; the case is settled when the outcome is certain."""
    if not is_member(member):
        raise CaseError(N_("Only panel members vote."))
    if case.status != "open":
        raise CaseError(N_("This case was already decided."))
    mark = ballot(case.id, member)
    if db.session.scalar(sa.select(PanelVote.id).where(PanelVote.ballot == mark)) is not None:
        raise CaseError(N_("You already voted on this case."))
    db.session.add(PanelVote(case_id=case.id, ballot=mark, yes=yes))
    if yes:
        case.votes_yes += 1
    else:
        case.votes_no += 1
    audit.record(actor=member, action="panel.vote", target_type="panel_case", target_id=case.id)
    settle(case, on=on)


def settle(case: PanelCase, *, on: date | None = None) -> None:
    """Decide the case if its outcome is certain, or if it has closed with a quorum."""
    on = on or today()
    yes, no = case.votes_yes, case.votes_no
    remaining = max(member_count() - yes - no, 0)
    quorum = yes + no >= int(current_app.config["PANEL_QUORUM"])
    if quorum and yes > no + remaining:
        _decide(case, True, on)
    elif quorum and yes + remaining <= no:
        _decide(case, False, on)
    elif on >= case.closes_on and quorum:
        _decide(case, yes > no, on)
    elif on >= case.closes_on:
        case.closes_on = on + timedelta(days=int(current_app.config["PANEL_VOTE_DAYS"]))
        audit.record(actor=None, action="panel.extend", target_type="panel_case", target_id=case.id)
    db.session.flush()


def close_due(*, on: date | None = None) -> int:
    """Settle every open case whose window has ended (run by the panel page and the CLI)."""
    on = on or today()
    due = [c for c in open_cases() if c.closes_on <= on]
    for case in due:
        settle(case, on=on)
    return len(due)


# The retention sweep (hourly, the RQ cron) settles cases whose window ended, so a decision does
# not wait for someone to open the panel's page.
register_purge("panel-windows", lambda now: close_due(on=now.date()))


def _decide(case: PanelCase, yes: bool, on: date) -> None:
    case.status = OUTCOMES[case.kind][0 if yes else 1]
    case.decided_on = on
    review = case.review
    if case.kind == "appeal" and review is not None:
        if yes:
            reviews.reinstate(review=review)
        else:
            review.text = ""  # upheld: nothing left to keep it for
    elif case.kind == "flag" and review is not None and yes:
        review.status, review.rejection_reason, review.text = "rejected", case.rule_key, ""
        review.rejected_on = on
    elif case.kind == "rule" and yes and case.proposal:
        _adopt(case, on)
    audit.record(
        actor=None,
        action=f"panel.decide.{case.kind}",
        target_type="panel_case",
        target_id=case.id,
        detail={"outcome": case.status, "yes": case.votes_yes, "no": case.votes_no},
    )


def _adopt(case: PanelCase, on: date) -> None:
    proposal: dict[str, Any] = case.proposal or {}
    key = str(proposal["key"])
    db.session.add(
        RuleVersion(
            key=key,
            version=rules.next_version(key),
            texts=proposal.get("texts", {}),
            retired=bool(proposal.get("retire")),
            effective_on=on,
            case_id=case.id,
        )
    )


def propose(
    *, actor: Organizer, key: str, texts: dict[str, dict[str, str]], retire: bool = False
) -> PanelCase:
    """A change to one rule (new, reworded or retired) for the panel to vote on. Anyone signed
    in to the console may propose; only the panel decides."""
    key = "-".join(key.lower().split())[:30]
    english = texts.get("en", {})
    if not key or not key.replace("-", "").isalnum():
        raise CaseError(N_("Give the rule a short key of letters, digits and dashes."))
    if not retire and not english.get("title", "").strip():
        raise CaseError(N_("Give the rule a title in English at least."))
    if retire and not rules.in_force(key):
        raise CaseError(N_("There is no such rule in force."))
    cleaned = {
        locale: {
            "title": t.get("title", "").strip()[:TITLE_MAX],
            "explanation": t.get("explanation", "").strip()[:EXPLANATION_MAX],
        }
        for locale, t in texts.items()
        if t.get("title", "").strip()
    }
    case = open_case(
        kind="rule", rule_key=key, proposal={"key": key, "texts": cleaned, "retire": retire}
    )
    audit.record(actor=actor, action="rule.propose", target_type="panel_case", target_id=case.id)
    return case
