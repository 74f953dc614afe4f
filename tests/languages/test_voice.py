"""By phone, in each language: after choosing it, the line speaks (or plays) that language and
never English or Spanish instead; the language menu offers each language in its own words."""

import pytest

from organize import audio
from tests.languages.detect import language_of, translated

SAY = {"es": "es-MX", "zh": "cmn-CN", "tl": "fil-PH"}
MAIN_MENU = (
    "To hear your rights, press 1. To leave an anonymous review of an employer, press 2. "
    "To hear the latest action alert, press 3. To get action alerts by text, press 4. "
    "For help near you, press 5. To talk to an organizer, press 0. "
    "To hear this again, press star."
)
BASE = "https://cdn.example.org/audio"


def _choose(caller, app, locale: str):
    caller.call()
    return caller.press(str(app.config["LANGUAGES"].index(locale) + 1))


@pytest.mark.parametrize("locale", ["es", "zh", "tl"])
def test_main_menu_speaks_the_chosen_language(app, caller, locale):
    root = _choose(caller, app, locale)
    says = list(root.iter("Say"))
    assert {s.attrib["language"] for s in says} == {SAY[locale]}
    text = " ".join(s.text or "" for s in says)
    assert translated(locale, MAIN_MENU) in text
    assert language_of(text) == locale


@pytest.fixture
def recorded_app(app_factory, tmp_path):
    """A line whose Kreyòl recordings exist (stand-ins: what `audio synthesize` would write)."""
    app = app_factory(AUDIO_DIR=str(tmp_path), AUDIO_BASE_URL=BASE)
    with app.app_context():
        from organize.cli import seed_rights
        from organize.extensions import db

        seed_rights()
        db.session.commit()
        from ivr import synthesis

        (tmp_path / "ht").mkdir()
        for key in synthesis.texts("ht"):
            (tmp_path / "ht" / f"{key}{audio.EXTENSION}").write_bytes(b"ID3")
        assert audio.missing()["ht"] == []
        yield app


def test_kreyol_main_menu_plays_its_recordings(recorded_app):
    from tests.ivr.conftest import Caller

    caller = Caller(recorded_app.test_client())
    root = _choose(caller, recorded_app, "ht")
    plays = [p.text for p in root.iter("Play")]
    assert f"{BASE}/ht/main_menu.mp3" in plays
    assert f"{BASE}/ht/change_language.mp3" in plays
    assert list(root.iter("Say")) == []  # nothing spoken in another language


def test_kreyol_rights_menu_and_topic_play_recordings(recorded_app):
    from tests.ivr.conftest import Caller

    caller = Caller(recorded_app.test_client())
    _choose(caller, recorded_app, "ht")
    menu = caller.press("1")
    assert list(menu.iter("Say")) == []
    plays = [p.text or "" for p in menu.iter("Play")]
    assert any(p.endswith("/ht/topic-option-breaks-and-meals.mp3") for p in plays)
    topic = caller.press("1")
    assert f"{BASE}/ht/topic-breaks-and-meals.mp3" in [p.text for p in topic.iter("Play")]
    assert list(topic.iter("Say")) == []


def test_kreyol_without_recordings_reads_kreyol_never_spanish(app, caller):
    root = _choose(caller, app, "ht")
    says = list(root.iter("Say"))
    assert says
    assert {s.attrib["language"] for s in says} == {"fr-FR"}
    text = " ".join(s.text or "" for s in says)
    assert translated("ht", MAIN_MENU) in text
    assert language_of(text) == "ht"


def test_language_menu_offers_each_language_in_its_own_words(app, caller):
    root = caller.call()
    gather = root.find("./Gather")
    options = [s for s in gather.iter("Say")]
    by_language = {s.attrib["language"]: s.text or "" for s in options}
    names = {
        "en": "English",
        "es": "Español",
        "zh": "中文",
        "tl": "Tagalog",
        "ht": "Kreyòl ayisyen",
    }
    voices = {"en": "en-US", **SAY, "ht": "fr-FR"}
    for digit, locale in enumerate(app.config["LANGUAGES"], start=1):
        wanted = translated(
            locale, "For %(language)s, press %(digit)s.", language=names[locale], digit=digit
        )
        assert by_language[voices[locale]] == wanted


def test_language_menu_plays_the_kreyol_option_when_recorded(recorded_app):
    from tests.ivr.conftest import Caller

    root = Caller(recorded_app.test_client()).call()
    plays = [p.text for p in root.find("./Gather").iter("Play")]
    assert plays == [f"{BASE}/ht/language_option.mp3"]
    assert "es-MX" in {s.attrib["language"] for s in root.iter("Say")}  # Español, in Spanish


def test_without_a_cdn_the_app_serves_its_own_recordings(app_factory, tmp_path):
    (tmp_path / "ht").mkdir()
    (tmp_path / "ht" / "main_menu.mp3").write_bytes(b"ID3 kreyol")
    app = app_factory(AUDIO_DIR=str(tmp_path))
    from tests.ivr.conftest import Caller

    client = app.test_client()
    root = _choose(Caller(client), app, "ht")
    # Under PUBLIC_URL when set; here, relative to the webhook (Twilio resolves it so).
    assert "/voice/audio/ht/main_menu.mp3" in [p.text for p in root.iter("Play")]
    with client.get("/voice/audio/ht/main_menu.mp3") as served:
        assert served.status_code == 200
        assert served.data == b"ID3 kreyol"
    assert client.get("/voice/audio/ht/..%2Fsecrets.json").status_code == 404
    assert client.get("/voice/audio/xx/main_menu.mp3").status_code == 404
