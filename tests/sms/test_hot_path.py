"""What the text line's short cuts (issue 12) must not change: who is let in, what a reply
carries, and that nobody's words stay in a process's caches."""

from organize.plumbing.webhooks import DEV_AUTH_TOKEN, signed
from sms import router
from sms.answer import _plain_twiml
from tests.sms.conftest import Phone, signed_post

PARAMS = {"From": "+17135550142", "To": "+15005550006", "Body": "HELP", "MessageSid": "SMhot1"}


def test_a_reply_that_quotes_someone_leaves_nothing_in_the_caches(app, phone: Phone):
    phone.send("REVIEW")
    router._shape_cached.cache_clear()
    _plain_twiml.cache_clear()
    reply = phone.send("Taqueria Nueva")  # "We did not find "Taqueria Nueva" …": it quotes them
    assert reply is not None
    assert "Taqueria Nueva" in reply
    assert router._shape_cached.cache_info().currsize == 0
    assert _plain_twiml.cache_info().currsize == 0
    assert "HELP" not in (phone.send("HELP") or "")  # a plain reply is cached
    assert _plain_twiml.cache_info().currsize == 1


def test_the_signature_is_twilios_with_or_without_the_port(client):
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(DEV_AUTH_TOKEN)
    for signed_url in ("http://localhost/sms/inbound", "http://localhost:80/sms/inbound"):
        signature = validator.compute_signature(signed_url, PARAMS)
        assert signed(DEV_AUTH_TOKEN, "http://localhost/sms/inbound", PARAMS, signature)
        response = client.post(
            "/sms/inbound", data=PARAMS, headers={"X-Twilio-Signature": signature}
        )
        assert response.status_code == 200
    other = validator.compute_signature("http://localhost/sms/status", PARAMS)
    assert not signed(DEV_AUTH_TOKEN, "http://localhost/sms/inbound", PARAMS, other)
    assert not signed(DEV_AUTH_TOKEN, "http://localhost/sms/inbound", PARAMS, "é" + other)


def test_a_text_answer_carries_the_apps_security_headers(client):
    response = signed_post(client, PARAMS)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    page = client.get("/")
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert response.headers[header] == page.headers[header]
    assert "Set-Cookie" not in response.headers
