"""The call walker: acts like Twilio on every branch of the line.

From /voice/inbound it follows every <Gather> action with every key (0-9, *, #), with speech
samples where the Gather listens, and with its timeout path (the <Redirect> after it); it
follows <Redirect>s, <Record> actions and <Dial> actions. Each URL + input is tried once
(the state is in the URL); the call's server-side state (the review being built) is restored
to what it was when the screen was reached, so a branch explored later sees the same call.

For every response it checks: valid TwiML; every <Say> non-empty and in an allowed language
for the screen's `lang`; every <Play> has a URL; every <Gather> says something and is followed
by its timeout <Redirect>; the response ends in a <Hangup/>, a <Dial>, a <Gather> (a menu) or a
<Redirect>; and no more than MAX_HOPS bare redirects pass before a menu or an end.
"""

import json
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from ivr import callstate
from organize.extensions import db
from tests.ivr.conftest import Caller

KEYS = list("0123456789*#")
SPEECH = ["Sunrise Cleaning", "Mi supervisor Jorge Medina me quitó el pasaporte.", ""]
MAX_HOPS = 8
MAX_REQUESTS = 40_000


@dataclass
class Report:
    """What the walk saw, per language ("" = before a language was chosen)."""

    edges: Counter[str] = field(default_factory=Counter)
    ends: Counter[tuple[str, str]] = field(default_factory=Counter)
    screens: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)


def lang_of(path: str) -> str:
    return parse_qs(urlsplit(path).query).get("lang", [""])[0]


def screen_lang(path: str, root: ElementTree.Element) -> str:
    """The language a response is meant to speak: that of the screen it asks for next (its
    Gather/Record action or Redirect), else that of the request (a goodbye)."""
    for verb in root:
        target = verb.attrib.get("action") or (verb.text if verb.tag == "Redirect" else None)
        if verb.tag in {"Gather", "Record", "Redirect"} and target:
            return lang_of(target)
    return lang_of(path)


def _fail(report: Report, path: str, message: str, root: ElementTree.Element) -> None:
    report.failures.append(f"{path}: {message}: {ElementTree.tostring(root)[:400]!r}")


def check(report: Report, path: str, root: ElementTree.Element, allowed: set[str],
          speech: str) -> None:  # fmt: skip
    """The per-response assertions (collected, so one walk reports every problem)."""
    verbs = list(root)
    if not verbs:
        _fail(report, path, "empty response", root)
        return
    for say in root.iter("Say"):
        if not (say.text or "").strip():
            _fail(report, path, "empty <Say>", root)
        if say.attrib.get("language") not in allowed:
            _fail(report, path, f"<Say> language {say.attrib.get('language')}", root)
    for play in root.iter("Play"):
        if not (play.text or "").strip():
            _fail(report, path, "empty <Play>", root)
    for index, verb in enumerate(verbs):
        if verb.tag == "Gather":
            if not [c for c in verb if c.tag in {"Say", "Play"}]:
                _fail(report, path, "silent <Gather>", root)
            nxt = verbs[index + 1] if index + 1 < len(verbs) else None
            if nxt is None or nxt.tag != "Redirect":
                _fail(report, path, "<Gather> without a timeout path", root)
            if "speech" in verb.attrib.get("input", "") and verb.attrib.get("language") != speech:
                _fail(report, path, f"speech language {verb.attrib.get('language')}", root)
    if verbs[-1].tag not in {"Hangup", "Dial", "Redirect"}:
        _fail(report, path, f"dead end after <{verbs[-1].tag}>", root)


def successors(root: ElementTree.Element) -> tuple[str, list[tuple[str, dict[str, str]]]]:
    """(kind, next requests): kind is menu, hangup, dial or redirect."""
    verbs = {verb.tag: verb for verb in root}
    redirect = verbs.get("Redirect")
    if "Hangup" in verbs:
        return "hangup", []
    if "Gather" in verbs:
        gather = verbs["Gather"]
        action = gather.attrib["action"]
        nexts = [(action, {"Digits": key}) for key in KEYS]
        if "speech" in gather.attrib.get("input", ""):
            nexts += [(action, {"SpeechResult": s, "Confidence": "0.8"}) for s in SPEECH]
        return "menu", [*nexts, (redirect.text or "", {})] if redirect is not None else nexts
    if "Record" in verbs:
        action = verbs["Record"].attrib["action"]
        recorded = {"RecordingSid": "RE" + "1" * 32, "RecordingDuration": "9"}
        return "menu", [(action, recorded), (action, {**recorded, "Digits": "*"}),
                        (redirect.text or "", {})]  # fmt: skip
    if "Dial" in verbs:
        action = verbs["Dial"].attrib["action"]
        return "dial", [(action, {"DialCallStatus": s}) for s in ("completed", "no-answer")]
    assert redirect is not None
    return "redirect", [(redirect.text or "", {})]


def walk(caller: Caller, allowed: dict[str, set[str]], speech: dict[str, str],
         only: str | None = None) -> Report:  # fmt: skip
    """Breadth-first over (URL, input), restoring the call's state for each branch."""
    report = Report()
    start = ("/voice/inbound", {}, "{}", 0)
    queue: deque[tuple[str, dict[str, str], str, int]] = deque([start])
    seen: set[str] = set()
    requests, current = 0, "{}"
    while queue:
        path, params, snapshot, hops = queue.popleft()
        key = path + json.dumps(params, sort_keys=True)
        if key in seen or (only and lang_of(path) not in {"", only}):
            continue
        seen.add(key)
        requests += 1
        assert requests < MAX_REQUESTS, "the line has too many states to walk"
        if snapshot != current:
            callstate.end(caller.sid)
            if state := json.loads(snapshot):
                callstate.save(caller.sid, **state)
            db.session.commit()
        root = caller.post(path, **params)
        lang, spoken = lang_of(path), screen_lang(path, root)
        report.edges[lang] += 1
        report.screens.add(urlsplit(path).path)
        check(report, path, root, allowed.get(spoken, allowed[""]), speech.get(spoken, ""))
        kind, nexts = successors(root)
        gather = root.find("./Gather")
        if hops and gather is not None and "tries=" in gather.attrib["action"]:
            _fail(report, path, "a screen's redirect counted as a failed try", root)
        if kind in {"hangup", "dial"}:
            report.ends[(lang, kind)] += 1
        hops = 0 if kind == "menu" else hops + 1
        if hops > MAX_HOPS:
            _fail(report, path, "too many redirects without a menu or an end", root)
            continue
        after: dict[str, Any] = callstate.load(caller.sid)
        current = json.dumps(after, sort_keys=True)
        for nxt_path, nxt_params in nexts:
            queue.append((nxt_path, nxt_params, current, hops))
    return report
