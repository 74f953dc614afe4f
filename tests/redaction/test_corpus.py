"""The pipeline against labeled corpora, scored by the shared README rules.

The same floors apply to the shared development corpus (beside the repository, absent in
other clones) and to our own harder cases, which always ship with the tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pytest

from organize.redaction import redact
from organize.redaction.scoring import STRUCTURED, Score, load_cases, score

# Beside the repository in CI; ORGANIZE_PII_CORPUS points elsewhere (a worktree, a laptop).
DEV_CORPUS = Path(
    os.environ.get("ORGANIZE_PII_CORPUS")
    or Path(__file__).resolve().parents[3] / "shared" / "pii" / "dev.jsonl"
)
OWN_CASES = Path(__file__).resolve().parent / "cases.jsonl"
# Written after the pipeline was finished and never used to tune it: the closest thing we
# have to unseen text. Do not "fix" the pipeline against it; add new held-out cases instead.
HELD_OUT = Path(__file__).resolve().parent / "heldout.jsonl"
# Redaction v2's held-out set: 164 texts in all five languages, names of many origins,
# committed before v2 was tuned (see git log). Its floors are issue 14's targets.
HELD_OUT_V2 = Path(__file__).resolve().parent / "heldout2.jsonl"
# Written after v2 was tuned and only measured (two general bugs it showed were fixed: an
# employer read as a name after "at", a unit word eating "North"): unseen text, honestly.
FRESH = Path(__file__).resolve().parent / "fresh.jsonl"


class Floors(NamedTuple):
    structured: float
    person: float
    precision: float


DEFAULT_FLOORS = Floors(structured=0.95, person=0.85, precision=0.9)
#: Issue 14's targets, on the set written for it.
FLOORS = {"heldout2": Floors(structured=0.98, person=0.95, precision=0.95)}


class Scored(NamedTuple):
    score: Score
    floors: Floors


@pytest.fixture(
    scope="module",
    params=[DEV_CORPUS, OWN_CASES, HELD_OUT, HELD_OUT_V2, FRESH],
    ids=["dev", "cases", "heldout", "heldout2", "fresh"],
)
def scored(request: pytest.FixtureRequest) -> Scored:
    path: Path = request.param
    if not path.exists():
        pytest.skip(f"{path} not found: the shared PII corpus lives beside the repository")
    result = score(load_cases(path), lambda text, lang: redact(text, lang).text)
    return Scored(result, FLOORS.get(path.stem, DEFAULT_FLOORS))


@pytest.mark.parametrize("kind", STRUCTURED)
def test_structured_recall(scored: Scored, kind: str) -> None:
    recall = scored.score.recall(kind)
    misses = [m for m in scored.score.misses if m[1] == kind]
    assert recall is None or recall >= scored.floors.structured, misses


def test_person_recall(scored: Scored) -> None:
    recall = scored.score.recall("PERSON")
    misses = [m for m in scored.score.misses if m[1] == "PERSON"]
    assert recall is None or recall >= scored.floors.person, misses


def test_precision(scored: Scored) -> None:
    assert scored.score.precision >= scored.floors.precision, scored.score.lost_words


def test_employer_words_survive(scored: Scored) -> None:
    """Employer names (``keep`` words) lost: must stay 0 on every corpus."""
    assert scored.score.lost_keep == []


def test_held_out_v2_covers_five_languages_and_is_well_formed() -> None:
    cases = load_cases(HELD_OUT_V2)
    assert len(cases) >= 150
    assert {case.lang for case in cases} == {"en", "es", "zh", "tl", "ht"}
    for case in cases:
        for item in case.pii:
            assert case.text[item["start"] : item["end"]] == item["value"], case.id


def test_own_cases_are_well_formed() -> None:
    cases = load_cases(OWN_CASES)
    assert len(cases) >= 40
    for case in cases:
        for item in case.pii:
            assert case.text[item["start"] : item["end"]] == item["value"], case.id
    assert sum(not case.pii for case in cases) >= 8, "keep plenty of PII-free hard negatives"
