"""Contacts in the console: a CSV import checked row by row and then all or nothing, a list and
counts with masked numbers only, tags, saved audiences in the composer, and no route, ever,
that returns a number."""

import io
import re

import pytest
import sqlalchemy as sa

from organize import privacy, subscribers
from organize.extensions import db
from organize.models import Alert, AuditEvent, SavedAudience, Subscriber
from tests.factories import appears, dump_database, login, make_organizer

GOOD = (
    "phone,language,state,tags\n"
    "713-555-0142,es,TX,warehouse\n"
    '(713) 555-0143,fil,tx,"warehouse, night shift"\n'
    "+52 55 1234 5678,,,\n"
)


@pytest.fixture
def organizer_client(client):
    make_organizer(email="org@example.org", role="organizer")
    login(client, "org@example.org")
    return client


def _upload(client, text, consent="Sign-up sheet, March 3 meeting"):
    data = {"file": (io.BytesIO(text.encode()), "people.csv"), "consent_source": consent}
    return client.post("/organizer/contacts/import", data=data, content_type="multipart/form-data")


def _token(page):
    found = re.search(r'name="token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="token"', page
    )
    return found.group(1) if found else None


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Subscriber))


def test_import_previews_masked_numbers_then_imports_them_all(organizer_client):
    page = _upload(organizer_client, GOOD).get_data(as_text=True)
    assert "+1•••••••42" in page
    assert "+1•••••••43" in page
    assert "555" not in page
    assert "0142" not in page
    assert _count() == 0  # nothing until confirmed
    answer = organizer_client.post(
        "/organizer/contacts/import/confirm", data={"token": _token(page)}
    )
    assert answer.status_code == 302
    rows = {privacy.decrypt(s.phone_cipher): s for s in db.session.scalars(sa.select(Subscriber))}
    assert set(rows) == {"+17135550142", "+17135550143", "+525512345678"}
    first, second, mexican = rows["+17135550142"], rows["+17135550143"], rows["+525512345678"]
    assert (first.locale, first.region, first.tags) == ("es", "TX", ["warehouse"])
    assert (second.locale, second.tags) == ("tl", ["night shift", "warehouse"])
    assert mexican.locale == "en"
    assert mexican.region is None
    assert {s.status for s in rows.values()} == {"active"}
    assert {s.consent_source for s in rows.values()} == {"Sign-up sheet, March 3 meeting"}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "contacts.import"))
    assert event.detail == {"added": 3, "updated": 0, "skipped": 0}
    stored = dump_database()
    assert not appears("+17135550142", stored)
    assert not appears("7135550142", stored)


def test_every_wrong_row_is_named_and_nothing_is_imported(organizer_client):
    bad = (
        "phone,language,state,tags\n"
        "713-555-0142,es,TX,ok\n"
        "12345,en,TX,\n"
        "713-555-0150,klingon,TX,\n"
        "713-555-0151,en,ZZ,\n"
        '713-555-0152,en,TX,"<b>"\n'
        "713 555 0142,en,TX,\n"
    )
    page = _upload(organizer_client, bad).get_data(as_text=True)
    assert "Not a valid phone number." in page
    assert "12345" not in page  # a phone cell that did not parse is never echoed
    assert "Unknown language “klingon”" in page
    assert "Unknown state “ZZ”" in page
    assert "A tag holds letters" in page
    assert "Same number as line 2." in page
    assert "5 rows with errors" in page
    assert _token(page) is None
    assert _count() == 0


def test_an_import_stops_whole_when_a_row_fails_midway(organizer_client, monkeypatch):
    page = _upload(organizer_client, GOOD).get_data(as_text=True)
    original, calls = subscribers.confirm, []

    def fail_on_the_third(*, subscriber):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        original(subscriber=subscriber)

    monkeypatch.setattr(subscribers, "confirm", fail_on_the_third)
    with pytest.raises(RuntimeError):
        organizer_client.post("/organizer/contacts/import/confirm", data={"token": _token(page)})
    db.session.rollback()
    assert _count() == 0  # the first two went back with the third


def test_opted_out_people_are_left_alone_and_a_token_works_once(organizer_client):
    phone = privacy.phone("+17135550142")
    subscriber = subscribers.request_signup(phone=phone, locale="en", source="sms")
    subscribers.opt_out(phone_hash=phone.hash)
    db.session.commit()
    page = _upload(organizer_client, GOOD).get_data(as_text=True)
    assert "opted out: left alone" in page
    token = _token(page)
    organizer_client.post("/organizer/contacts/import/confirm", data={"token": token})
    db.session.refresh(subscriber)
    assert subscriber.status == "opted_out"
    assert _count() == 3
    again = organizer_client.post(
        "/organizer/contacts/import/confirm", data={"token": token}, follow_redirects=True
    )
    assert "This preview has expired" in again.get_data(as_text=True)


def test_the_consent_source_and_a_phone_column_are_required(organizer_client):
    page = _upload(organizer_client, GOOD, consent="").get_data(as_text=True)
    assert "This field is required" in page
    assert _token(page) is None
    page = _upload(organizer_client, "name,language\nAna,es\n").get_data(as_text=True)
    assert "needs a “phone” column" in page
    assert _count() == 0


def _import(client, text=GOOD):
    page = _upload(client, text).get_data(as_text=True)
    client.post("/organizer/contacts/import/confirm", data={"token": _token(page)})


def test_the_list_counts_and_filters_with_masked_numbers(organizer_client):
    _import(organizer_client)
    page = organizer_client.get("/organizer/contacts").get_data(as_text=True)
    assert "+1•••••••42" in page
    assert "+5•••••••78" in page
    assert "3 contacts match" in page
    assert re.search(r"warehouse</a>: 2", page)
    assert re.search(r"night shift</a>: 1", page)
    assert re.search(r">TX</a>: 2", page)
    assert re.search(r"Español</a>: 1", page)
    tagged = organizer_client.get("/organizer/contacts", query_string={"tag": "night shift"})
    assert "1 contact matches" in tagged.get_data(as_text=True)


def test_tags_are_edited_and_audited(organizer_client):
    _import(organizer_client)
    first = db.session.scalar(sa.select(Subscriber).order_by(Subscriber.id))
    organizer_client.post(f"/organizer/contacts/{first.id}", data={"tags": "leaders, east side"})
    db.session.refresh(first)
    assert first.tags == ["east side", "leaders"]
    refused = organizer_client.post(f"/organizer/contacts/{first.id}", data={"tags": 'a"b'})
    assert "A tag holds letters" in refused.get_data(as_text=True)
    assert "contacts.tags" in set(db.session.scalars(sa.select(AuditEvent.action)))


def test_a_saved_audience_is_picked_when_composing(organizer_client):
    _import(organizer_client)
    organizer_client.post(
        "/organizer/contacts/audiences",
        data={"name": "Warehouse, Texas", "regions": "tx", "tags": "warehouse"},
    )
    saved = db.session.scalar(sa.select(SavedAudience))
    assert saved.filter == {"regions": ["TX"], "tags": ["warehouse"]}
    listing = organizer_client.get("/organizer/contacts/audiences").get_data(as_text=True)
    assert "reaches 2 people now" in listing
    form = organizer_client.get("/organizer/alerts/new").get_data(as_text=True)
    assert f'<option value="{saved.id}">Warehouse, Texas</option>' in form
    organizer_client.post(
        "/organizer/alerts/new",
        data={
            "title_en": "Strike",
            "body_en": "Meet at 6am.",
            "channel": "sms",
            "saved_audience": str(saved.id),
            "languages": ["es"],
        },
    )
    alert = db.session.scalar(sa.select(Alert))
    assert alert.audience == {"languages": ["es"], "regions": ["TX"], "tags": ["warehouse"]}
    organizer_client.post(f"/organizer/contacts/audiences/{saved.id}/delete")
    assert db.session.scalar(sa.select(SavedAudience)) is None
    db.session.refresh(alert)
    assert alert.audience["tags"] == ["warehouse"]  # the alert kept its own copy


def _spellings(e164):
    digits = e164.lstrip("+")
    national = digits[1:]
    return {
        e164,
        digits,
        national,
        f"{national[:3]}-{national[3:6]}-{national[6:]}",
        f"({national[:3]}) {national[3:6]}-{national[6:]}",
        f"{national[3:6]}-{national[6:]}",
    }


def test_no_route_returns_a_number(app, client):
    """Every GET route of the whole app, signed in as an admin, with real ids: none shows a
    subscriber's number in any spelling (there is no export, and no page with one)."""
    make_organizer(email="admin@example.org", role="admin")
    login(client, "admin@example.org")
    _import(client)
    first = db.session.scalar(sa.select(Subscriber).order_by(Subscriber.id))
    client.post("/organizer/contacts/audiences", data={"name": "All", "tags": "warehouse"})
    numbers = ["+17135550142", "+17135550143", "+525512345678"]
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = re.sub(r"<int:\w+>", str(first.id), rule.rule)
        path = re.sub(r"<[^>]+>", "x", path)
        for query in ({}, {"format": "csv"}, {"export": "1"}):
            body = client.get(path, query_string=query).get_data(as_text=True)
            checked += 1
            for e164 in numbers:
                for spelling in _spellings(e164):
                    assert not appears(spelling, body), f"{path} shows {spelling}"
    assert checked > 60
    assert not appears("7135550142", client.get("/organizer/contacts").get_data(as_text=True))
