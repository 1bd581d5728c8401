"""Record times: the clinic's wall-clock time, never in the future where the past is required."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
        try:
            return at.astimezone(zone).replace(tzinfo=None)
        except OverflowError:
            raise RecordError(f"{what} at {at.isoformat()} is outside the calendar") from None
    check_happened(at, time_zone, what)
    first, second = at.replace(tzinfo=zone, fold=0), at.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        offsets = " or ".join(f"{t:%z}"[:3] + ":" + f"{t:%z}"[3:] for t in (first, second))
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} happened twice in {time_zone} (the clocks went back): "
            f'give the UTC offset, e.g. "{at:%Y-%m-%d %H:%M}{offsets.split(" or ")[0]}" '
            f"({offsets})"
        )
    return at


def elapsed_hours(later: datetime, earlier: datetime, time_zone: str) -> float:
    """Hours between two stored wall-clock times of `time_zone`, counted through UTC as the pump
    clock counts them (`PumpClock.hours`): across the October change a week is 169 h, not 168."""
    zone = ZoneInfo(time_zone)
    span = later.replace(tzinfo=zone).astimezone(UTC) - earlier.replace(tzinfo=zone).astimezone(UTC)
    return span.total_seconds() / 3600


def wall_time_after(start: datetime, hours: float, time_zone: str) -> datetime:
    """The stored wall-clock time `hours` elapsed hours after `start` (`elapsed_hours` inverse)."""
    zone = ZoneInfo(time_zone)
    moment = start.replace(tzinfo=zone).astimezone(UTC) + timedelta(hours=hours)
    return moment.astimezone(zone).replace(tzinfo=None)


def check_happened(at: datetime, time_zone: str, what: str) -> None:
    """Refuse a wall time the clocks skipped in `time_zone` (the hour lost going forward); the
    imports check stored times with it (a stored time has no offset to settle a repeated hour)."""
    zone = ZoneInfo(time_zone)
    try:
        back = at.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        raise RecordError(f"{what} at {at:%Y-%m-%d %H:%M} is outside the calendar") from None
    if back != at:
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} did not happen in {time_zone}: the clocks went "
            "forward over that hour"
        )
