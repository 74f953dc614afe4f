"""Kreyòl recordings made by `flask audio synthesize`: nobody here can listen, so measure what
can be measured — every file decodes, none is silence, and its pace (seconds per word) falls in
the range of the same prompts spoken in English and Spanish. Needs espeak-ng and sox (CI
installs them; locally the tests skip without them)."""

import array
import math
import os
import statistics
import subprocess
from pathlib import Path

import pytest

from organize import audio

PACE_KEYS = ("greeting", "main_menu", "rights_intro", "rate_pay", "goodbye", "story_prompt",
             "review_thanks", "topic_options")  # fmt: skip
RATE = 8000


@pytest.fixture(autouse=True)
def _tools():
    problem = audio.synthesizer_problem()
    if problem and os.environ.get("CI"):
        pytest.fail(problem)  # CI installs them (.ci/run): missing there is a failure
    if problem:
        pytest.skip(problem)


def decode(path: Path) -> tuple[float, float]:
    """(seconds, RMS amplitude 0..1) of an audio file, decoded by sox to 16-bit PCM."""
    raw = subprocess.run(  # noqa: S603
        ["sox", str(path), "-t", "raw", "-r", str(RATE), "-e", "signed", "-b", "16", "-c", "1",  # noqa: S607
         "-"],
        check=True,
        capture_output=True,
    ).stdout  # fmt: skip
    samples = array.array("h", raw)
    assert samples, path
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    return len(samples) / RATE, rms


def pace(path: Path, text: str) -> float:
    seconds, _rms = decode(path)
    return seconds / len(text.split())


@pytest.fixture
def line(app_factory, tmp_path):
    app = app_factory(AUDIO_DIR=str(tmp_path), AUDIO_BASE_URL="https://cdn.example.org/audio")
    with app.app_context():
        from organize.cli import seed_rights
        from organize.extensions import db

        seed_rights()
        db.session.commit()
        yield app


def test_synthesize_fills_what_is_missing_with_speech(line, tmp_path):
    runner = line.test_cli_runner()
    before = runner.invoke(args=["audio", "missing", "--locale", "ht"])
    assert "prompt main_menu" in before.output
    assert "topic overtime" in before.output
    made = runner.invoke(args=["audio", "synthesize", "--locale", "ht"])
    assert made.exit_code == 0, made.output
    after = runner.invoke(args=["audio", "missing", "--locale", "ht"])
    assert after.output.strip() == "0 missing"  # nothing listed

    manifest = audio.load_manifest("ht")
    files = sorted((tmp_path / "ht").glob("*.mp3"))
    assert len(files) == len(manifest) >= len(audio.PROMPT_KEYS) - 1
    paces = {}
    for path in files:
        seconds, rms = decode(path)
        assert seconds > 0.5, path.name
        assert rms > 0.02, f"{path.name} is silence (RMS {rms:.4f})"
        paces[path.stem] = seconds / len(manifest[path.stem]["text"].split())

    # The same prompts in English and Spanish, spoken by the same engine, set the range.
    from flask_babel import force_locale

    from ivr import prompts

    others = {}
    for locale in ("en", "es"):
        with force_locale(locale):
            texts = {key: prompts.line(key).text for key in PACE_KEYS}
        speeds = []
        for key, text in texts.items():
            target = tmp_path / "pace" / locale / f"{key}.mp3"
            audio.synthesize_file(text, locale, target)
            speeds.append(pace(target, text))
        others[locale] = statistics.median(speeds)
    low, high = min(others.values()), max(others.values())
    kreyol = statistics.median(paces[key] for key in PACE_KEYS)
    print(f"seconds per word: ht {kreyol:.3f}, en {others['en']:.3f}, es {others['es']:.3f}")
    assert 0.8 * low <= kreyol <= 1.25 * high
    assert all(0.5 * low <= p <= 2.0 * high for p in paces.values()), paces


def test_a_persons_recording_is_never_overwritten(line, tmp_path):
    folder = tmp_path / "ht"
    folder.mkdir()
    human = folder / "goodbye.mp3"
    human.write_bytes(b"recorded by a person")
    written, kept = audio.synthesize({"goodbye": "Orevwa.", "one_moment": "Yon ti moman."}, "ht")
    assert (written, kept) == (["one_moment"], ["goodbye"])
    assert human.read_bytes() == b"recorded by a person"

    # A synthesized file a person later replaces is theirs too, even when the words change.
    (folder / "one_moment.mp3").write_bytes(b"a person's better take")
    written, kept = audio.synthesize({"one_moment": "Yon ti moman, tanpri."}, "ht")
    assert (written, kept) == ([], ["one_moment"])
    assert (folder / "one_moment.mp3").read_bytes() == b"a person's better take"


def test_changed_words_remake_our_own_recording(line, tmp_path):
    audio.synthesize({"goodbye": "Orevwa."}, "ht")
    first = (tmp_path / "ht" / "goodbye.mp3").read_bytes()
    assert audio.synthesize({"goodbye": "Orevwa."}, "ht") == ([], [])
    assert audio.synthesize({"goodbye": "Mèsi paske ou rele. Orevwa."}, "ht") == (["goodbye"], [])
    assert (tmp_path / "ht" / "goodbye.mp3").read_bytes() != first
