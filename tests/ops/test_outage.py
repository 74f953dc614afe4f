"""The database unreachable: every public and organizer page answers a 503 in the person's
language with Retry-After; the texting and phone webhooks keep answering TwiML."""

from xml.etree import ElementTree

import pytest
from flask_login.utils import _create_identifier

from tests.ivr.conftest import signed_post as signed_voice
from tests.sms.conftest import signed_post as signed_sms

DEAD_DATABASE = "sqlite:////nonexistent-directory/organize.db"  # cannot be opened: OperationalError

PUBLIC = [  # every page that reads the database (the start page does not)
    "/employers",
    "/employers/sunrise-cleaning",
    "/rights",
    "/rights/minimum-wage",
    "/help-near-you",
    "/actions",
    "/transparency",
]
ORGANIZER = ["/organizer/", "/organizer/moderation", "/organizer/alerts", "/organizer/notices"]


@pytest.fixture
def down(app_factory):
    return app_factory(SQLALCHEMY_DATABASE_URI=DEAD_DATABASE)


@pytest.mark.parametrize("path", PUBLIC)
@pytest.mark.parametrize(
    ("language", "words"), [("en", "We are having trouble"), ("es", "Estamos teniendo problemas")]
)
def test_public_pages_answer_503_in_the_visitors_language(down, path, language, words):
    response = down.test_client().get(path, headers={"Accept-Language": language})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert words in response.get_data(as_text=True)
    assert "OperationalError" not in response.get_data(as_text=True)  # no stack, no driver text


@pytest.mark.parametrize("path", ORGANIZER)
def test_organizer_pages_answer_503_to_a_signed_in_organizer(down, path):
    client = down.test_client()
    browser = {"User-Agent": "a phone"}
    with down.test_request_context(headers=browser, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = _create_identifier()  # session protection "strong" checks it
    with client.session_transaction() as session:
        session["_user_id"] = "1.nonce"  # the loader looks the organizer up: the database
        session["_id"] = identifier
        session["_fresh"] = True
        session["lang"] = "es"
    response = client.get(path, headers=browser)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Esta página no está disponible ahora" in response.get_data(as_text=True)


def test_webhooks_still_answer_twiml(down):
    client = down.test_client()
    text = signed_sms(client, {"From": "+17135550100", "Body": "RIGHTS", "MessageSid": "SM1"})
    assert text.status_code == 200
    assert ElementTree.fromstring(text.data).tag == "Response"
    call = signed_voice(client, "/voice/inbound", {"From": "+17135550100", "CallSid": "CA1"})
    assert call.status_code == 200
    assert ElementTree.fromstring(call.data).tag == "Response"
