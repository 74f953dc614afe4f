"""State notes in the organizer editor (issue 11): an organizer adds a state's note in a
language, readers of that state and language see it, a note too long to text is refused with
the reason, and every change is in the topic's history."""

import pytest
import sqlalchemy as sa

from organize import rights
from organize.extensions import db
from organize.models import AuditEvent, RightsStateNote
from tests.factories import login, make_organizer
from tests.htmltools import visible_text

GOV = "https://www.dol.gov/agencies/whd/minimum-wage"
SPANISH_NOTE = "California: el salario mínimo estatal es más alto que el federal."


@pytest.fixture
def topic_id(app):
    topic = rights.upsert(
        slug="minimum-wage", category="pay", position=1, reviewed_on=None,
        sources=[{"title": "DOL", "url": GOV}],
        texts={"en": {"title": "Minimum wage", "summary": "The federal minimum.", "body": "Pay."},
               "es": {"title": "Salario mínimo", "summary": "El mínimo.", "body": "Pago."}},
    )  # fmt: skip
    db.session.commit()
    return topic.id


@pytest.fixture
def organizer(client):
    make_organizer("org@example.org", role="organizer")
    login(client, "org@example.org")
    return client


def _save(client, topic_id, **fields):
    data = {"region": "CA", "locale": "es", "text": SPANISH_NOTE, **fields}
    return client.post(f"/organizer/rights/{topic_id}/notes", data=data, follow_redirects=True)


def _reader(client, state):
    """What a Spanish reader who picked `state` sees on the topic page."""
    page = client.get(f"/rights/minimum-wage?lang=es&state={state}")
    return visible_text(page.get_data(as_text=True))


def test_a_note_saved_in_spanish_reaches_spanish_readers_of_that_state(organizer, topic_id):
    page = _save(organizer, topic_id)
    assert page.status_code == 200
    assert SPANISH_NOTE in visible_text(page.get_data(as_text=True))
    text = visible_text(
        organizer.get("/rights/minimum-wage?lang=es&state=CA").get_data(as_text=True)
    )
    assert SPANISH_NOTE in text
    other = visible_text(
        organizer.get("/rights/minimum-wage?lang=es&state=TX").get_data(as_text=True)
    )
    assert SPANISH_NOTE not in other  # one state's note is not another's


def test_saving_again_replaces_the_note_and_the_history_keeps_both(organizer, topic_id):
    _save(organizer, topic_id)
    _save(organizer, topic_id, text="California: $16.50 por hora en 2025.", draft="y")
    stored = db.session.scalars(sa.select(RightsStateNote)).all()
    assert [(n.region, n.locale, n.text, n.draft) for n in stored] == [
        ("CA", "es", "California: $16.50 por hora en 2025.", True)
    ]
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "rights.note").order_by(AuditEvent.id)
    ).all()
    assert [e.detail["changed"]["text"]["to"] for e in events] == [
        SPANISH_NOTE,
        "California: $16.50 por hora en 2025.",
    ]
    assert events[1].detail["changed"]["text"]["from"] == SPANISH_NOTE
    history = visible_text(organizer.get(f"/organizer/rights/{topic_id}").get_data(as_text=True))
    assert "rights.note CA" in history


def test_a_note_too_long_to_text_or_without_a_state_is_refused_and_nothing_is_kept(
    organizer, topic_id
):
    page = _save(organizer, topic_id, text="Una nota larga. " * 30)
    assert "must fit 3 texts" in visible_text(page.get_data(as_text=True))
    page = _save(organizer, topic_id, region="ZZ")
    assert page.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RightsStateNote)) == 0


def test_a_removed_note_is_gone_for_readers_and_audited(organizer, topic_id):
    _save(organizer, topic_id)
    note = db.session.scalar(sa.select(RightsStateNote))
    assert note is not None
    organizer.post(f"/organizer/rights/{topic_id}/notes/{note.id}/delete")
    db.session.expire_all()
    assert db.session.scalar(sa.select(RightsStateNote)) is None
    text = visible_text(
        organizer.get("/rights/minimum-wage?lang=es&state=CA").get_data(as_text=True)
    )
    assert SPANISH_NOTE not in text
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "rights.note-removed"))
        is not None
    )


def test_only_organizers_edit_state_notes(client, topic_id):
    make_organizer()  # a moderator
    login(client)
    assert client.get(f"/organizer/rights/{topic_id}/notes").status_code == 403
    assert _save(client, topic_id).status_code == 403
