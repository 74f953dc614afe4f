"""The shipped seed content stays valid (categories, ratings, SMS summary lengths …)."""

import runpy
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "organize" / "seed" / "check_seed.py"


def test_seed_content_passes_its_checks(capsys):
    namespace = runpy.run_path(str(SCRIPT))
    assert namespace["main"]() == 0, capsys.readouterr()


def _rights_problems(tmp_path, monkeypatch, edit):
    """The checker's rights problems for a copy of one shipped topic, edited by `edit`."""
    namespace = runpy.run_path(str(SCRIPT))
    (tmp_path / "rights").mkdir(exist_ok=True)
    text = (SCRIPT.parent / "rights" / "overtime.toml").read_text(encoding="utf-8")
    (tmp_path / "rights" / "overtime.toml").write_text(edit(text), encoding="utf-8")
    check = namespace["check_rights"]
    monkeypatch.setitem(check.__globals__, "SEED_DIR", tmp_path)
    report = namespace["Report"]()
    check(report)
    return [p for p in report.problems if "expected at least" not in p]


def test_the_checker_wants_a_reviewer_entered_by_a_person(tmp_path, monkeypatch):
    assert _rights_problems(tmp_path, monkeypatch, lambda t: t) == []
    missing = _rights_problems(
        tmp_path, monkeypatch, lambda t: t.replace('reviewed_by = "organize volunteer team', "#")
    )
    assert any("reviewed_by" in p for p in missing)


def test_the_checker_wants_an_official_source(tmp_path, monkeypatch):
    problems = _rights_problems(tmp_path, monkeypatch, lambda t: t.replace("www.dol.gov", "x.org"))
    assert any("official (.gov) source" in p for p in problems)


def test_the_checker_keeps_a_topic_by_text_within_three_segments(tmp_path, monkeypatch):
    long = "Overtime is time and a half after forty hours in a week, every week. " * 4
    problems = _rights_problems(
        tmp_path,
        monkeypatch,
        lambda t: t.replace('summary = "In most jobs,', f'summary = "{long.strip()[:295]}', 1),
    )
    assert any("3 SMS segments" in p for p in problems)


def test_the_checker_keeps_state_notes_textable_and_named_by_state(tmp_path, monkeypatch):
    long = "Daily overtime after eight hours, double time after twelve. " * 8
    problems = _rights_problems(
        tmp_path, monkeypatch, lambda t: t.replace('en = "California: overtime', f'en = "{long}', 1)
    )
    assert any("note, advice line and link pass 3 SMS segments" in p for p in problems)
    problems = _rights_problems(
        tmp_path, monkeypatch, lambda t: t.replace('state = "CO"', 'state = "ZZ"')
    )
    assert any("two-letter state code" in p for p in problems)
    problems = _rights_problems(
        tmp_path, monkeypatch, lambda t: t.replace('es = "Colorado:', '# es = "')
    )
    assert any("missing the es text" in p for p in problems)
