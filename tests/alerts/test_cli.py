"""The commands organizers script."""

import json

import sqlalchemy as sa

from organize import privacy
from organize.alerts import deliveries
from organize.extensions import db
from organize.models import Alert, Subscriber
from tests.alerts.conftest import add_subscribers, number


def test_import_subscribers_normalizes_merges_and_reports(app, tmp_path):
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "phone,language,region,tags\n"
        '(713) 555-0101,es,tx,"warehouse, night"\n'
        "713.555.0101,es,TX,day\n"
        "not a number,en,,\n"
        "+1 305 555 0102,,FL,\n"
    )
    result = app.test_cli_runner().invoke(
        args=["import-subscribers", str(csv_file), "--consent-source", "paper form, Oct rally"]
    )
    assert result.exit_code == 0, result.output
    assert "1 added" not in result.output
    assert "2 added, 1 merged, 1 problems." in result.output
    assert "line 4: not a phone number" in result.output
    first = db.session.scalar(
        sa.select(Subscriber).where(Subscriber.phone_hash == privacy.phone("+17135550101").hash)
    )
    assert first.status == "active"
    assert first.locale == "es"
    assert first.region == "TX"
    assert first.tags == ["day", "night", "warehouse"]
    assert first.consent_source == "paper form, Oct rally"
    assert first.time_zone == "America/Chicago"
    assert privacy.decrypt(first.phone_cipher) == "+17135550101"


def test_import_does_not_resubscribe_people_who_opted_out(app, tmp_path):
    add_subscribers(1, status="opted_out")
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("phone\n+17135550000\n")
    result = app.test_cli_runner().invoke(
        args=["import-subscribers", str(csv_file), "--consent-source", "x"]
    )
    assert "opted out earlier" in result.output
    assert db.session.scalar(sa.select(Subscriber.status)) == "opted_out"


def test_create_send_status(sender, fake_twilio):
    add_subscribers(3, locale="es")
    runner = sender.test_cli_runner()
    created = runner.invoke(
        args=[
            "alerts",
            "create",
            "--title",
            "Rally",
            "--body",
            "en=Saturday 10am",
            "--body",
            "es=Sábado 10am",
            "--title-for",
            "es=Mitin",
            "--urgent",
            "--rsvp",
        ]
    )
    assert created.exit_code == 0, created.output
    alert_id = int(created.output.strip().splitlines()[-1])
    alert = db.session.get(Alert, alert_id)
    assert alert.rsvp
    assert alert.text_for("es").title == "Mitin"
    sent = runner.invoke(args=["alerts", "send", str(alert_id)])
    assert sent.exit_code == 0, sent.output
    again = runner.invoke(args=["alerts", "send", str(alert_id)])
    assert "nothing to do" in again.output
    status = runner.invoke(args=["alerts", "status", str(alert_id), "--json"])
    payload = json.loads(status.output)
    assert payload == {"alert": alert_id, "status": "sent", "deliveries": {"sent": 3}, "rsvp": 0}
    # One person answers the RSVP: the script sees it.
    assert deliveries.record_rsvp(phone_hash=privacy.phone(number(1)).hash)
    db.session.commit()
    status = runner.invoke(args=["alerts", "status", str(alert_id), "--json"])
    assert json.loads(status.output)["rsvp"] == 1
    assert "rsvp" in runner.invoke(args=["alerts", "status", str(alert_id)]).output
    assert sum(fake_twilio.counts_by_recipient().values()) == 3
    assert "Responda 1" in fake_twilio.messages[0]["body"] or "1" in fake_twilio.messages[0]["body"]


def test_create_refuses_bad_input(app):
    runner = app.test_cli_runner()
    empty = runner.invoke(args=["alerts", "create", "--title", "x", "--body", "en="])
    assert empty.exit_code != 0
    long = runner.invoke(args=["alerts", "create", "--title", "x", "--body", "en=" + "a" * 1700])
    assert long.exit_code != 0
    assert "1702" in long.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 0
