"""Record times: the clinic's wall-clock time, never in the future where the past is required."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from itbtwin.errors import RecordError
from itbtwin.pump import repeated as twice
from itbtwin.pump import skipped


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
    records could not otherwise say which hour was meant (issue 17). Of the two, only the first
    can be stored (`_refuse_second_hour`)."""
    zone = ZoneInfo(time_zone)
    if at.tzinfo is not None:
        try:
            local = at.astimezone(zone)
        except OverflowError:
            raise RecordError(f"{what} at {at.isoformat()} is outside the calendar") from None
        if local.fold and repeated(local.replace(tzinfo=None), time_zone):
            _refuse_second_hour(local, time_zone, what)
        return local.replace(tzinfo=None)
    check_happened(at, time_zone, what)
    if repeated(at, time_zone):
        first, second = at.replace(tzinfo=zone, fold=0), at.replace(tzinfo=zone, fold=1)
        offsets = " or ".join(offset_text(t) for t in (first, second))
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} happened twice in {time_zone} (the clocks went back): "
            f'give the UTC offset, e.g. "{at:%Y-%m-%d %H:%M}{offsets.split(" or ")[0]}" '
            f"({offsets})"
        )
    return at


def offset_text(moment: datetime) -> str:
    """A moment's UTC offset as written after a time: "+01:00"."""
    text = f"{moment:%z}"
    return f"{text[:3]}:{text[3:]}"


def _refuse_second_hour(local: datetime, time_zone: str, what: str) -> None:
    """Refuse a time in the second of the two repeated hours (`local`: aware, fold 1). The
    records keep naive wall-clock times and read a repeated hour as the first (`elapsed_hours`,
    `with_offset_if_repeated`), so it would be stored (or read) early by the change of offset
    (issue 17); the message names the nearest later time the records can hold, just after the
    repeated hour (found minute by minute: a change of offset is at most a few hours)."""
    wall = local.replace(tzinfo=None, second=0, microsecond=0)
    early = local.replace(fold=0).utcoffset() - local.utcoffset()  # type: ignore[operator]
    after = next(
        moment
        for minutes in range(1, 24 * 60)
        if not repeated(moment := wall + timedelta(minutes=minutes), time_zone)
    )
    shift = "an hour" if early == timedelta(hours=1) else f"{early.total_seconds() / 60:.0f} min"
    raise RecordError(
        f"{what} at {wall:%Y-%m-%d %H:%M}{offset_text(local)} is in the second of the two "
        f"repeated hours in {time_zone} (the clocks went back): the records keep the pump's "
        "wall-clock time and read a repeated hour as the first, so this time would be taken "
        f"{shift} early; give {after:%Y-%m-%d %H:%M} (just after the repeated hour) instead"
    )


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
    try:
        lost = skipped(at, ZoneInfo(time_zone))
    except OverflowError:
        raise RecordError(f"{what} at {at:%Y-%m-%d %H:%M} is outside the calendar") from None
    if lost:
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} did not happen in {time_zone}: the clocks went "
            "forward over that hour"
        )


def repeated(at: datetime, time_zone: str) -> bool:
    """Whether the wall time `at` happened twice in `time_zone` (the hour the clocks go back)."""
    return twice(at, ZoneInfo(time_zone))


def with_offset_if_repeated(at: datetime, time_zone: str) -> datetime:
    """A stored wall time as an export writes it: with its UTC offset when the clocks went back
    over it (the first of the two hours, as the records count it: `elapsed_hours`), so that the
    import reads the same moment; naive otherwise."""
    return at.replace(tzinfo=ZoneInfo(time_zone)) if repeated(at, time_zone) else at


CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of this machine's clock an imported time may be in its own zone: clocks of two
machines kept by NTP differ by seconds; 5 minutes allows one not synchronised [assumption]."""
WIDEST_CLOCK_GAP = timedelta(hours=26)
"""How far ahead an imported time of unknown zone may be: two clocks on Earth differ by at most
26 hours (UTC-12 to UTC+14, IANA time zone database)."""


def require_recorded(at: datetime, time_zone: str | None, what: str) -> datetime:
    """Refuse an imported record time after now in `time_zone` (this machine's zone and
    `WIDEST_CLOCK_GAP` when it is not known): a refill or an event in a file has happened
    (issue 17); `CLOCK_SKEW` is allowed for the clocks of two machines."""
    if time_zone is None:
        now, allowed = datetime.now(), WIDEST_CLOCK_GAP
    else:
        now, allowed = datetime.now(ZoneInfo(time_zone)).replace(tzinfo=None), CLOCK_SKEW
    if at > now + allowed:
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} is in the future (now {now:%Y-%m-%d %H:%M}"
            f"{'' if time_zone is None else ' in ' + time_zone}): a recorded time has happened"
        )
    return at
