"""What a late refill visit means: the alarms that sound before it and the days without drug.

The visit comes `slip_days` after the day planned (the last day of the window, or today when
the refill is already overdue) and is counted to the end of its day in the clinic's time zone,
the worst case within the day [assumption]; once the reservoir is empty the patient is without
drug (synchromed2:S23, S25; the label's boxed warning on abrupt discontinuation). A `SlipPlan`
holds what does not depend on the day planned, so it is stored with the pump's dates (issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from itbtwin.clinic._pump_dates import PumpDates
from itbtwin.clinic._reasons import Reason, Verdict, worst
from itbtwin.pump import PumpClock, zone

SLIP_DAYS = 7
"""How late a visit is assumed to come in the slip analysis (days) [assumption: issue 5]."""

_ALARMS = {
    "low_reservoir": ("low-reservoir alarm", Verdict.WARN, "synchromed2:S25"),
    "stability": ("drug stability cap", Verdict.WARN, "synchromed2:S2"),
    "eri": ("elective replacement indicator (ERI)", Verdict.WARN, "synchromed2:S26"),
    "empty": ("empty-reservoir alarm", Verdict.BLOCK, "synchromed2:S23"),
    "eos": ("end of service", Verdict.BLOCK, "synchromed2:S26"),
}


@dataclass(frozen=True)
class SlipOutcome:
    """What a visit `slip_days` late means: its date, the alarms hit, days without drug (d)."""

    visit: date
    alarms_hit: tuple[str, ...]
    days_without_drug: float
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "visit": self.visit.isoformat(),
            "alarms_hit": list(self.alarms_hit),
            "days_without_drug": self.days_without_drug,
            "verdict": worst(list(self.reasons)).value,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class SlipPlan:
    """What a late visit can hit before its day is known: each alarm's elapsed hour and its
    local time as a clinician reads it (clinic time zone), in `_ALARMS` order, and the hour
    the reservoir runs empty (None: never)."""

    alarms: tuple[tuple[str, float, str], ...]
    empty_h: float | None


def slip_plan(dates: PumpDates, *, time_zone: str) -> SlipPlan:
    """The alarms of `dates` a late visit can hit, with their local times in `time_zone`."""
    tz = zone(time_zone)
    alarms = []
    for name in _ALARMS:
        t = getattr(dates, f"{name}_h")
        if t is not None:
            alarms.append((name, t, f"{dates.clock.utc(t).astimezone(tz):%a %d %b %H:%M}"))
    return SlipPlan(tuple(alarms), dates.empty_h)


@lru_cache(maxsize=4096)
def _day_end(day: date, time_zone: str) -> datetime:
    """The end of `day` in `time_zone` (a late visit counts to it), as a UTC instant; a clinic's
    pumps share a few hundred days, so each is converted once."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone(time_zone)).astimezone(UTC)


@lru_cache(maxsize=4096)
def _day(day: date) -> str:
    return f"{day:%a %d %b %Y}"


def slip_at(
    plan: SlipPlan, clock: PumpClock, planned: date, *, time_zone: str, slip_days: int = SLIP_DAYS
) -> SlipOutcome:
    """The alarms hit and days without drug (d) if the visit planned on `planned` comes
    `slip_days` (d) late (`clock`: the pump clock of the plan's elapsed hours)."""
    visit = planned + timedelta(days=slip_days)
    visit_h = clock.hours(_day_end(visit, time_zone))
    reasons: list[Reason] = []
    hit: list[str] = []
    for name, t, local in plan.alarms:
        if t >= visit_h:
            continue
        label, verdict, source = _ALARMS[name]
        hit.append(name)
        reasons.append(
            Reason(
                f"slip_hits_{name}",
                verdict,
                source,
                f"a visit on {_day(visit)} comes after the {label} ({local})",
            )
        )
    empty_h = plan.empty_h
    without = 0.0 if empty_h is None else max(0.0, (visit_h - empty_h) / 24)
    if without > 0:
        reasons.append(
            Reason(
                "slip_without_drug",
                Verdict.BLOCK,
                "label:boxed-warning",
                f"up to {without:.1f} days without drug: abrupt discontinuation risks withdrawal",
            )
        )
    if not reasons:
        reasons.append(
            Reason(
                "slip_safe",
                Verdict.PASS,
                "derived",
                f"a visit on {_day(visit)} still comes before every alarm",
            )
        )
    return SlipOutcome(visit, tuple(hit), round(without, 3), tuple(reasons))
