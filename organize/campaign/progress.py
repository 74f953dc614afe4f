"""What the progress page says beyond counts: where every delivery stands (sent, delivered,
failed by reason, opted out, held for quiet hours), when the rest should be out at the send
rate, and the per-minute chart's geometry with its axes (drawn as inline SVG on the server)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from math import ceil
from typing import Any

import sqlalchemy as sa

from organize.extensions import db
from organize.models import Delivery
from organize.outbound.messaging import OPTED_OUT
from organize.plumbing.i18n import N_

# Twilio error codes an organizer sees as a reason (TWILIO.md); others are "other".
FAILURE_REASONS = {
    21211: N_("not a valid number"),
    21214: N_("not a valid number"),
    21408: N_("region not enabled"),
    21612: N_("cannot be reached from our number"),
    21614: N_("not a mobile number"),
    30003: N_("phone off or out of service"),
    30004: N_("blocked by the person"),
    30005: N_("unknown number"),
    30006: N_("landline or unreachable carrier"),
    30007: N_("filtered by the carrier"),
    30008: N_("unknown error"),
}
OTHER_REASON = N_("other")


@dataclass
class Breakdown:
    """Deliveries by what happened to them, and the time still needed."""

    sent: int = 0
    delivered: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    opted_out: int = 0
    held: int = 0
    held_until: datetime | None = None
    waiting: int = 0
    seconds_left: int | None = None

    @property
    def failed_total(self) -> int:
        """Every failure, whatever the reason."""
        return sum(self.failed.values())


def breakdown(*, alert_id: int, rate: float, now: datetime | None = None) -> Breakdown:
    """One grouped query over the alert's deliveries. The estimate is the segments still to
    send over `rate` (segments per second; 0 means unthrottled, so no estimate)."""
    now = now or datetime.now(UTC)
    later = sa.func.coalesce(Delivery.not_before > now, False).label("later")
    rows = db.session.execute(
        sa.select(
            Delivery.status,
            Delivery.error_code,
            later,
            sa.func.count(),
            sa.func.sum(Delivery.segments),
            sa.func.max(Delivery.not_before),
        )
        .where(Delivery.alert_id == alert_id)
        .group_by(Delivery.status, Delivery.error_code, later)
    ).all()
    found = Breakdown()
    segments_left = 0
    for status, code, held, count, segments, until in rows:
        if status in {"queued", "sending"} and held:
            found.held += count
            found.held_until = max(filter(None, [found.held_until, until]), default=None)
        elif status in {"queued", "sending"}:
            found.waiting += count
            segments_left += int(segments or 0)
        elif status == "skipped" or code == OPTED_OUT:
            found.opted_out += count
        elif status in {"failed", "undelivered", "no-answer", "busy"}:
            reason = FAILURE_REASONS.get(code or 0, OTHER_REASON)
            found.failed[reason] = found.failed.get(reason, 0) + count
        elif status in {"delivered", "answered"}:
            found.delivered += count
        elif status == "sent":
            found.sent += count
    if rate > 0:
        found.seconds_left = ceil(segments_left / rate)
    return found


def finish_at(found: Breakdown, now: datetime | None = None) -> datetime | None:
    """When the deliveries not held should be out, at the rate."""
    if found.seconds_left is None or not found.waiting:
        return None
    return (now or datetime.now(UTC)) + timedelta(seconds=found.seconds_left)


WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 320, 120, 36, 24, 8


def _ticks(peak: int, count: int = 4) -> list[int]:
    step = max(1, ceil(peak / count))
    return list(range(0, peak + step, step))


def chart(timeline: list[tuple[int, int]]) -> dict[str, Any]:
    """Bars, y-axis ticks (messages) and x-axis ticks (minutes since the first send), in the
    SVG's own units: the template only places them (no script, no inline style: CSP-safe)."""
    if not timeline:
        return {}
    peak = max(count for _minute, count in timeline) or 1
    y_ticks = _ticks(peak)
    top = y_ticks[-1] or 1
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    step = plot_w / len(timeline)
    bars = [
        {
            "x": round(LEFT + i * step, 1),
            "width": round(max(step - 1, 1), 1),
            "y": round(TOP + plot_h - count / top * plot_h, 1),
            "height": round(count / top * plot_h, 1),
            "minute": minute,
            "count": count,
        }
        for i, (minute, count) in enumerate(timeline)
    ]
    every = max(1, ceil(len(timeline) / 6))
    x_ticks = [
        {"x": round(LEFT + (i + 0.5) * step, 1), "label": minute}
        for i, (minute, _count) in enumerate(timeline)
        if i % every == 0
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "base": TOP + plot_h,
        "right": WIDTH - 4,
        "bars": bars,
        "y_ticks": [{"y": round(TOP + plot_h - v / top * plot_h, 1), "label": v} for v in y_ticks],
        "x_ticks": x_ticks,
        "peak": peak,
        "minutes": len(timeline),
    }
