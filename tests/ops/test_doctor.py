"""`flask doctor` names what is wrong in plain words, and passes a sound deployment's settings."""

import subprocess
import sys
from pathlib import Path

from organize.ops import doctor, serve
from tests.ops.conftest import worker_alive

ROOT = Path(__file__).resolve().parents[2]
SOUND = {
    "SECRET_KEY": "k" * 40,
    "PHONE_HASH_KEY": "h" * 40,
    "PUBLIC_URL": "https://organize.example.org",
    "TRUSTED_PROXIES": 1,
    "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
    "TWILIO_AUTH_TOKEN": "fedcba9876543210" * 2,
    "TWILIO_FROM": "+15125550123",
    "HOTLINE_NUMBER": "+15125550188",
    "HOTLINE_HOURS": "Mon-Fri 09:00-17:00 America/Chicago",
}


def _texts(findings, level):
    return [text for found, text in findings if found == level]


def test_a_sound_configuration_passes_the_setting_checks(app_factory):
    app = app_factory(**SOUND)
    with app.app_context():
        config = app.config
        findings = [
            *doctor.check_secrets(config),
            *doctor.check_public_url(config),
            *doctor.check_twilio(config),
            *doctor.check_hotline(config, app.extensions["ops"]["parse_hours"]),
        ]
    assert _texts(findings, doctor.FAIL) == []
    assert _texts(findings, doctor.WARN) == []


def test_each_problem_is_named(app_factory):
    app = app_factory(
        SECRET_KEY="same-value-" * 4,
        PHONE_HASH_KEY="same-value-" * 4,
        PUBLIC_URL="http://organize.example.org",
        TWILIO_ACCOUNT_SID="AC123",
        TWILIO_AUTH_TOKEN="token",
        TWILIO_FROM="+1 555 123",
        HOTLINE_NUMBER="+15125550188",
        HOTLINE_HOURS="weekdays, nine to five",
        REDIS_URL=None,
    )
    with app.app_context():
        findings = doctor.run(parse_hours=app.extensions["ops"]["parse_hours"])
    failed = "\n".join(_texts(findings, doctor.FAIL))
    for words in (
        "ORGANIZE_ENV is not production",
        "must all be different",
        "PUBLIC_URL must be an https:// address",
        "TWILIO_ACCOUNT_SID should be AC",
        "TWILIO_AUTH_TOKEN should be 32",
        "TWILIO_FROM should be a number in E.164",
        "HOTLINE_HOURS is not understood",
        "REDIS_URL is not set",
    ):
        assert words in failed
    assert "same-value" not in failed  # secrets are named, never shown


def test_the_command_reports_a_running_worker_and_exits_1_on_problems(redis_app):
    from organize.extensions import rq

    worker = worker_alive(rq.queue.connection)
    result = redis_app.test_cli_runner().invoke(args=["doctor"])
    worker.register_death()
    assert result.exit_code == 1
    assert "ok    Redis reachable" in result.output
    assert "ok    1 worker(s) running" in result.output
    assert "ok    catalogs compiled" in result.output
    assert "problem(s) to fix" in result.output


def test_make_serve_refuses_without_production_settings_and_names_them(tmp_path):
    assert serve.missing({"SECRET_KEY": "x", "REDIS_URL": " "}) == [
        name for name in serve.REQUIRED if name != "SECRET_KEY"
    ]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SECRET_KEY": "x"}
    done = subprocess.run(
        [sys.executable, "-m", "organize.ops.serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "missing: PHONE_HASH_KEY, ENCRYPTION_KEY, DATABASE_URL, REDIS_URL" in done.stderr
    assert "SECRET_KEY," not in done.stderr
