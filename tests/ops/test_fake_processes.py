"""The fake Twilio the benchmarks run as processes: several sharing one port must still add up
to one exact record, or bench/broadcast.py's "exactly once" would judge half the messages."""

import json
import urllib.request

from twilio.rest import Client

from bench._services import FakeProcess
from organize.outbound.messaging import RedirectingHttpClient
from tests.faketwilio import ACCOUNT, TOKEN


def _own_counts(control: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{control}/_fake/messages", timeout=10) as answer:  # noqa: S310
        counts: dict[str, int] = json.load(answer)["counts"]
    return counts


def test_processes_sharing_a_port_add_up_to_one_record():
    numbers = [f"+1713555{i:04d}" for i in range(40)]
    with FakeProcess(processes=2) as fake:
        sids = set()
        for number in numbers:  # a connection each: the kernel spreads them over both
            client = Client(ACCOUNT, TOKEN, http_client=RedirectingHttpClient(fake.url, 10.0))
            message = client.messages.create(to=number, from_="+15005550006", body="hola")
            sids.add(message.sid)
            client.http_client.session.close()
        assert len(sids) == len(numbers)
        assert fake.counts() == dict.fromkeys(numbers, 1)
        each = [_own_counts(control) for control in fake.controls]
        assert all(each), "one process answered every connection"
        assert sum(len(counts) for counts in each) == len(numbers)
        assert fake.cpu_seconds() == sum(fake.cpu_each()) > 0
