"""Status codes, appeals and flags leave no link to a number, an address or a session (issue 18).

A review is written on each channel and its code used on each channel (status, then an appeal),
a published review is flagged, the panel votes; then every table, every Redis key and value
and the captured logs are scanned for: the codes in clear; any form of the numbers, the client
address or the session cookie; and any place holding a number's blind index beside a code, a
code's hash or an appeal's words. The panel's tables are pinned to their columns, so a column
that could tie a case to someone (an address, a session, a number, a timestamp) fails here first.
"""

import logging
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from organize import privacy, reviews
from organize.extensions import db
from organize.governance import codes, panel
from organize.models import PanelCase, PanelVote, Review, RuleVersion
from tests.factories import appears, make_employer, make_organizer, make_review
from tests.governance.conftest import make_panel
from tests.htmltools import input_value
from tests.ivr.conftest import Caller
from tests.privacy.test_regression import _redis, _rows, forms
from tests.sms.conftest import Phone

TEXTER = "+17135550181"
CALLER = "+13055550182"
ADDRESS = "203.0.113.77"
APPEAL_WORDS = {"web": "tuesday inventory", "sms": "forklift schedule", "voice": "turno de noche"}


def _code(text: str) -> str:
    found = re.search(r"\d{5} \d{5}|\d, \d, \d, \d, \d\. \d, \d, \d, \d, \d", text)
    assert found, text
    return re.sub(r"\D", "", found.group(0))


@pytest.fixture
def world(app_factory, fake_twilio, redis_client, caplog) -> Iterator[tuple[Flask, dict]]:
    caplog.set_level(logging.DEBUG)
    app = app_factory(**fake_twilio.config(), TWILIO_TIMEOUT=2.0, PANEL_QUORUM=2)
    seen: dict = {"codes": {}}
    with app.app_context():
        employer = make_employer()
        moderator = make_organizer()
        web = app.test_client()
        env = {"REMOTE_ADDR": ADDRESS}
        page = web.post(
            "/review?lang=en",
            data={"employer": employer.slug, "text": "Tips kept every week.", "pay": "2"},
            environ_base=env,
        ).get_data(as_text=True)
        web.post(
            "/review/confirm", data={"payload": input_value(page, "payload")}, environ_base=env
        )
        thanks = web.get("/review/thanks", environ_base=env).get_data(as_text=True)
        seen["codes"]["web"] = _code(thanks)
        seen["session"] = web.get_cookie("session").value if web.get_cookie("session") else ""

        texter = Phone(app.test_client(), TEXTER)
        for body in ["REVIEW", "Golden Wok Buffet, Pasadena", "NEW", *["SKIP"] * 8]:
            texter.send(body)
        texter.send("They kept the tips.")
        texter.send("DONE")
        seen["codes"]["sms"] = _code(texter.send("YES") or "")

        caller = Caller(app.test_client(), CALLER)
        caller.post("/voice/menu?lang=es", Digits="2")
        caller.speak("Sunrise Cleaning")
        caller.press("1")
        for _question in range(8):
            caller.press("#")
        caller.speak("Nos pagaban tarde.")
        preview = caller.root
        assert preview is not None
        caller.press("2")
        done = caller.post(caller.root.find("./Gather").attrib["action"], Digits="1")
        seen["codes"]["voice"] = _code(" ".join(s.text or "" for s in done.iter("Say")))
        caller.post("/voice/main?lang=es", CallStatus="completed")

        for review in db.session.scalars(sa.select(Review)):
            reviews.reject(review=review, actor=moderator, reason="not-about-work")
        db.session.commit()

        code = seen["codes"]["web"]
        status = web.post("/review/status", data={"code": code}, environ_base=env)
        web.post(
            "/review/status/appeal",
            data={"code": input_value(status.get_data(as_text=True), "code"),
                  "reason": f"It was about the {APPEAL_WORDS['web']}."},
            environ_base=env,
        )  # fmt: skip
        texter.send(f"STATUS {seen['codes']['sms']}")
        texter.send(f"APPEAL {seen['codes']['sms']} it was the {APPEAL_WORDS['sms']}")
        phone_call = Caller(app.test_client(), CALLER)
        phone_call.post("/voice/menu?lang=es", Digits="6")
        phone_call.press(seen["codes"]["voice"] + "#")
        phone_call.press("1")
        phone_call.speak(f"Era del {APPEAL_WORDS['voice']}")
        phone_call.post("/voice/main?lang=es", CallStatus="completed")
        texter.send("STATUS 0000000000")  # a wrong code, counted against the number

        riverside = make_employer("Riverside Laundry")
        for _ in range(3):
            make_review(riverside, status="approved")
        token_page = web.get(f"/employers/{riverside.slug}", environ_base=env)
        link = re.search(r'href="(/reviews/flag/[^"]+)"', token_page.get_data(as_text=True))
        assert link
        web.post(link.group(1), data={"rule": "spam", "reason": "ad"}, environ_base=env)
        members = make_panel(3)
        for case in db.session.scalars(sa.select(PanelCase)):
            for member in members[:2]:
                panel.vote(case=case, member=member, yes=True)
        db.session.commit()
        yield app, seen


def _places(app, redis_client, caplog) -> list[tuple[str, str]]:
    places = [(f"table {t}", text) for t, text in _rows()]
    places += [(f"redis {k}", f"{k} {v}") for k, v in _redis(app, redis_client)]
    places += [("log", line) for line in caplog.text.splitlines()]
    return places


def test_the_world_happened(world):
    _app, seen = world
    cases = db.session.scalars(sa.select(PanelCase)).all()
    assert sorted(c.kind for c in cases) == ["appeal", "appeal", "appeal", "flag"]
    assert all(c.status in {"overturned", "removed"} for c in cases)
    assert len(set(seen["codes"].values())) == 3


def test_codes_are_nowhere_in_clear_and_their_hashes_sit_beside_no_number(
    world, redis_client, caplog
):
    app, seen = world
    hashes = {privacy.phone(n).hash for n in (TEXTER, CALLER)}
    for where, text in _places(app, redis_client, caplog):
        for channel, code in seen["codes"].items():
            assert not appears(code, text), (where, channel)
            assert not appears(codes.spaced(code), text), (where, channel)
            if codes.digest(code) in text:
                assert not any(h in text for h in hashes), where


def test_no_number_address_or_session_in_any_table_redis_or_log(world, redis_client, caplog):
    app, seen = world
    needles = [f for n in (TEXTER, CALLER) for f in forms(n)] + [ADDRESS]
    needles += [seen["session"]] if seen["session"] else []
    for where, text in _places(app, redis_client, caplog):
        for needle in needles:
            assert not appears(needle, text), (where, needle)


def test_no_blind_index_beside_an_appeals_words(world, redis_client, caplog):
    app, _seen = world
    hashes = {privacy.phone(n).hash for n in (TEXTER, CALLER)}
    for where, text in _places(app, redis_client, caplog):
        if any(h in text for h in hashes):
            for words in APPEAL_WORDS.values():
                assert words not in text.lower(), where


def test_the_panels_tables_hold_nothing_that_could_name_someone():
    assert {c.name for c in PanelCase.__table__.columns} == {
        "id", "kind", "review_id", "rule_key", "reason", "locale", "proposal", "status",
        "opened_on", "closes_on", "decided_on", "votes_yes", "votes_no",
    }  # fmt: skip
    # a vote names no member: a keyed hash of case and member lets each vote once
    assert {c.name for c in PanelVote.__table__.columns} == {"id", "case_id", "ballot", "yes"}
    assert {c.name for c in RuleVersion.__table__.columns} == {
        "id", "key", "version", "texts", "retired", "effective_on", "case_id",
    }  # fmt: skip
    days = [c for c in PanelCase.__table__.columns if c.name.endswith("_on")]
    assert all(isinstance(c.type, sa.Date) for c in days)  # days, never a time of day
