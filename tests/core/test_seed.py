"""The shipped seed content stays valid (categories, ratings, SMS summary lengths …)."""

import runpy
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "organize" / "seed" / "check_seed.py"


def test_seed_content_passes_its_checks(capsys):
    namespace = runpy.run_path(str(SCRIPT))
    assert namespace["main"]() == 0, capsys.readouterr()
