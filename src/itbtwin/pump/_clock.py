"""The pump's clock: elapsed hours ↔ local time, with time zones and daylight saving.

Flex steps and periodic boluses start at clock times, so when the clock moves (a daylight-saving
change, or the clinician setting another time zone after travel) their boundaries move in elapsed
time [synchromed2:S15 "time changes may affect flex dosing"]. With ``follow_dst=False`` the clock
keeps the UTC offset it had when set, as a pump whose clock nobody adjusts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from itbtwin.errors import ProgramError, shown


@dataclass(frozen=True)
class ClockChange:
    """A jump of the local clock at elapsed hour `time_h`, from one UTC offset to another."""

    time_h: float
    before: timedelta
    after: timedelta
    reason: str

    @property
    def detail(self) -> str:
        """A sentence for the event log."""
        shift = (self.after - self.before).total_seconds() / 3600
        way = "earlier" if shift > 0 else "later"
        return (
            f"{self.reason}: clock UTC{_offset(self.before)} → UTC{_offset(self.after)}; flex "
            f"step boundaries move {abs(shift):g} h {way} in elapsed time"
        )


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


FIXED_OFFSET_NAMES = re.compile(r"(Etc/)?GMT[+-]\d+|EST|MST|HST")
"""IANA names of fixed UTC offsets that read like a place's zone: ``EST`` never moves to summer
time (a pump in New York would be an hour off half the year) and ``Etc/GMT+5`` is UTC-5, its
sign inverted (IANA tz database, file etcetera). UTC itself is accepted."""


NOT_A_PLACE = re.compile(r"localtime|posixrules|Factory|(posix|right)/.*")
"""Files of the zone database that are no place: ``localtime`` is whatever zone this machine is
set to, ``posixrules`` the rules of another zone, ``Factory`` no zone at all, and ``right/...``
counts leap seconds (its clocks differ from civil time by 27 s); ``posix/...`` repeats a place
under another name. A pump's clock follows a place (issue 17: each was accepted)."""


def zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name`` (e.g. ``Europe/London``)."""
    if isinstance(name, str) and NOT_A_PLACE.fullmatch(name):
        raise ProgramError(
            f"time zone {name!r} is not a place: use the IANA name of where the pump is, such "
            "as Europe/London or America/New_York (or UTC)"
        )
    if isinstance(name, str) and FIXED_OFFSET_NAMES.fullmatch(name):
        raise ProgramError(
            f"time zone {name!r} is a fixed UTC offset without daylight saving: use the place's "
            "IANA name, such as America/New_York or Europe/London (or UTC)"
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise ProgramError(
            f"unknown time zone {shown(str(name))} (use an IANA name such as Europe/London)"
        ) from None


def skipped(at: datetime, tz: ZoneInfo) -> bool:
    """Whether the naive wall time `at` never happened in `tz` (the hour lost when the clocks go
    forward): it does not come back from UTC as itself. OverflowError: outside the calendar."""
    return at.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) != at


def repeated(at: datetime, tz: ZoneInfo) -> bool:
    """Whether the naive wall time `at` happened twice in `tz` (the hour the clocks go back)."""
    return at.replace(tzinfo=tz, fold=0).utcoffset() != at.replace(tzinfo=tz, fold=1).utcoffset()


@dataclass(frozen=True)
class PumpClock:
    """Clock of a pump from `start` (aware datetime, elapsed hour 0).

    `zones` are (elapsed hour from which it holds, IANA zone name); the first starts at 0.
    """

    start: datetime
    zones: tuple[tuple[float, str], ...]
    follow_dst: bool = True

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ProgramError("the pump clock needs a start with a time zone")
        if not self.zones or self.zones[0][0] != 0:
            raise ProgramError("the pump clock needs a time zone from hour 0")
        times = [t for t, _ in self.zones]
        if times != sorted(times) or len(set(times)) != len(times):
            raise ProgramError("time zone changes must be in time order")
        for _, name in self.zones:
            zone(name)

    def _window(self, t_h: float) -> int:
        """The zone setting in force at an elapsed hour; before hour 0 (a date already past,
        e.g. an ERI reached before the fill) the one set at hour 0."""
        return max((i for i, (start, _) in enumerate(self.zones) if start <= t_h), default=0)

    def _tz(self, index: int) -> tzinfo:
        start_h, name = self.zones[index]
        tz = zone(name)
        if self.follow_dst:
            return tz
        offset = self.utc(start_h).astimezone(tz).utcoffset() or timedelta(0)
        return timezone(offset)

    def utc(self, t_h: float) -> datetime:
        """The UTC instant of an elapsed hour."""
        return self.start.astimezone(UTC) + timedelta(hours=t_h)

    def hours(self, moment: datetime) -> float:
        """Elapsed hours of an aware datetime."""
        return (moment.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() / 3600

    def local(self, t_h: float) -> datetime:
        """Local time shown by the pump clock at an elapsed hour."""
        return self.utc(t_h).astimezone(self._tz(self._window(t_h)))

    def changes(self, t0_h: float, t1_h: float) -> list[ClockChange]:
        """Every jump of the local clock in [t0_h, t1_h): zone settings and daylight saving."""
        found = []
        for i, (start_h, name) in enumerate(self.zones):
            end_h = self.zones[i + 1][0] if i + 1 < len(self.zones) else t1_h
            if i and t0_h <= start_h < t1_h:
                before = self.local(start_h - 1e-6).utcoffset() or timedelta(0)
                after = self.local(start_h).utcoffset() or timedelta(0)
                found.append(ClockChange(start_h, before, after, f"clock set to {name}"))
            if self.follow_dst:
                found += _dst_changes(self._tz(i), max(start_h, t0_h), min(end_h, t1_h), self)
        return found

    def boundaries(
        self, clock_hours: Callable[[int], Iterable[float]], t0_h: float, t1_h: float
    ) -> list[float]:
        """Elapsed hours in [t0_h, t1_h) at which the clock reads one of the day's clock hours."""
        found: set[float] = {c.time_h for c in self.changes(t0_h, t1_h)}
        for i, (start_h, _) in enumerate(self.zones):
            a = max(start_h, t0_h)
            b = min(self.zones[i + 1][0] if i + 1 < len(self.zones) else t1_h, t1_h)
            if a >= b:
                continue
            tz = self._tz(i)
            day = self.local(a).date() - timedelta(days=1)
            while day <= self.local(b).date():
                midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
                for h in clock_hours(day.weekday()):
                    t = self.hours(midnight + timedelta(hours=h))
                    if a <= t < b:
                        found.add(t)
                day += timedelta(days=1)
        return sorted(found)


def _dst_changes(tz: tzinfo, a: float, b: float, clock: PumpClock) -> list[ClockChange]:
    """Daylight-saving jumps of ``tz`` in [a, b), located to the second by bisection."""
    changes: list[ClockChange] = []

    def offset(t: float) -> timedelta:
        return clock.utc(t).astimezone(tz).utcoffset() or timedelta(0)

    t = a
    while t < b:
        nxt = min(t + 24.0, b)
        if offset(t) != offset(nxt):
            lo, hi = t, nxt
            while hi - lo > 1 / 3600:
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if offset(mid) == offset(t) else (lo, mid)
            at = round(hi * 3600) / 3600
            changes.append(ClockChange(at, offset(t), offset(nxt), "daylight saving"))
        t = nxt
    return changes
