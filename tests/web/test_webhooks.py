"""SMS and voice webhooks: Twilio signatures (real RequestValidator), TwiML parsed as XML."""

from xml.etree import ElementTree

import pytest
from twilio.request_validator import RequestValidator

from organize.plumbing.webhooks import DEV_AUTH_TOKEN

PARAMS = {"From": "+17135550142", "To": "+15005550006", "Body": "HELP", "MessageSid": "SM1"}


def sign(url: str, params: dict[str, str], token: str = DEV_AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


@pytest.mark.parametrize("path", ["/sms/inbound", "/sms/status", "/voice/inbound"])
def test_missing_or_wrong_signature_is_403(client, path):
    assert client.post(path, data=PARAMS).status_code == 403
    bad = {"X-Twilio-Signature": sign("http://localhost" + path, {**PARAMS, "Body": "x"})}
    assert client.post(path, data=PARAMS, headers=bad).status_code == 403


def test_signed_sms_gets_twiml(client):
    headers = {"X-Twilio-Signature": sign("http://localhost/sms/inbound", PARAMS)}
    response = client.post("/sms/inbound", data=PARAMS, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == "Response"
    assert root.find("./Message").text


def test_status_callback_is_204(client):
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    headers = {"X-Twilio-Signature": sign("http://localhost/sms/status", params)}
    assert client.post("/sms/status", data=params, headers=headers).status_code == 204


def test_signature_over_public_url_behind_a_proxy(app_factory):
    app = app_factory(PUBLIC_URL="https://organize.example.org", TWILIO_AUTH_TOKEN="real-token")
    client = app.test_client()
    public = "https://organize.example.org/sms/inbound?x=1"
    headers = {"X-Twilio-Signature": sign(public, PARAMS, "real-token")}
    assert client.post("/sms/inbound?x=1", data=PARAMS, headers=headers).status_code == 200
    # the internal URL's signature, or the dev token, no longer pass
    internal = {
        "X-Twilio-Signature": sign("http://localhost/sms/inbound?x=1", PARAMS, "real-token")
    }
    assert client.post("/sms/inbound?x=1", data=PARAMS, headers=internal).status_code == 403
    dev = {"X-Twilio-Signature": sign(public, PARAMS)}
    assert client.post("/sms/inbound?x=1", data=PARAMS, headers=dev).status_code == 403


def test_proxy_fix_rebuilds_the_url_without_public_url(app_factory):
    app = app_factory(TRUSTED_PROXIES=1)
    client = app.test_client()
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "sms.example.org",
        "X-Twilio-Signature": sign("https://sms.example.org/sms/inbound", PARAMS),
    }
    assert client.post("/sms/inbound", data=PARAMS, headers=headers).status_code == 200


def test_production_without_token_refuses_everything(app_factory):
    app = app_factory(ENV_NAME="production")
    headers = {"X-Twilio-Signature": sign("http://localhost/sms/inbound", PARAMS)}
    assert app.test_client().post("/sms/inbound", data=PARAMS, headers=headers).status_code == 403


def test_webhooks_are_csrf_exempt(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    headers = {"X-Twilio-Signature": sign("http://localhost/sms/inbound", PARAMS)}
    assert app.test_client().post("/sms/inbound", data=PARAMS, headers=headers).status_code == 200


@pytest.mark.parametrize("code", ["9" * 30, "²", "30003" + "0" * 20])
def test_status_callback_with_an_out_of_range_error_code_is_204(client, code):
    params = {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": code}
    headers = {"X-Twilio-Signature": sign("http://localhost/sms/status", params)}
    assert client.post("/sms/status", data=params, headers=headers).status_code == 204


@pytest.mark.parametrize("delivery_id", ["9" * 30, str(2**31), str(2**63)])
def test_alert_call_for_an_out_of_range_delivery_hangs_up(client, delivery_id):
    url = f"http://localhost/voice/alert/{delivery_id}"
    params = {"CallSid": "CA" + "0" * 32, "From": "+15005550006"}
    response = client.post(url, data=params, headers={"X-Twilio-Signature": sign(url, params)})
    assert response.status_code == 200
    assert ElementTree.fromstring(response.data).find("./Hangup") is not None
