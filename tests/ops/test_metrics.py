"""/metrics: what operators need (webhook latency, texts by intent, deliveries, throttle,
redaction), with labels from small fixed sets, never a number, a name, an employer or text."""

import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from organize import reviews
from organize.alerts import throttle
from organize.cli import seed_employers_and_reviews, seed_resources, seed_rights
from organize.extensions import db
from organize.models import Delivery
from organize.models.alerts import DELIVERY_STATUSES
from sms.keywords import KEYWORDS
from tests.alerts.conftest import add_subscribers, make_alert
from tests.sms.conftest import Phone

ALLOWED = {
    "channel": {"sms", "voice"},
    "intent": {*KEYWORDS, "conversation"},
    "status": set(DELIVERY_STATUSES),
    "bucket": {"sms", "calls"},
    "queue": {"default"},
    "le": None,  # histogram bounds: numbers by design
}
PERSONAL = ["Maria", "Lopez", "Sunrise", "7135550142", "713-555-0199", "555", "gate"]


def scrape(client, **headers):
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def samples(text):
    for family in text_string_to_metric_families(text):
        if family.name.startswith("organize_"):
            yield from family.samples


@pytest.fixture
def busy(app, client):
    """A little of everything, full of personal data the metrics must not carry."""
    seed_rights()
    seed_resources()
    seed_employers_and_reviews()
    db.session.commit()
    phone = Phone(client, "+17135550142")
    for body in ["RIGHTS", "1", "Maria Lopez at Sunrise owes me, call 713-555-0199", "ALTO"]:
        phone.send(body)
    reviews.prepare(text="Maria Lopez at Sunrise never paid overtime. 713-555-0199", locale="en")
    throttle.acquire("sms", 1000.0)
    subscribers = add_subscribers(3)
    alert = make_alert()
    for subscriber, status in zip(subscribers, ["sent", "sent", "failed"], strict=True):
        db.session.add(Delivery(alert_id=alert.id, subscriber_id=subscriber.id, status=status))
    db.session.commit()
    return client


def test_labels_come_from_fixed_sets_and_carry_nothing_personal(busy):
    text = scrape(busy)
    seen_labels = set()
    for sample in samples(text):
        for name, value in sample.labels.items():
            assert name in ALLOWED, (sample.name, name)
            seen_labels.add(name)
            if ALLOWED[name] is not None:
                assert value in ALLOWED[name], (sample.name, name, value)
    assert {"channel", "intent", "status", "bucket"} <= seen_labels
    lines = [line for line in text.splitlines() if "organize_" in line]
    organize_lines = "\n".join(lines)
    # Names, help and labels hold none of the words; a sample's value is a float whose digits can
    # hold "555" by chance (88.6313055530045), so values are checked for whole numbers only.
    described = "\n".join(
        line if line.startswith("#") else line.rsplit(" ", 1)[0] for line in lines
    )
    values = [line.rsplit(" ", 1)[-1] for line in lines if not line.startswith("#")]
    for word in PERSONAL:
        assert word not in described
    assert not any("7135550142" in value for value in values)  # no number as a figure either
    label_sets = " ".join(re.findall(r"\{[^}]*\}", organize_lines))
    without_bounds = re.sub(r'le="[^"]*"', "", label_sets)
    assert not re.search(r"\d", without_bounds)  # no label value holds a digit


def test_the_figures_operators_need(busy):
    values = {(s.name, tuple(sorted(s.labels.items()))): s.value for s in samples(scrape(busy))}
    assert values[("organize_sms_texts_total", (("intent", "rights"),))] >= 1
    assert values[("organize_sms_texts_total", (("intent", "opt_out"),))] >= 1
    assert values[("organize_sms_texts_total", (("intent", "conversation"),))] >= 1
    assert values[("organize_webhook_seconds_count", (("channel", "sms"),))] >= 4
    assert values[("organize_redaction_seconds_count", ())] >= 1
    assert values[("organize_throttle_wait_seconds_count", (("bucket", "sms"),))] >= 1
    assert values[("organize_deliveries", (("status", "sent"),))] == 2
    assert values[("organize_deliveries", (("status", "failed"),))] == 1
    assert ("organize_send_rate", ()) in values


def test_only_the_machine_itself_or_the_token_holder_may_read(app_factory):
    open_app = app_factory()
    client = open_app.test_client()
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    through_proxy = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert through_proxy.status_code == 404
    remote = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert remote.status_code == 404

    locked = app_factory(METRICS_TOKEN="a-long-random-token").test_client()
    assert locked.get("/metrics").status_code == 404
    wrong = locked.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 404
    right = locked.get("/metrics", headers={"Authorization": "Bearer a-long-random-token"})
    assert right.status_code == 200
