"""Voice alerts: calls placed through the fake Twilio, the call's TwiML, RSVP, call statuses."""

from xml.etree import ElementTree

import sqlalchemy as sa
from twilio.request_validator import RequestValidator

from organize.alerts import compose, fanout
from organize.extensions import db
from organize.models import Delivery
from organize.plumbing.webhooks import DEV_AUTH_TOKEN
from tests.alerts.conftest import add_subscribers, make_alert


def signed(client, path, params):
    url = "https://organize.example.org" + path
    signature = RequestValidator(DEV_AUTH_TOKEN).compute_signature(url, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def test_voice_alert_calls_speak_the_alert_and_count_rsvps(sender, fake_twilio):
    sender.config.update(TWILIO_AUTH_TOKEN=DEV_AUTH_TOKEN)  # the fake signs nothing; we do
    add_subscribers(2, locale="es")
    alert = make_alert(channel="voice", rsvp=True)
    assert fanout.send(alert=alert, actor=None)
    assert len(fake_twilio.calls) == 2
    call = fake_twilio.calls[0]
    assert call["url"].startswith("https://organize.example.org/voice/alert/")
    path = call["url"].removeprefix("https://organize.example.org")
    client = sender.test_client()
    root = ElementTree.fromstring(signed(client, path, {"CallSid": call["sid"]}).data)
    says = root.findall(".//Say")
    assert any("Huelga el viernes" in (s.text or "") for s in says)
    assert {s.attrib["language"] for s in says} == {"es-MX"}
    answer = ElementTree.fromstring(
        signed(client, path, {"CallSid": call["sid"], "Digits": "1"}).data
    )
    assert answer[-1].tag == "Hangup"
    signed(client, "/voice/alert-status", {"CallSid": call["sid"], "CallStatus": "completed"})
    signed(client, "/voice/alert-status", {"CallSid": call["sid"], "CallStatus": "ringing"})
    db.session.expire_all()
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.provider_sid == call["sid"]))
    assert delivery.status == "answered"
    assert delivery.rsvp_at is not None
    assert compose.progress(alert_id=alert.id) == {"answered": 1, "sent": 1}


def test_no_answer_and_busy_are_recorded(sender, fake_twilio):
    sender.config.update(TWILIO_AUTH_TOKEN=DEV_AUTH_TOKEN)
    add_subscribers(2)
    alert = make_alert(channel="voice")
    fanout.send(alert=alert, actor=None)
    client = sender.test_client()
    for call, status in zip(fake_twilio.calls, ["no-answer", "busy"], strict=True):
        signed(client, "/voice/alert-status", {"CallSid": call["sid"], "CallStatus": status})
    assert compose.progress(alert_id=alert.id) == {"no-answer": 1, "busy": 1}


def test_both_channels_text_and_call(sender, fake_twilio):
    add_subscribers(3)
    fanout.send(alert=make_alert(channel="both"), actor=None)
    assert sum(fake_twilio.counts_by_recipient().values()) == 3
    assert len(fake_twilio.calls) == 3


def test_both_channels_make_one_delivery_per_channel_each_with_its_segments(sender, fake_twilio):
    """The fan-out makes a subscriber's text and call rows itself (on PostgreSQL, in SQL from
    one row per subscriber): the text counts its language's segments, the call one; running
    it again adds nothing."""
    english = add_subscribers(2, locale="en")
    spanish = add_subscribers(2, start=2, locale="es")
    alert = make_alert(
        channel="both",
        texts={"en": ("Strike", "Meet at the gate. " * 10), "es": ("Huelga", "En la puerta.")},
    )
    fanout.send(alert=alert, actor=None)

    rows = db.session.execute(
        sa.select(Delivery.subscriber_id, Delivery.channel, Delivery.segments).where(
            Delivery.alert_id == alert.id
        )
    ).all()
    expected = {(s.id, "sms", 2) for s in english} | {(s.id, "sms", 1) for s in spanish}
    expected |= {(s.id, "voice", 1) for s in english + spanish}
    assert sorted(rows) == sorted(expected)
    alert.status = "sending"  # a second run of its fan-out job
    db.session.commit()
    assert fanout.broadcast(alert.id) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 8
