"""Parts of the line one by one: organizer hours, employer codes, alerts, help near you, the
`audio missing` and `recordings cleanup` commands."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from organize.extensions import db
from organize.models import Alert, AlertTranslation, Employer
from tests.ivr.conftest import Caller, says


def _window(start: timedelta, end: timedelta) -> str:
    now = datetime.now(UTC)
    return f"Daily {(now + start):%H:%M}-{(now + end):%H:%M} UTC"


@pytest.mark.parametrize(
    ("config", "verb"),
    [
        ({}, "Redirect"),
        ({"HOTLINE_NUMBER": "+15005550100"}, "Dial"),
        ({"HOTLINE_NUMBER": "+15005550100",
          "HOTLINE_HOURS": _window(timedelta(hours=-1), timedelta(hours=1))}, "Dial"),
        ({"HOTLINE_NUMBER": "+15005550100",
          "HOTLINE_HOURS": _window(timedelta(hours=1), timedelta(hours=2))}, "Redirect"),
        ({"HOTLINE_NUMBER": "+15005550100", "HOTLINE_HOURS": "whenever"}, "Dial"),
    ],
)  # fmt: skip
def test_zero_reaches_an_organizer_inside_hotline_hours(app_factory, config, verb):
    app = app_factory(**config)
    with app.app_context():
        root = Caller(app.test_client()).post("/voice/menu?lang=es", Digits="0")
    assert root[-1].tag == verb
    if verb == "Dial":
        assert root.find("./Dial").text == "+15005550100"
        assert root.find("./Dial").attrib["action"] == "/voice/dialed?lang=es"
    else:
        assert root.find("./Redirect").text == "/voice/main?lang=es"


def test_closed_hours_are_said(app_factory):
    app = app_factory(HOTLINE_NUMBER="+15005550100",
                      HOTLINE_HOURS="Mon-Fri 09:00-09:01 America/Chicago")  # fmt: skip
    with app.app_context():
        caller = Caller(app.test_client())
        caller.post("/voice/organizer?lang=en")
    assert "Monday" in caller.text()
    assert "Central" in caller.text()


def test_an_employer_code_from_the_website(seeded, caller):
    employer = db.session.scalar(sa.select(Employer).order_by(Employer.id.desc()))
    caller.post("/voice/menu?lang=en", Digits="2")
    caller.press(f"{employer.id}")
    assert employer.name in caller.text()
    assert caller.press("1").find("./Gather").attrib["action"] == "/voice/review/answer?lang=en&i=0"


def test_an_unknown_employer_is_asked_again_then_goodbye(seeded, caller):
    caller.post("/voice/menu?lang=en", Digits="2")
    for _attempt in range(2):
        assert caller.speak("Nobody Industries Zzyzx").find("./Gather") is not None
    assert caller.speak("Nobody Industries Zzyzx")[-1].tag == "Hangup"


def test_mandarin_callers_hear_an_english_alert_in_an_english_voice(app, caller):
    db.session.add(Alert(status="sent", translations=[
        AlertTranslation(locale="en", title="Rally", body="Friday at noon.")]))  # fmt: skip
    db.session.commit()
    root = caller.post("/voice/menu?lang=zh", Digits="3")
    languages = [s.attrib["language"] for s in says(root)]
    assert languages == ["cmn-CN", "en-US", "en-US", "cmn-CN"]


def test_no_alerts_yet_goes_back_to_the_menu(app, caller):
    root = caller.follow(caller.post("/voice/menu?lang=en", Digits="3"))
    assert root.find("./Gather").attrib["action"] == "/voice/menu?lang=en"


def test_help_near_you_lists_places_in_a_state(seeded, caller):
    caller.post("/voice/menu?lang=es", Digits="5")
    assert "TX" in caller.text()
    places = caller.press("1")
    assert places.find("./Gather").attrib["action"].startswith("/voice/places?lang=es&region=")
    assert "Teléfono" in caller.text()


def test_nine_changes_the_language(app, caller):
    caller.post("/voice/menu?lang=es", Digits="9")
    assert caller.root.find("./Gather").attrib["action"] == "/voice/language"
    assert caller.press("3").find("./Gather").attrib["action"] == "/voice/menu?lang=zh"


def test_audio_missing_lists_prompts_and_topics(app_factory, tmp_path):
    (tmp_path / "ht").mkdir()
    (tmp_path / "ht" / "greeting.mp3").write_bytes(b"ID3")
    app = app_factory(AUDIO_DIR=str(tmp_path), AUDIO_BASE_URL="https://cdn.example.org/a")
    with app.app_context():
        from organize.cli import seed_rights

        seed_rights()
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["audio", "missing"])
    assert result.exit_code == 0, result.output
    lines = set(result.output.splitlines())
    assert "ht\tprompt main_menu" in lines
    assert "ht\tprompt greeting" not in lines
    assert "es\ttopic minimum-wage" in lines
    assert "en\tprompt main_menu" not in lines  # English has a TTS voice


def test_recordings_cleanup_command(runner):
    result = runner.invoke(args=["recordings", "cleanup"])
    assert result.exit_code == 0
    assert "0 recording(s) deleted" in result.output
