"""The pipeline against labeled corpora, scored by the shared README rules.

The same floors apply to the shared development corpus (beside the repository, absent in
other clones) and to our own harder cases, which always ship with the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from organize.redaction import redact
from organize.redaction.scoring import STRUCTURED, Score, load_cases, score

DEV_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "pii" / "dev.jsonl"
OWN_CASES = Path(__file__).resolve().parent / "cases.jsonl"
# Written after the pipeline was finished and never used to tune it: the closest thing we
# have to unseen text. Do not "fix" the pipeline against it; add new held-out cases instead.
HELD_OUT = Path(__file__).resolve().parent / "heldout.jsonl"

STRUCTURED_RECALL = 0.95
PERSON_RECALL = 0.85
PRECISION = 0.9


@pytest.fixture(
    scope="module", params=[DEV_CORPUS, OWN_CASES, HELD_OUT], ids=["dev", "cases", "heldout"]
)
def corpus_score(request: pytest.FixtureRequest) -> Score:
    path: Path = request.param
    if not path.exists():
        pytest.skip(f"{path} not found: the shared PII corpus lives beside the repository")
    return score(load_cases(path), lambda text, lang: redact(text, lang).text)


@pytest.mark.parametrize("kind", STRUCTURED)
def test_structured_recall(corpus_score: Score, kind: str) -> None:
    recall = corpus_score.recall(kind)
    misses = [m for m in corpus_score.misses if m[1] == kind]
    assert recall is None or recall >= STRUCTURED_RECALL, misses


def test_person_recall(corpus_score: Score) -> None:
    recall = corpus_score.recall("PERSON")
    misses = [m for m in corpus_score.misses if m[1] == "PERSON"]
    assert recall is None or recall >= PERSON_RECALL, misses


def test_precision(corpus_score: Score) -> None:
    assert corpus_score.precision >= PRECISION, corpus_score.lost_words


def test_keep_words_survive(corpus_score: Score) -> None:
    assert corpus_score.lost_keep == []


def test_own_cases_are_well_formed() -> None:
    cases = load_cases(OWN_CASES)
    assert len(cases) >= 40
    for case in cases:
        for item in case.pii:
            assert case.text[item["start"] : item["end"]] == item["value"], case.id
    assert sum(not case.pii for case in cases) >= 8, "keep plenty of PII-free hard negatives"
