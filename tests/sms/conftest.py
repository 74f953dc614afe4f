"""A phone that texts the service through the real signed webhook."""

import itertools
from collections.abc import Callable
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from organize.outbound.segments import MAX_BODY, measure
from organize.plumbing.webhooks import DEV_AUTH_TOKEN

URL = "http://localhost/sms/inbound"
_sids = itertools.count(1)


def signed_post(client: FlaskClient, params: dict[str, str], url: str = URL):
    token = client.application.config.get("TWILIO_AUTH_TOKEN") or DEV_AUTH_TOKEN
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post(
        url.replace("http://localhost", ""), data=params, headers={"X-Twilio-Signature": signature}
    )


def reply_message(xml: bytes) -> ElementTree.Element | None:
    """The reply's `<Message>` element (None for an empty reply)."""
    return ElementTree.fromstring(xml).find("./Message")


def reply_text(xml: bytes) -> str | None:
    root = ElementTree.fromstring(xml)
    assert root.tag == "Response"
    messages = root.findall("./Message")
    assert len(messages) <= 1
    return messages[0].text if messages else None


class Phone:
    """Texts from one number; `.send(body)` returns the reply text (None for an empty reply)."""

    def __init__(self, client: FlaskClient, number: str) -> None:
        self.client, self.number = client, number
        self.last_sid = ""
        self.last_xml = b""

    def send(self, body: str, **extra: str) -> str | None:
        self.last_sid = f"SM{next(_sids):032x}"
        params = {
            "From": self.number,
            "To": "+15005550006",
            "Body": body,
            "MessageSid": self.last_sid,
            "NumMedia": "0",
            **extra,
        }
        response = signed_post(self.client, params)
        assert response.status_code == 200, response.data
        self.last_xml = response.data
        text = reply_text(response.data)
        if text is not None:  # every reply, in every test: ≤ 3 segments, ≤ 1,600 characters
            assert len(text) <= MAX_BODY
            assert measure(text).count <= 3, (measure(text), text)
        return text


@pytest.fixture
def phone_factory(client: FlaskClient) -> Callable[[str], Phone]:
    return lambda number="+17135550142": Phone(client, number)


@pytest.fixture
def phone(phone_factory: Callable[[str], Phone]) -> Phone:
    return phone_factory("+17135550142")


@pytest.fixture
def seeded(app):
    """Rights topics, resources, employers and reviews from the demo seed."""
    from organize.cli import seed_employers_and_reviews, seed_resources, seed_rights
    from organize.extensions import db

    seed_rights()
    seed_resources()
    seed_employers_and_reviews()
    db.session.commit()
