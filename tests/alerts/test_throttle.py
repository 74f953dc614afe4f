"""The shared token bucket, in Redis (real or fakeredis with Lua) and in-process."""

import itertools

import pytest

from organize.alerts import throttle
from organize.alerts.quiet import next_allowed, zone_for


@pytest.mark.parametrize("backend", ["redis", "local"])
def test_reservations_space_requests_at_the_rate(app_factory, redis_client, backend):
    from tests.conftest import TEST_REDIS_URL

    if backend == "redis" and not TEST_REDIS_URL:
        import fakeredis

        from organize.extensions import rq

        app = app_factory(REDIS_URL="redis://fake")
        with app.app_context():
            rq.queue.connection = fakeredis.FakeRedis()  # the bucket reads this connection
            waits = [throttle.reserve("test", rate=10, wanted=1) for _ in range(30)]
    else:
        url = TEST_REDIS_URL if backend == "redis" else None
        app = app_factory(REDIS_URL=url)
        with app.app_context():
            waits = [throttle.reserve(f"test-{backend}", rate=10, wanted=1) for _ in range(30)]
    assert waits[:10] == [0.0] * 10  # one second of burst
    later = waits[10:]
    assert all(b > a for a, b in itertools.pairwise(later))  # a queue, in order
    assert later[-1] == pytest.approx(2.0, abs=0.15)  # 20 more at 10/s ≈ 2 s


def test_segments_count_as_tokens(app_factory):
    with app_factory(REDIS_URL=None).app_context():
        assert throttle.reserve("segments", rate=3, wanted=3) == 0.0
        assert throttle.reserve("segments", rate=3, wanted=3) == pytest.approx(1.0, abs=0.05)


def test_rate_zero_means_unthrottled(app):
    assert throttle.reserve("off", rate=0, wanted=100) == 0.0


def test_zones_from_region_then_number():
    assert zone_for(region="tx", e164="+12125550100", default="UTC") == "America/Chicago"
    assert zone_for(region=None, e164="+12125550100", default="UTC") == "America/New_York"
    assert zone_for(region=None, e164=None, default="UTC") == "UTC"


def test_next_allowed():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    chicago = ZoneInfo("America/Chicago")
    late = datetime(2026, 3, 4, 22, 30, tzinfo=chicago).astimezone(UTC)
    opening = next_allowed(late, "America/Chicago", 8, 21)
    assert opening.astimezone(chicago) == datetime(2026, 3, 5, 8, 0, tzinfo=chicago)
    early = datetime(2026, 3, 4, 6, 0, tzinfo=chicago).astimezone(UTC)
    assert next_allowed(early, "America/Chicago", 8, 21).astimezone(chicago).day == 4
    assert next_allowed(datetime(2026, 3, 4, 18, 0, tzinfo=UTC), "America/Chicago", 8, 21) is None


def test_a_chunk_reserved_at_once_is_spaced_like_single_reservations(app_factory):
    with app_factory(REDIS_URL=None).app_context():
        waits = throttle.reserve_each("chunk", rate=4, amounts=[1, 1, 2, 1, 1, 2])
        # 4 tokens of burst, then one every quarter second: the 3rd send's second segment
        # is the 4th token, the last send's second segment the 8th (a second later).
        assert waits[:3] == [0.0, 0.0, 0.0]
        assert waits[3:] == pytest.approx([0.25, 0.5, 1.0], abs=0.05)
        assert throttle.reserve_each("chunk-off", rate=0, amounts=[5, 5]) == [0.0, 0.0]
