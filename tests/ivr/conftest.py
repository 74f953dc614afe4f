"""A phone that calls the line through the real signed webhooks, as Twilio would."""

import itertools
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from organize.plumbing.webhooks import DEV_AUTH_TOKEN

BASE = "http://localhost"
_sids = itertools.count(1)


def signed_post(
    client: FlaskClient, path: str, params: dict[str, str], signature: str | None = None
):
    """POST like Twilio: form params, signed over the full URL (query string included)."""
    if signature is None:
        token = client.application.config.get("TWILIO_AUTH_TOKEN") or DEV_AUTH_TOKEN
        signature = RequestValidator(token).compute_signature(BASE + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def parse(xml: bytes) -> ElementTree.Element:
    root = ElementTree.fromstring(xml)
    assert root.tag == "Response"
    return root


def gather_action(root: ElementTree.Element) -> str:
    gather = root.find("./Gather")
    assert gather is not None, ElementTree.tostring(root)
    return gather.attrib["action"]


def says(root: ElementTree.Element) -> list[ElementTree.Element]:
    return list(root.iter("Say"))


class Caller:
    """One call from one number: `.call()` dials in, `.press()` / `.speak()` answer menus."""

    def __init__(self, client: FlaskClient, number: str = "+17135550142", **extra: str) -> None:
        self.client, self.number, self.extra = client, number, extra
        self.sid = f"CA{next(_sids):032x}"
        self.root: ElementTree.Element | None = None

    def params(self, **more: str) -> dict[str, str]:
        base = {
            "CallSid": self.sid,
            "AccountSid": "AC" + "0" * 32,
            "From": self.number,
            "To": "+15005550006",
            "CallStatus": "in-progress",
            "Direction": "inbound",
        }
        return {**base, **self.extra, **more}

    def post(self, path: str, **more: str) -> ElementTree.Element:
        response = signed_post(self.client, path, self.params(**more))
        assert response.status_code == 200, response.data
        assert response.mimetype == "text/xml"
        self.root = parse(response.data)
        return self.root

    def call(self) -> ElementTree.Element:
        return self.post("/voice/inbound")

    def press(self, digits: str) -> ElementTree.Element:
        assert self.root is not None
        return self.follow(self.post(gather_action(self.root), Digits=digits))

    def speak(self, speech: str) -> ElementTree.Element:
        assert self.root is not None
        return self.follow(
            self.post(gather_action(self.root), SpeechResult=speech, Confidence="0.9")
        )

    def follow(self, root: ElementTree.Element, hops: int = 10) -> ElementTree.Element:
        """Follow bare redirects (no menu, no hang-up) as Twilio does after speaking."""
        while hops and root.find("./Gather") is None and root.find("./Record") is None:
            redirect = root.find("./Redirect")
            if redirect is None or root.find("./Hangup") is not None:
                return root
            root = self.post(redirect.text or "")
            hops -= 1
        return root

    def text(self) -> str:
        assert self.root is not None
        return " ".join(s.text or "" for s in self.root.iter("Say"))


@pytest.fixture
def caller(client: FlaskClient) -> Caller:
    return Caller(client)


@pytest.fixture
def seeded(app):
    """Rights topics, resources, employers and reviews from the demo seed."""
    from organize.cli import seed_employers_and_reviews, seed_resources, seed_rights
    from organize.extensions import db

    seed_rights()
    seed_resources()
    seed_employers_and_reviews()
    db.session.commit()
