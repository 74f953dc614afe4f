"""Promise 8: caller ID changes nothing a caller hears (anyone can spoof it). A number that
chose a language, subscribed and is mid-conversation by text hears, at every step of the line,
exactly what a never-seen number hears; whether it gets alerts is told only by a text to it."""

import json
from collections import deque
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa

from ivr import callstate
from organize import privacy, subscribers
from organize.extensions import db
from organize.models import Alert, AlertTranslation, OutboxMessage, Subscriber
from tests.ivr.conftest import Caller
from tests.ivr.walker import lang_of, successors
from tests.sms.conftest import Phone

KNOWN, UNKNOWN = "+17135550142", "+17135550199"
LIMIT = 600  # requests per language per caller: the keypad tree, breadth first


@pytest.fixture
def line(seeded, client):
    alert = Alert(status="sent")
    alert.translations = [
        AlertTranslation(locale="en", title="Rally Friday", body="Meet at noon."),
        AlertTranslation(locale="es", title="Marcha el viernes", body="A mediodía."),
    ]
    db.session.add(alert)
    db.session.commit()
    known = Phone(client, KNOWN)
    known.send("IDIOMA")  # remembers Spanish for this number …
    known.send("2")
    known.send("UNIRSE")  # … subscribes it …
    known.send("SI")
    known.send("RESEÑA")  # … and leaves a text conversation in progress
    db.session.expire_all()
    assert db.session.scalar(sa.select(Subscriber.status)) == "active"
    assert subscribers.locale_for(phone_hash=privacy.phone(KNOWN).hash) == "es"
    return client


def _restore(caller: Caller, snapshot: str) -> None:
    callstate.end(caller.sid)
    if state := json.loads(snapshot):
        callstate.save(caller.sid, **state)
    db.session.commit()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_line_sounds_the_same_for_a_known_and_an_unknown_caller(line, lang):
    known, unknown = Caller(line, KNOWN), Caller(line, UNKNOWN)
    queue = deque([("/voice/inbound", {}, "{}", "{}")])
    seen: set[str] = set()
    compared = 0
    while queue and compared < LIMIT:
        path, params, known_state, unknown_state = queue.popleft()
        key = path + json.dumps(params, sort_keys=True)
        if key in seen or lang_of(path) not in {"", lang}:
            continue
        seen.add(key)
        _restore(known, known_state)
        heard_known = ElementTree.tostring(known.post(path, **params))
        _restore(unknown, unknown_state)
        root = unknown.post(path, **params)
        assert heard_known == ElementTree.tostring(root), (path, params)
        compared += 1
        _kind, nexts = successors(root)
        after_known = json.dumps(callstate.load(known.sid), sort_keys=True)
        after_unknown = json.dumps(callstate.load(unknown.sid), sort_keys=True)
        queue.extend((p, q, after_known, after_unknown) for p, q in nexts)
    assert compared > 200
    assert "/voice/inbound" in {k.split("{")[0] for k in seen}


def test_alerts_by_phone_tell_a_subscriber_only_by_text(line):
    heard = []
    for number in (KNOWN, UNKNOWN):
        caller = Caller(line, number)
        caller.post("/voice/menu?lang=es", Digits="4")
        first = ElementTree.tostring(caller.root)
        heard.append((first, ElementTree.tostring(caller.press("1"))))
    assert heard[0] == heard[1]
    texts = {row.phone_hash: row.body for row in db.session.scalars(sa.select(OutboxMessage)).all()}
    assert "ya recibe alertas" in texts[privacy.phone(KNOWN).hash]  # by text, in Spanish
    assert "Responda" in texts[privacy.phone(UNKNOWN).hash]  # the double opt-in question
    statuses = dict(db.session.execute(sa.select(Subscriber.phone_hash, Subscriber.status)).all())
    assert statuses[privacy.phone(KNOWN).hash] == "active"  # left as it was
    assert statuses[privacy.phone(UNKNOWN).hash] == "pending"
