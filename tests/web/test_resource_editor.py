"""Help near you from the console (issue 11): a form for one entry and a CSV import that shows
every bad row and why, and imports all of its rows or none."""

import io

import pytest
import sqlalchemy as sa

from organize import resources
from organize.editing import EditError
from organize.editing import resources as editor
from organize.extensions import db
from organize.models import AuditEvent, Organizer, Resource
from tests.factories import login, make_organizer

HEADER = "name,kind,region,phone,url,languages,schedule,description_en,description_es\n"
GOOD = (
    "Houston Interfaith Worker Center,worker-center,TX,(713) 862-8222,https://example.org,"
    '"en es",mon-fri 09:00-17:00,Help with wages,Ayuda con salarios\n'
    "Wage and Hour Division,agency,national,1-866-487-9243,https://www.dol.gov/agencies/whd,"
    "en es,24/7,,\n"
)
BAD = (
    "Good One,legal-aid,CA,415-555-2671,,,,,\n"  # line 2: fine
    ",worker-center,TX,,,,,,\n"  # line 3: no name
    "Bad Phone,union,NY,12345,,,,,\n"  # line 4
    "Nowhere,worker-center,ZZ,,,,,,\n"  # line 5
    "Odd Kind,church,FL,,,,,,\n"  # line 6
    "Bad Hours,union,FL,,,,mon-fri 5pm,,\n"  # line 7
)


@pytest.fixture
def organizer(app):
    client = app.test_client()
    make_organizer("org@example.org", role="organizer")
    login(client, "org@example.org")
    return client


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Resource)) or 0


def _post_file(client, text: str, **extra):
    data = {"file": (io.BytesIO(text.encode()), "resources.csv"), "preview": "1", **extra}
    return client.post("/organizer/resources/import", data=data, content_type="multipart/form-data")


def test_the_preview_reports_every_bad_row_and_imports_nothing(organizer):
    page = _post_file(organizer, HEADER + BAD).get_data(as_text=True)
    rows = page.split('<table id="preview">')[1].split("</table>")[0].split("<tr")[2:]
    by_line = {row.split("<td>")[1].split("<")[0]: row for row in rows}
    assert "new" in by_line["2"]
    assert 'class="invalid"' not in by_line["2"]
    assert "The name is missing." in by_line["3"]
    assert "Not a valid phone number: 12345." in by_line["4"]
    assert "Unknown state ZZ." in by_line["5"]
    assert "Unknown kind church." in by_line["6"]
    assert "Hours must read like" in by_line["7"]
    assert "5 rows have problems" in page
    assert 'name="confirm"' not in page  # no import button while a row is bad
    assert _count() == 0


def test_a_confirm_with_bad_rows_imports_nothing(organizer):
    response = organizer.post(
        "/organizer/resources/import", data={"text": HEADER + GOOD + BAD, "confirm": "1"}
    )
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert _count() == 0
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "resources.import"))
        is None
    )


def test_a_good_file_previews_then_imports_every_row(organizer):
    page = _post_file(organizer, HEADER + GOOD).get_data(as_text=True)
    assert 'name="confirm"' in page
    assert _count() == 0
    text = page.split('<textarea hidden id="text" name="text">')[1].split("</textarea>")[0]
    assert "Wage and Hour Division" in text
    response = organizer.post(
        "/organizer/resources/import", data={"text": HEADER + GOOD, "confirm": "1"}
    )
    assert response.status_code == 302
    center = db.session.scalars(sa.select(Resource).where(Resource.region == "TX")).one()
    assert center.phone == "+17138628222"
    assert center.phone_display() == "(713) 862-8222"
    assert center.languages == ["en", "es"]
    assert center.schedule == [{"days": [0, 4], "open": "09:00", "close": "17:00"}]
    assert center.description_es == "Ayuda con salarios"
    assert [r.name for r in resources.national()] == ["Wage and Hour Division"]
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "resources.import")
    ).one()
    assert event.detail["created"] == 2
    assert event.detail["updated"] == 0


def test_importing_again_updates_by_name_and_state(organizer):
    organizer.post("/organizer/resources/import", data={"text": HEADER + GOOD, "confirm": "1"})
    changed = GOOD.replace("Help with wages", "Help with unpaid wages")
    page = _post_file(organizer, HEADER + changed).get_data(as_text=True)
    assert "update" in page
    organizer.post("/organizer/resources/import", data={"text": HEADER + changed, "confirm": "1"})
    assert _count() == 2
    center = db.session.scalars(sa.select(Resource).where(Resource.region == "TX")).one()
    assert center.description_en == "Help with unpaid wages"


def test_a_failure_half_way_leaves_nothing_behind(app, monkeypatch):
    actor = make_organizer("org@example.org", role="organizer")
    rows = editor.read_csv(HEADER + GOOD)
    real, calls = resources.upsert, []

    def failing(**kw):
        calls.append(kw["name"])
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kw)

    monkeypatch.setattr(resources, "upsert", failing)
    with pytest.raises(RuntimeError):
        editor.import_rows(rows, actor=actor)
    db.session.commit()  # even a caller that commits after the failure stores no half import
    assert len(calls) == 2
    assert _count() == 0
    assert db.session.get(Organizer, actor.id) is not None


def test_the_same_entry_twice_in_a_file_is_a_bad_row(app):
    rows = editor.read_csv(HEADER + GOOD + GOOD.splitlines()[0] + "\n")
    assert [r.line for r in rows if r.errors] == [4]


@pytest.mark.parametrize(
    "header", ["nom,type\n", "name,kind,region,colour\n"], ids=["no-name", "unknown-column"]
)
def test_a_file_with_the_wrong_header_is_refused_whole(app, header):
    with pytest.raises(EditError):
        editor.read_csv(header + "x,y\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/7", [{"always": True}]),
        ("sat 10:00-14:00 et", [{"days": [5, 5], "open": "10:00", "close": "14:00", "tz": "ET"}]),
        ("mon-thu 9:00-17:30; fri 09:00-12:00", [
            {"days": [0, 3], "open": "09:00", "close": "17:30"},
            {"days": [4, 4], "open": "09:00", "close": "12:00"},
        ]),
    ],
)  # fmt: skip
def test_opening_hours_read_as_data(text, expected):
    assert editor.parse_schedule(text) == expected


@pytest.mark.parametrize("text", ["fri-mon 09:00-17:00", "mon 17:00-09:00", "weekdays 9-5"])
def test_opening_hours_that_do_not_read_are_refused(text):
    with pytest.raises((ValueError, KeyError)):
        editor.parse_schedule(text)


def test_the_form_adds_and_edits_an_entry_with_the_same_rules(organizer):
    data = {"name": "Centro", "kind": "worker-center", "region": "tx", "phone": "555"}
    page = organizer.post("/organizer/resources/new", data=data).get_data(as_text=True)
    assert "Not a valid phone number: 555." in page
    assert _count() == 0
    data["phone"] = "713-862-8222"
    data["description_zh"] = "工人中心"
    assert organizer.post("/organizer/resources/new", data=data).status_code == 302
    entry = db.session.scalars(sa.select(Resource)).one()
    assert (entry.region, entry.phone) == ("TX", "+17138628222")
    assert entry.texts == {"zh": {"description": "工人中心", "draft": True}}
    form = organizer.get(f"/organizer/resources/{entry.id}").get_data(as_text=True)
    assert 'value="(713) 862-8222"' in form
    organizer.post(f"/organizer/resources/{entry.id}", data={**data, "name": "Centro Obrero"})
    db.session.refresh(entry)
    assert entry.name == "Centro Obrero"
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.target_type == "resource")
    ).all()
    assert actions == ["resource.create", "resource.update"]
    update = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "resource.update")
    ).one()
    assert update.detail["changed"] == {"name": {"from": "Centro", "to": "Centro Obrero"}}


def test_removing_an_entry_is_audited(organizer):
    entry = resources.upsert(name="Closed Center", region="TX", kind="worker-center")
    db.session.commit()
    assert organizer.post(f"/organizer/resources/{entry.id}/delete").status_code == 302
    assert _count() == 0
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "resource.delete")
    ).one()
    assert event.detail == {"name": "Closed Center", "region": "TX"}
