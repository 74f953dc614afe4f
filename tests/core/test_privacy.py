"""Promise 1 (DESIGN.md §4): no IP address, user agent or raw text at rest, in logs or Redis."""

import logging

from organize.plumbing.logscrub import ScrubFilter, scrub
from organize.plumbing.ratelimit import limiter_key
from tests.factories import dump_database, make_employer
from tests.htmltools import input_value

IP = "203.0.113.77"
UA = "NokiaC2-01/5.0 (Java) DistinctiveAgent/9.9"
STORY = "My boss Pedro Ramirez stole tips. Call me 713 555 0142 or pedro.r@example.com."


def test_scrub_masks_ip_addresses_and_phone_numbers():
    line = f"{IP} - - [x] POST /sms/inbound from +1 (713) 555-0142 and 2001:db8::1 took 12.5 ms"
    cleaned = scrub(line)
    for secret in (IP, "555-0142", "2001:db8::1"):
        assert secret not in cleaned
    assert "12.5 ms" in cleaned
    assert "POST /sms/inbound" in cleaned


def test_scrub_filter_rewrites_log_records(caplog):
    logger = logging.getLogger("organize.test")
    logger.addFilter(ScrubFilter())
    with caplog.at_level(logging.INFO):
        logger.info("texted %s from %s", "+17135550142", IP)
    assert "7135550142" not in caplog.text
    assert IP not in caplog.text


def test_limiter_key_is_not_the_address(app):
    with app.test_request_context(environ_base={"REMOTE_ADDR": IP}):
        key = limiter_key()
    assert IP not in key
    assert "203" not in key
    assert len(key) == 24
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.1"}):
        assert limiter_key() != key


def test_review_leaves_no_ip_agent_or_raw_text_anywhere(app_factory, redis_client, caplog):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    env = {"REMOTE_ADDR": IP}
    headers = {"User-Agent": UA}
    with app.app_context(), caplog.at_level(logging.DEBUG):
        employer = make_employer()
        data = {"employer": employer.slug, "text": STORY, "pay": "1"}
        page = client.post("/review", data=data, environ_base=env, headers=headers)
        payload = input_value(page.get_data(as_text=True), "payload")
        confirm = client.post(
            "/review/confirm", data={"payload": payload}, environ_base=env, headers=headers
        )
        assert confirm.status_code == 302
        dump = dump_database()
    redis_dump = "\n".join(
        repr(key) + repr(redis_client.dump(key)) for key in redis_client.scan_iter("*")
    )
    for place in (dump, caplog.text, redis_dump):
        for secret in (IP, "DistinctiveAgent", "Ramirez", "555 0142", "5550142", "pedro.r"):
            assert secret not in place
    assert "[phone]" in dump
