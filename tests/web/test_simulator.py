"""The phone simulator's endpoints, without a browser: signing, who may use it, the outbox."""

import logging
import re
from xml.etree import ElementTree

import pytest
from twilio.request_validator import RequestValidator

from organize.extensions import db
from organize.outbound import messaging
from organize.plumbing.webhooks import DEV_AUTH_TOKEN
from tests.factories import dump_database, login, make_organizer

PHONE = "+1 713 555 0142"
E164 = "+17135550142"
OTHER = "+17135550143"


def sign(client, number=PHONE, url="/sms/inbound", channel="sms", **extra):
    return client.post(
        "/simulator/sign", json={"channel": channel, "number": number, "url": url, **extra}
    )


def deliver(client, signed):
    """Post what the page would post: the signed params, to the URL given."""
    body = signed.get_json()
    return client.post(
        body["url"], data=body["params"], headers={"X-Twilio-Signature": body["signature"]}
    )


def test_the_page_is_a_phone_with_two_tabs_and_a_noscript_message(client):
    html = client.get("/simulator/").get_data(as_text=True)
    assert 'role="tablist"' in html
    assert "<noscript>" in html
    assert 'data-sign-url="/simulator/sign"' in html
    assert "simulator.js" in html
    links = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert links
    assert [link for link in links if not link.startswith(("/", "#"))] == []  # no CDN


def test_a_signed_text_passes_the_real_signature_check_and_gets_twiml(client):
    signed = sign(client, params={"Body": "HELP"})
    assert signed.status_code == 200
    body = signed.get_json()
    params = body["params"]
    assert params["From"] == E164
    assert params["Body"] == "HELP"
    assert params["MessageSid"].startswith("SM")
    validator = RequestValidator(DEV_AUTH_TOKEN)
    assert validator.validate("http://localhost/sms/inbound", params, body["signature"])
    answer = deliver(client, signed)
    assert answer.status_code == 200
    assert ElementTree.fromstring(answer.data).find("./Message").text


def test_each_text_gets_a_fresh_message_sid(client):
    first = sign(client, params={"Body": "HELP"}).get_json()["params"]["MessageSid"]
    second = sign(client, params={"Body": "HELP"}).get_json()["params"]["MessageSid"]
    assert first != second


def test_the_page_cannot_choose_the_sender_or_the_sids(client):
    params = {"Body": "HI", "From": "+15555550100", "MessageSid": "SMx", "OptOutType": "STOP"}
    signed = sign(client, params=params).get_json()["params"]
    assert signed["From"] == E164
    assert signed["MessageSid"] != "SMx"
    assert "OptOutType" not in signed


@pytest.mark.parametrize("number", ["+1 713 555 1234", "+17135550200", "+447700900123", "", "x"])
def test_only_fictional_numbers_are_signed(client, number):
    answer = sign(client, number=number, params={"Body": "STOP"})
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "fictional-number"}


@pytest.mark.parametrize(
    ("channel", "url"),
    [("sms", "/organizer/"), ("sms", "/voice/inbound"), ("voice", "/sms/inbound"), ("voice", "/")],
)
def test_only_webhook_urls_are_signed(client, channel, url):
    assert sign(client, channel=channel, url=url).status_code == 400


def test_an_absolute_action_url_is_answered_on_this_server(client):
    body = sign(client, channel="voice", url="https://elsewhere.example/voice/menu?lang=es")
    assert body.get_json()["url"] == "/voice/menu?lang=es"


def test_a_call_keeps_its_sid_across_hops_and_its_digits_reach_the_action(client):
    first = sign(client, channel="voice", url="/voice/inbound")
    call_sid = first.get_json()["params"]["CallSid"]
    root = ElementTree.fromstring(deliver(client, first).data)
    action = root.find("./Gather").attrib["action"]
    second = sign(client, channel="voice", url=action, call=call_sid, params={"Digits": "2"})
    params = second.get_json()["params"]
    assert params["CallSid"] == call_sid
    assert params["Digits"] == "2"
    assert params["CallStatus"] == "in-progress"
    menu = ElementTree.fromstring(deliver(client, second).data)
    assert menu.find(".//Say").attrib["language"] == "es-MX"


def test_an_invented_call_sid_is_replaced(client):
    params = sign(client, channel="voice", url="/voice/inbound", call="CA' or 1=1").get_json()
    assert params["params"]["CallSid"] != "CA' or 1=1"


def test_signature_uses_public_url_when_set(app_factory):
    app = app_factory(PUBLIC_URL="https://organize.example.org", TWILIO_AUTH_TOKEN="real-token")
    client = app.test_client()
    with app.app_context():
        signed = sign(client, params={"Body": "HELP"})
        body = signed.get_json()
        validator = RequestValidator("real-token")
        public = "https://organize.example.org/sms/inbound"
        assert validator.validate(public, body["params"], body["signature"])
        assert deliver(client, signed).status_code == 200


def test_nothing_of_the_number_is_stored_or_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    deliver(client, sign(client, params={"Body": "JOIN"}))
    client.post("/simulator/outbox", json={"number": PHONE})
    text = dump_database() + caplog.text
    for form in (E164, "7135550142", "713 555 0142"):
        assert form not in text


def _outbox(client, number=PHONE, since=None):
    return client.post("/simulator/outbox", json={"number": number, "since": since}).get_json()


def test_outbox_starts_at_the_newest_message_then_returns_only_newer_ones(client):
    messaging.send_sms(to=E164, body="old news")
    db.session.commit()
    start = _outbox(client)
    assert start["messages"] == []
    messaging.send_sms(to=E164, body="Rally Friday")
    messaging.send_sms(to=OTHER, body="for someone else")
    db.session.commit()
    newer = _outbox(client, since=start["last"])
    assert [m["body"] for m in newer["messages"]] == ["Rally Friday"]
    assert _outbox(client, since=newer["last"])["messages"] == []


def test_outbox_never_returns_other_numbers_messages(client):
    messaging.send_sms(to=OTHER, body="private")
    db.session.commit()
    assert _outbox(client, since=0)["messages"] == []
    assert [m["body"] for m in _outbox(client, number=OTHER, since=0)["messages"]] == ["private"]


def test_outbox_refuses_real_numbers(client):
    messaging.send_sms(to="+17135551234", body="a real person's alert")
    db.session.commit()
    answer = client.post("/simulator/outbox", json={"number": "+17135551234", "since": 0})
    assert answer.status_code == 400


def test_outbound_calls_come_with_a_path_the_page_can_answer(client):
    messaging.place_call(to=E164, url="https://organize.example.org/voice/alert/7?lang=es")
    db.session.commit()
    (call,) = _outbox(client, since=0)["messages"]
    assert call == {"id": call["id"], "kind": "call", "body": "", "call": "/voice/alert/7?lang=es"}


def test_csrf_protects_the_endpoints(app_factory):
    client = app_factory(WTF_CSRF_ENABLED=True).test_client()
    assert client.post("/simulator/sign", json={"number": PHONE}).status_code == 400
    assert client.post("/simulator/outbox", json={"number": PHONE}).status_code == 400


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/simulator/"), ("post", "/simulator/sign"), ("post", "/simulator/outbox")],
)
def test_off_in_production_by_default(app_factory, method, path):
    app = app_factory(ENV_NAME="production", ENABLE_SIMULATOR=False)
    assert getattr(app.test_client(), method)(path, json={}).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/simulator/"), ("post", "/simulator/sign"), ("post", "/simulator/outbox")],
)
def test_enabled_in_production_only_for_signed_in_admins(app_factory, method, path):
    app = app_factory(ENV_NAME="production", ENABLE_SIMULATOR=True, TWILIO_AUTH_TOKEN="t")
    client = app.test_client()
    payload = {"number": PHONE, "url": "/sms/inbound"}
    answer = getattr(client, method)(path, json=payload)
    assert answer.status_code == 302
    assert "/organizer/login" in answer.headers["Location"]
    with app.app_context():
        make_organizer()
        make_organizer(email="admin@example.org", role="admin")
    login(client)
    assert getattr(client, method)(path, json=payload).status_code == 403
    admin = app.test_client()
    login(admin, "admin@example.org")
    assert getattr(admin, method)(path, json=payload).status_code == 200


@pytest.mark.parametrize("url", ["/voice/alert-status", "/voice/status"])
def test_status_callbacks_are_never_signed(client, url):
    assert sign(client, channel="voice", url=url).status_code == 400


def test_an_alert_call_is_signed_only_for_the_number_it_was_placed_to(client):
    from organize.models import Alert, Delivery, Subscriber
    from organize.privacy import phone

    real = Subscriber(phone_hash=phone("+17135550100").hash, phone_cipher="x", locale="en")
    own = Subscriber(phone_hash=phone(E164).hash, phone_cipher="y", locale="en")
    alert = Alert()
    db.session.add_all([real, own, alert])
    db.session.flush()
    theirs = Delivery(alert_id=alert.id, subscriber_id=real.id)
    mine = Delivery(alert_id=alert.id, subscriber_id=own.id)
    db.session.add_all([theirs, mine])
    db.session.commit()
    for target in (f"/voice/alert/{theirs.id}", "/voice/alert/99999", "/voice/alert/1" + "0" * 30):
        assert sign(client, channel="voice", url=target).status_code == 400, target
    assert sign(client, channel="voice", url=f"/voice/alert/{mine.id}").status_code == 200


def test_production_without_a_token_cannot_sign(app_factory):
    app = app_factory(ENV_NAME="production", ENABLE_SIMULATOR=True)
    client = app.test_client()
    with app.app_context():
        make_organizer(email="admin@example.org", role="admin")
    login(client, "admin@example.org")
    assert "cannot sign" in client.get("/simulator/").get_data(as_text=True)
    assert sign(client).status_code == 503


def test_the_home_page_points_to_the_simulator_only_where_it_answers(app_factory):
    assert b'href="/simulator/"' in app_factory().test_client().get("/").data
    off = app_factory(ENV_NAME="production", ENABLE_SIMULATOR=False).test_client()
    assert b"/simulator/" not in off.get("/").data
    hidden = app_factory(ENV_NAME="production", ENABLE_SIMULATOR=True).test_client()
    assert b"/simulator/" not in hidden.get("/").data
