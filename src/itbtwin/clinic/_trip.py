"""Whether one fill covers the patient's trip and the clinic's margin, and what to do when not.

A refill plan moves the refill before a trip (synchromed2:S23: "if you will be traveling, call
and see if you should have a refill before you go"). That only helps when a full reservoir
lasts the whole trip and the clinic's margin: a full fill lasts (reservoir − low-reservoir alarm
volume) / programmed daily volume days to the alarm (pumps.md §7), and never past the drug's
stability limit (synchromed2:S2). A longer trip needs a refill during it at another ITB centre
(the pump keeps its settings for another clinic, synchromed2:S14) or a higher concentration,
which lengthens the interval but needs the physician and a bridge bolus (saulino2016-dosing).
A margin as long as a full fill makes every refill due before its fill: a margin typed wrong.
Nothing here changes the plan: each is a warning with the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.display import format_date, format_days_left, format_number
from itbtwin.drug import PRODUCTS
from itbtwin.errors import RegimenError
from itbtwin.pump import Therapy


@dataclass(frozen=True)
class FillSpan:
    """What one full fill of a pump lasts: to the low-reservoir alarm at the programmed volume
    rate, capped by the drug's stability (d): volumes in mL, the rate in mL/day."""

    reservoir_ml: float
    alarm_ml: float
    ml_per_day: float
    stability_days: float
    concentration_mcg_per_ml: float

    def days(self, concentration_mcg_per_ml: float | None = None) -> float:
        """Days a full fill lasts (d) at the same daily dose made up at `concentration` (mcg/mL;
        default the pump's): the volume rate scales as the concentration falls or rises."""
        c = concentration_mcg_per_ml or self.concentration_mcg_per_ml
        ml_per_day = self.ml_per_day * self.concentration_mcg_per_ml / c
        if ml_per_day <= 0:
            return self.stability_days
        return min((self.reservoir_ml - self.alarm_ml) / ml_per_day, self.stability_days)

    @property
    def limited_by(self) -> str:
        """What ends a full fill: the low-reservoir alarm, or the drug's stability first."""
        if self.days() >= self.stability_days:
            return "the drug's stability limit"
        return "the low-reservoir alarm"


def trip_days(first: date, last: date) -> int:
    """Days away (d), both dates included: 1 Feb to 2 Mar 2027 is 30 days."""
    return (last - first).days + 1


def check_trips_to_come(travel: tuple[tuple[date, date], ...], today: date) -> None:
    """Refuse a trip whose last day is before `today` (the day the plan is for): a plan moves
    the refill before a trip still to come (synchromed2:S23), and one already over was judged as
    if ahead (its length warned of, refills kept out of it), most likely a wrong year (issue 17,
    h42). A trip under way (begun, not yet over) is planned for."""
    for first, last in travel:
        if last < today:
            raise RegimenError(
                f"the trip from {format_date(first)} to {format_date(last)} ended before "
                f"{format_date(today)}, the day the plan is for: give the trips still to come"
            )


def trip_reasons(
    travel: tuple[tuple[date, date], ...], fill: FillSpan, *, margin_days: int
) -> tuple[Reason, ...]:
    """A WARN for each trip longer than one full fill covers with the clinic's margin (d), with
    the numbers and what to do; nothing for a trip the refill before it covers."""
    lasts = fill.days()
    covered = lasts - margin_days
    found = []
    for first, last in travel:
        away = trip_days(first, last)
        if away <= covered:
            continue
        text = (
            f"the trip from {format_date(first)} to {format_date(last)} is {away} days, longer "
            f"than one fill covers: a full {format_number(fill.reservoir_ml, 'mL')} reservoir at "
            f"{format_number(fill.ml_per_day, 'mL/day')} lasts {format_days_left(lasts)} days "
            f"to {fill.limited_by}, {format_days_left(max(covered, 0))} days with the clinic's "
            f"{margin_days}-day margin, even refilled the day before leaving. Arrange a refill "
            f"during the trip at another ITB centre (the pump keeps its settings){_stronger(fill)}"
        )
        found.append(Reason("trip_longer_than_fill", Verdict.WARN, "synchromed2:S23", text))
    return tuple(found)


def margin_reasons(fill: FillSpan, *, margin_days: int) -> tuple[Reason, ...]:
    """A WARN when the clinic's margin (d) is not shorter than a full fill lasts: every refill
    would fall due before the fill it follows, so each plan reads "refill now" (a margin typed
    in weeks for days, "7 week"); a week before the alarm is the usual margin (synchromed2:S23)."""
    lasts = fill.days()
    if margin_days < lasts:
        return ()
    text = (
        f"the clinic's {margin_days}-day margin is not shorter than a full fill lasts "
        f"({format_days_left(lasts)} days to {fill.limited_by}): every refill would be due "
        'before the fill it follows; check the margin (a week by default, "7 day")'
    )
    return (Reason("margin_longer_than_fill", Verdict.WARN, "synchromed2:S23", text),)


def fill_reasons(
    travel: tuple[tuple[date, date], ...], fill: FillSpan, *, margin_days: int
) -> tuple[Reason, ...]:
    """What one full fill cannot cover: the clinic's margin (`margin_reasons`), then each trip
    (`trip_reasons`)."""
    return margin_reasons(fill, margin_days=margin_days) + trip_reasons(
        travel, fill, margin_days=margin_days
    )


def _stronger(fill: FillSpan) -> str:
    """The higher-concentration option in words, when a stronger product exists."""
    strongest = max(p.concentration_mcg_per_ml for p in PRODUCTS)
    if strongest <= fill.concentration_mcg_per_ml:
        return ""
    return (
        f", or discuss a higher concentration with the physician (at {strongest:g} mcg/mL a fill "
        f"lasts {format_days_left(fill.days(strongest))} days; a concentration change needs a "
        "bridge bolus, saulino2016-dosing)"
    )


def fill_span(therapy: Therapy, ml_per_day: float) -> FillSpan:
    """A full fill of `therapy`'s pump at `ml_per_day` (the programmed volume rate now, mL/day,
    `PumpDates.mean_ml_per_day`) of its last fill's concentration."""
    device = therapy.device
    return FillSpan(
        device.reservoir_ml,
        device.low_reservoir_alarm_ml,
        ml_per_day,
        device.stability_h / 24,
        therapy.fill.concentration_mcg_per_ml,
    )
