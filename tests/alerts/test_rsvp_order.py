"""Which question a "1" answers: a live RSVP alert wins over the optional sign-up questions.

The rule (sms/router.py): a "1" answers the newest thing the number received. Every order is
played through the signed webhook, with the alert really sent through the fake Twilio.
"""

import pytest

from organize import privacy, subscribers
from organize.alerts import deliveries, fanout
from organize.employers import INDUSTRIES
from organize.models import Alert
from tests.alerts.conftest import make_alert
from tests.sms.conftest import Phone, reply_text, signed_post

NUMBER = "+17135550199"
COUNTED = "we counted you in"


class AlertedPhone(Phone):
    """A phone texting the app that sends alerts (its webhook URL is PUBLIC_URL's)."""

    def send(self, body: str, **extra: str) -> str | None:
        params = {"From": self.number, "To": "+15005550006", "Body": body, "NumMedia": "0"}
        response = signed_post(self.client, params, url="https://organize.example.org/sms/inbound")
        assert response.status_code == 200, response.data
        return reply_text(response.data)


@pytest.fixture
def phone(sender) -> AlertedPhone:
    return AlertedPhone(sender.test_client(), NUMBER)


def alert_goes_out() -> Alert:
    alert = make_alert(rsvp=True)
    assert fanout.send(alert=alert, actor=None)
    return alert


def me():
    return subscribers.get(phone_hash=privacy.phone(NUMBER).hash)


def test_joined_then_alert_then_1_is_an_rsvp_and_the_question_stays_open(phone, fake_twilio):
    phone.send("JOIN")
    assert "2 letters" in phone.send("YES")  # the optional region question is open
    alert = alert_goes_out()
    assert fake_twilio.counts_by_recipient() == {NUMBER: 1}
    assert COUNTED in phone.send("1")
    assert deliveries.rsvp_count(alert_id=alert.id) == 1
    assert me().region is None
    assert "what kind of work" in phone.send("TX")  # the question goes on where it was
    assert me().region == "TX"


def test_alert_mid_question_1_is_the_rsvp_not_the_first_industry(phone, fake_twilio):
    phone.send("JOIN")
    phone.send("YES")
    assert "what kind of work" in phone.send("TX")  # a question answered by numbers
    alert = alert_goes_out()
    assert COUNTED in phone.send("1")
    assert deliveries.rsvp_count(alert_id=alert.id) == 1
    assert me().industry is None
    # The thank-you was the newest thing: the next "1" answers the question still open.
    assert "Thank you. Your alerts" in phone.send("1")
    assert me().industry == INDUSTRIES[0]
    assert deliveries.rsvp_count(alert_id=alert.id) == 1


def test_1_with_no_live_alert_answers_the_question(phone, fake_twilio):
    phone.send("JOIN")
    phone.send("YES")
    phone.send("TX")
    assert COUNTED not in phone.send("1")
    assert me().industry == INDUSTRIES[0]


def test_a_question_asked_after_the_alert_gets_the_1(phone, fake_twilio):
    phone.send("JOIN")
    phone.send("YES")
    phone.send("SKIP")
    phone.send("SKIP")
    alert = alert_goes_out()
    phone.send("LANG")  # newer than the alert: "1" picks a language
    assert "Language saved" in phone.send("1")
    assert deliveries.rsvp_count(alert_id=alert.id) == 0


def test_stop_always_wins(phone, fake_twilio):
    phone.send("JOIN")
    phone.send("YES")
    alert = alert_goes_out()
    assert "no more messages" in phone.send("STOP")
    assert me().status == "opted_out"
    assert COUNTED not in (phone.send("1") or "")
    assert deliveries.rsvp_count(alert_id=alert.id) == 0
