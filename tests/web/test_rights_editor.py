"""The rights editor (issue 11): organizers create, translate, review, record and publish topics;
readers see only published topics, and drafts say so; every change is in the audit log."""

import io
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from organize import rights
from organize.editing import recordings
from organize.extensions import db
from organize.models import AuditEvent, RightsTopic
from organize.outbound.segments import measure
from tests.factories import login, make_organizer, totp_code
from tests.ivr.conftest import Caller

# An MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz), then silence: an MP3 by its bytes.
MP3 = b"\xff\xfb\x90\x64" + bytes(4000)
DRAFT_LINE = "This translation is a draft: a native speaker has not checked it yet."
GOV = "https://www.dol.gov/agencies/whd/minimum-wage"


@pytest.fixture
def editor_app(app_factory, tmp_path):
    app = app_factory(AUDIO_DIR=str(tmp_path / "audio"))
    with app.app_context():
        yield app


@pytest.fixture
def organizer(editor_app):
    client = editor_app.test_client()
    make_organizer("org@example.org", role="organizer")
    login(client, "org@example.org")
    return client


def _topic() -> RightsTopic:
    return db.session.scalars(sa.select(RightsTopic).where(RightsTopic.slug == "pay-stubs")).one()


def _create(client, slug="pay-stubs"):
    response = client.post(
        "/organizer/rights/new",
        data={"slug": slug, "category": "pay", "title": "Pay stubs"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return _topic()


def _write(client, topic, locale, **fields):
    data = {
        "title": "Pay stubs",
        "summary": "You have a right to a pay stub.",
        "body": "Ask for it.",
    }
    response = client.post(f"/organizer/rights/{topic.id}/{locale}", data={**data, **fields})
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    return response.get_data(as_text=True)


def _sources(client, topic, *pairs):
    data = {"category": "pay", "position": "5", "source_label": [], "source_url": []}
    for label, url in pairs:
        data["source_label"].append(label)
        data["source_url"].append(url)
    return client.post(f"/organizer/rights/{topic.id}", data=data)


def _review(client, topic, locale, reviewer="Worker center legal team"):
    return client.post(
        f"/organizer/rights/{topic.id}/{locale}/review",
        data={"reviewer": reviewer, "on": "2026-11-01", "reviewed": "1"},
    )


def _actions(topic) -> list[str]:
    stmt = sa.select(AuditEvent.action).where(
        AuditEvent.target_type == "rights_topic", AuditEvent.target_id == topic.id
    )
    return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


def test_a_moderator_without_the_organizer_role_cannot_edit(editor_app):
    client = editor_app.test_client()
    make_organizer("mod@example.org", role="moderator")
    login(client, "mod@example.org")
    assert client.get("/organizer/rights").status_code == 403
    assert client.get("/organizer/resources").status_code == 403


def test_a_new_topic_is_unpublished_and_reaches_no_reader(organizer):
    topic = _create(organizer)
    assert not topic.published
    assert organizer.get("/rights/pay-stubs").status_code == 404
    assert "pay-stubs" not in [t.slug for t in rights.topics(locale="en")]
    listing = organizer.get("/organizer/rights").get_data(as_text=True)
    assert "Pay stubs" in listing
    assert "draft" in listing


def test_saving_a_summary_shows_its_segments_as_sent(organizer):
    topic = _create(organizer)
    summary = "Tiene derecho a un talón de pago con sus horas y descuentos. " * 3
    page = _write(organizer, topic, "es", title="Talones de pago", summary=summary)
    with force_locale("es"):
        advice, more = rights.not_legal_advice_sms(), _("Reply RIGHTS for all topics.")
    link = "http://localhost/rights/pay-stubs?lang=es"
    sent = f"Talones de pago: {summary.strip()}\n{advice}\n{link}\n{more}"
    expected = measure(sent)
    assert expected.count > 1
    assert f"{expected.count} segments" in page
    assert expected.encoding in page
    assert 'data-segments="summary"' in page  # the live counter's hook


def test_publishing_needs_the_english_text_then_the_page_shows_it(organizer):
    topic = _create(organizer)
    organizer.post(f"/organizer/rights/{topic.id}/publish", data={"published": "1"})
    assert not _topic().published
    _write(organizer, topic, "en", body="## Your pay stub\n\nAsk for it <script>alert(1)</script>")
    organizer.post(f"/organizer/rights/{topic.id}/publish", data={"published": "1"})
    assert _topic().published
    console = organizer.get(f"/organizer/rights/{topic.id}/en").get_data(as_text=True)
    assert "<h2>Your pay stub</h2>" in console  # the editor's preview, sanitized the same way
    assert "<script>alert" not in console
    page = organizer.get("/rights/pay-stubs?lang=en").get_data(as_text=True)
    assert "<h2>Your pay stub</h2>" in page
    assert "<script>alert" not in page
    assert "This text is a draft: it has not been reviewed yet." in page  # nobody reviewed it
    organizer.post(f"/organizer/rights/{topic.id}/publish", data={"published": "0"})
    assert organizer.get("/rights/pay-stubs").status_code == 404
    assert _actions(topic)[-2:] == ["rights.publish", "rights.unpublish"]


def test_review_needs_an_official_source_and_a_reviewer(organizer):
    topic = _create(organizer)
    _write(organizer, topic, "en")
    _sources(organizer, topic, ("A blog", "https://example.org/pay"))
    _review(organizer, topic, "en")
    assert topic.translations[0].draft  # no .gov source: refused
    _sources(organizer, topic, ("A blog", "https://example.org/pay"), ("DOL", GOV))
    _review(organizer, topic, "en", reviewer="  ")
    assert topic.translations[0].draft  # nobody named: refused
    _review(organizer, topic, "en")
    db.session.refresh(topic)
    english = topic.translations[0]
    assert not english.draft
    assert english.reviewed_by == "Worker center legal team"
    assert topic.reviewed_by == "Worker center legal team"
    assert str(topic.reviewed_on) == "2026-11-01"


def test_a_source_without_a_web_address_is_refused(organizer):
    topic = _create(organizer)
    response = _sources(organizer, topic, ("DOL", "dol.gov"))
    assert "Each source needs a label and a web address" in response.get_data(as_text=True)
    assert _topic().sources == []


def test_readers_see_the_draft_line_only_until_a_review(organizer):
    topic = _create(organizer)
    _write(organizer, topic, "en")
    _write(
        organizer, topic, "es", title="Talones de pago", summary="Pida su talón.", body="Pídalo."
    )
    _sources(organizer, topic, ("DOL", GOV))
    organizer.post(f"/organizer/rights/{topic.id}/publish", data={"published": "1"})
    with force_locale("es"):
        draft_line = _(DRAFT_LINE)
    assert draft_line != DRAFT_LINE
    assert draft_line in organizer.get("/rights/pay-stubs?lang=es").get_data(as_text=True)
    _review(organizer, topic, "es", reviewer="Centro de Trabajadores, equipo legal")
    page = organizer.get("/rights/pay-stubs?lang=es").get_data(as_text=True)
    assert draft_line not in page
    assert "Centro de Trabajadores, equipo legal" in page
    # Changing the words undoes the review: it vouched for other words.
    _write(organizer, topic, "es", title="Talones de pago", summary="Pida su talón.", body="Otro.")
    assert draft_line in organizer.get("/rights/pay-stubs?lang=es").get_data(as_text=True)


def test_every_change_is_in_the_topic_history(organizer):
    topic = _create(organizer)
    _write(organizer, topic, "en")
    _sources(organizer, topic, ("DOL", GOV))
    _review(organizer, topic, "en")
    _write(organizer, topic, "en", body="Changed.")
    assert _actions(topic) == [
        "rights.create",
        "rights.text",
        "rights.settings",
        "rights.reviewed",
        "rights.text",
    ]
    last = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "rights.text")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert last.detail["changed"] == {"body": {"from": "Ask for it.", "to": "Changed."}}
    assert last.detail["review_reset"] is True
    page = organizer.get(f"/organizer/rights/{topic.id}").get_data(as_text=True)
    assert page.count("rights.text") == 2
    assert "rights.reviewed" in page


def test_an_mp3_is_known_by_its_bytes():
    tag = b"ID3\x04\x00\x00" + bytes([0, 0, 1, 0])  # a 128-byte ID3v2 tag
    assert recordings.looks_like_mp3(tag + bytes(128) + MP3)
    assert recordings.looks_like_mp3(tag + bytes(128) + bytes(50) + MP3)  # padding
    assert not recordings.looks_like_mp3(tag + bytes(128) + b"<script>" + bytes(100))
    assert not recordings.looks_like_mp3(b"\xff\xfb\xf0\x64" + bytes(100))  # a "bad" bitrate
    assert not recordings.looks_like_mp3(b"OggS" + bytes(100))


def _upload(client, topic, locale, data, name="novela.mp3"):
    return client.post(
        f"/organizer/rights/{topic.id}/{locale}/audio",
        data={"recording": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    "data",
    [b"<html>not audio</html>" + bytes(2000), b"RIFF\x00\x00WAVEfmt " + bytes(2000), MP3[:100]],
    ids=["html", "wav", "too-short"],
)
def test_an_upload_that_is_not_an_mp3_is_refused(organizer, data):
    topic = _create(organizer)
    _write(organizer, topic, "es", title="Talones")
    response = _upload(organizer, topic, "es", data)
    assert response.status_code == 302
    assert not recordings.path_for(topic, "es").exists()
    assert topic.translations[-1].audio_url is None
    assert "rights.audio" not in _actions(topic)


def test_an_upload_past_the_size_limit_is_refused(organizer, monkeypatch):
    monkeypatch.setattr(recordings, "MAX_BYTES", 2048)
    topic = _create(organizer)
    _write(organizer, topic, "es", title="Talones")
    response = _upload(organizer, topic, "es", MP3)  # 4 KB: under the body limit, over the file's
    assert response.status_code in (302, 413)
    assert not recordings.path_for(topic, "es").exists()
    response = _upload(organizer, topic, "es", MP3 + bytes(200_000))  # past the request's limit
    assert response.status_code == 413
    assert not recordings.path_for(topic, "es").exists()


def test_a_recording_bigger_than_a_form_post_uploads(organizer):
    topic = _create(organizer)
    _write(organizer, topic, "es", title="Talones")
    big = MP3 + bytes(400_000)  # past MAX_CONTENT_LENGTH (256 KB), within the audio limit
    assert _upload(organizer, topic, "es", big).status_code == 302
    assert recordings.path_for(topic, "es").read_bytes() == big


def test_the_phone_line_plays_the_uploaded_recording_in_that_language(organizer, editor_app):
    topic = _create(organizer)
    _write(organizer, topic, "en")
    _write(
        organizer, topic, "es", title="Talones de pago", summary="Pida su talón.", body="Pídalo."
    )
    organizer.post(f"/organizer/rights/{topic.id}/publish", data={"published": "1"})
    assert _upload(organizer, topic, "es", MP3).status_code == 302
    url = topic.translations[-1].audio_url
    assert url.startswith("/voice/audio/es/topic-pay-stubs.mp3?v=")
    assert "rights.audio" in _actions(topic)

    def topic_twiml(lang: str) -> ElementTree.Element:
        caller = Caller(editor_app.test_client())
        caller.post(f"/voice/menu?lang={lang}", Digits="1")
        slugs = [t.slug for t in rights.topics(locale=lang)]
        return caller.press(str(slugs.index("pay-stubs") + 1))

    played = [p.text for p in topic_twiml("es").iter("Play")]
    assert played == [url]
    with editor_app.test_client().get(url) as served:
        assert served.data == MP3  # the URL serves the bytes uploaded
    assert [p.text for p in topic_twiml("en").iter("Play")] == []  # English has no recording

    organizer.post(f"/organizer/rights/{topic.id}/es/audio/remove", data={})
    assert [p.text for p in topic_twiml("es").iter("Play")] == []
    assert not recordings.path_for(topic, "es").exists()


def test_the_editor_checks_csrf_like_the_rest_of_the_console(app_factory, tmp_path):
    app = app_factory(WTF_CSRF_ENABLED=True, AUDIO_DIR=str(tmp_path))
    with app.app_context():  # setup only: requests outside it, so `g` is not shared among them
        make_organizer("org@example.org", role="organizer")
        topic_id = rights.upsert(
            slug="pay-stubs", category="pay", position=1, reviewed_on=None, sources=[],
            texts={"en": {"title": "Pay stubs", "summary": "s", "body": "b"}},
        ).id  # fmt: skip
        db.session.commit()
    client = app.test_client()
    page = client.get("/organizer/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    signed_in = client.post(
        "/organizer/login",
        data={"email": "org@example.org", "password": "correct horse battery", "csrf_token": token},
    )
    assert signed_in.headers["Location"] == "/organizer/login/code"
    page = client.get("/organizer/login/code").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    code = totp_code(client, "org@example.org")
    second = client.post("/organizer/login/code", data={"code": code, "csrf_token": token})
    assert second.status_code == 302
    assert client.get("/organizer/rights").status_code == 200  # signed in: both factors
    paths = [
        f"/organizer/rights/{topic_id}/en",
        f"/organizer/rights/{topic_id}/publish",
        f"/organizer/rights/{topic_id}/en/review",
        "/organizer/resources/new",
        "/organizer/resources/import",
    ]
    for path in paths:
        assert client.post(path, data={"title": "x"}).status_code == 400, path
    response = client.post(
        f"/organizer/rights/{topic_id}/en/audio",
        data={"recording": (io.BytesIO(MP3), "a.mp3")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert not (tmp_path / "en" / "topic-pay-stubs.mp3").exists()
    response = client.post(
        f"/organizer/rights/{topic_id}/en/audio",
        data={"recording": (io.BytesIO(MP3), "a.mp3"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert (tmp_path / "en" / "topic-pay-stubs.mp3").read_bytes() == MP3


def test_the_live_counter_counts_the_summary_as_it_is_sent(organizer):
    topic = _create(organizer)
    _write(organizer, topic, "es", title="Talones de pago")
    summary = "Pida su talón de pago cada semana. " * 4
    measured = organizer.get(
        f"/organizer/rights/{topic.id}/es/segments", query_string={"text": summary}
    ).get_json()
    with force_locale("es"):
        advice, more = rights.not_legal_advice_sms(), _("Reply RIGHTS for all topics.")
    link = "http://localhost/rights/pay-stubs?lang=es"
    sent = measure(f"Talones de pago: {summary}\n{advice}\n{link}\n{more}")
    assert (measured["segments"], measured["encoding"]) == (sent.count, sent.encoding)
    assert measured["characters"] == len(summary)
