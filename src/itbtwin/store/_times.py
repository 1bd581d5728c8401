"""Record times: the clinic's wall-clock time, never in the future where the past is required."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from itbtwin.errors import RecordError


def require_past(at: datetime, now: datetime, what: str) -> datetime:
    """Refuse a time after `now` for something that has already happened."""
    if at > now:
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} is in the future (now {now:%Y-%m-%d %H:%M})"
        )
    return at


def wall_time(at: datetime, time_zone: str, what: str) -> datetime:
    """A record time as the pump's wall-clock time (naive, as stored).

    A time with a UTC offset (``2026-10-25 01:30+01:00``) is converted to the zone's wall time.
    A wall time that never happened (the hour skipped when the clocks go forward) is refused, and
    one that happened twice (the hour repeated when they go back) needs its UTC offset: the
    records could not otherwise say which hour was meant (issue 17)."""
    zone = ZoneInfo(time_zone)
    if at.tzinfo is not None:
        return at.astimezone(zone).replace(tzinfo=None)
    first, second = at.replace(tzinfo=zone, fold=0), at.replace(tzinfo=zone, fold=1)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != at:
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} did not happen in {time_zone}: the clocks went "
            "forward over that hour"
        )
    if first.utcoffset() != second.utcoffset():
        offsets = " or ".join(f"{t:%z}"[:3] + ":" + f"{t:%z}"[3:] for t in (first, second))
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} happened twice in {time_zone} (the clocks went back): "
            f'give the UTC offset, e.g. "{at:%Y-%m-%d %H:%M}{offsets.split(" or ")[0]}" '
            f"({offsets})"
        )
    return at
