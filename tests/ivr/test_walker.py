"""Walk every branch of the phone line in every language (see tests/ivr/walker.py)."""

import pytest

from organize.extensions import db
from organize.models import Alert, AlertTranslation
from tests.ivr.conftest import Caller
from tests.ivr.walker import walk

PROMPT = {"en": "en-US", "es": "es-MX", "zh": "cmn-CN", "tl": "fil-PH", "ht": "fr-FR"}
SPEECH = {"en": "en-US", "es": "es-MX", "zh": "cmn-Hans-CN", "tl": "fil-PH", "ht": "fr-FR"}
# Topics exist in every language; the seeded alert only in English and Spanish, so it is heard
# in English (Kreyòl words without a recording are read by a French voice, never Spanish).
ALLOWED = {
    "": set(PROMPT.values()),
    "en": {"en-US"},
    "es": {"es-MX"},
    "zh": {"cmn-CN", "en-US"},
    "tl": {"fil-PH", "en-US"},
    "ht": {"fr-FR", "en-US"},
}


@pytest.fixture(params=[{}], ids=["speech"])
def line(app_factory, request):
    app = app_factory(HOTLINE_NUMBER="+15005550100", **request.param)
    with app.app_context():
        from organize.cli import seed_employers_and_reviews, seed_resources, seed_rights

        seed_rights()
        seed_resources()
        seed_employers_and_reviews()
        alert = Alert(
            status="sent",
            translations=[
                AlertTranslation(
                    locale="en", title="Rally Friday", body="Meet at noon at city hall."
                ),
                AlertTranslation(
                    locale="es", title="Marcha el viernes", body="A mediodía, en el ayuntamiento."
                ),
            ],
        )
        db.session.add(alert)
        db.session.commit()
        yield app


@pytest.mark.parametrize("lang", ["en", "es", "zh", "tl", "ht"])
def test_every_path_ends_or_returns_to_a_menu(line, lang):
    report = walk(Caller(line.test_client()), ALLOWED, SPEECH, only=lang)
    assert not report.failures, "\n".join(report.failures[:20])
    print(f"walker {lang}: {report.edges[lang]} paths, ends {dict(report.ends)}")
    assert report.edges[lang] > 300
    assert report.ends[(lang, "hangup")] > 0
    assert report.ends[(lang, "dial")] > 0
    for screen in (
        "/voice/rights",
        "/voice/topic",
        "/voice/review/answer",
        "/voice/review/confirm",
        "/voice/subscribe",
        "/voice/places",
        "/voice/alerts",
        "/voice/dialed",
    ):
        assert screen in report.screens


@pytest.mark.parametrize("line", [{"VOICE_RECORD_LOCALES": ["en"]}], ids=["record"], indirect=True)
def test_the_recorded_story_has_no_dead_ends_either(line):
    report = walk(Caller(line.test_client()), ALLOWED, SPEECH, only="en")
    assert not report.failures, "\n".join(report.failures[:20])
    print(f"walker en (record): {report.edges['en']} paths, ends {dict(report.ends)}")
    assert {"/voice/review/recorded", "/voice/review/wait"} <= report.screens
