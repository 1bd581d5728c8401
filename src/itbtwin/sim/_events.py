"""Dosing events as data, in NONMEM vocabulary (time, amount, rate, duration, interval, additional).

An event is a bolus (an amount at one instant) or an infusion (a rate for a duration). `interval`
and `additional` repeat it, as NONMEM's II and ADDL; `Regimen.expand()` makes the repeats explicit
(mrgsolve's realize_addl). Amounts mcg, rates mcg/h, times h.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from itbtwin.errors import RegimenError
from itbtwin.sim._limits import check_doses

ROUTES = ("intrathecal", "oral", "subcutaneous")


@dataclass(frozen=True)
class DoseEvent:
    """One dosing record: a bolus of `amount_mcg`, or an infusion of `rate_mcg_per_h`.

    `time_h` is the start (h from the scenario start); an infusion lasts `duration_h`.
    `interval_h`/`additional` repeat the event `additional` more times every `interval_h` hours.
    """

    time_h: float
    route: str
    amount_mcg: float = 0.0
    rate_mcg_per_h: float = 0.0
    duration_h: float = 0.0
    interval_h: float = 0.0
    additional: int = 0

    def __post_init__(self) -> None:
        if self.route not in ROUTES:
            raise RegimenError(f"unknown route {self.route!r}; expected one of {', '.join(ROUTES)}")
        numbers = (self.time_h, self.amount_mcg, self.rate_mcg_per_h, self.duration_h)
        if not all(math.isfinite(x) for x in (*numbers, self.interval_h)):
            raise RegimenError("a dosing event needs finite numbers")
        if self.time_h < 0:
            raise RegimenError(f"a dose cannot start before the simulation (time {self.time_h} h)")
        if self.amount_mcg < 0 or self.rate_mcg_per_h < 0 or self.duration_h < 0:
            raise RegimenError("amount, rate and duration of a dose must not be negative")
        if self.is_bolus == self.is_infusion:
            raise RegimenError(
                "a dosing event is either a bolus (amount, no rate) or an infusion "
                "(rate and a positive duration)"
            )
        if self.additional < 0 or (self.additional > 0 and self.interval_h <= 0):
            raise RegimenError("repeated doses need a positive interval and additional >= 0")
        if self.is_infusion and self.additional > 0 and self.duration_h > self.interval_h:
            raise RegimenError(
                f"repeated infusions overlap: duration {self.duration_h} h is longer than the "
                f"interval {self.interval_h} h"
            )

    @property
    def is_bolus(self) -> bool:
        """An instantaneous dose of `amount_mcg`."""
        return self.rate_mcg_per_h == 0 and self.duration_h == 0

    @property
    def is_infusion(self) -> bool:
        """A zero-order input of `rate_mcg_per_h` for `duration_h` hours."""
        return self.rate_mcg_per_h > 0 and self.duration_h > 0 and self.amount_mcg == 0

    @property
    def total_mcg(self) -> float:
        """Drug in one occurrence of this event, mcg."""
        return self.amount_mcg if self.is_bolus else self.rate_mcg_per_h * self.duration_h

    def occurrences(self) -> Iterator[DoseEvent]:
        """This event and its repeats as single events."""
        for k in range(self.additional + 1):
            yield DoseEvent(
                self.time_h + k * self.interval_h,
                self.route,
                self.amount_mcg,
                self.rate_mcg_per_h,
                self.duration_h,
            )


def bolus(amount_mcg: float, *, at_h: float = 0.0, route: str = "intrathecal") -> DoseEvent:
    """A single bolus of `amount_mcg` at `at_h`."""
    return DoseEvent(at_h, route, amount_mcg=amount_mcg)


def infusion(
    daily_dose_mcg: float, *, start_h: float = 0.0, duration_h: float, route: str = "intrathecal"
) -> DoseEvent:
    """A continuous infusion of `daily_dose_mcg` per day for `duration_h` hours."""
    return DoseEvent(start_h, route, rate_mcg_per_h=daily_dose_mcg / 24.0, duration_h=duration_h)


def repeated(
    amount_mcg: float, *, every_h: float, times: int, start_h: float = 0.0, route: str = "oral"
) -> DoseEvent:
    """`times` boluses of `amount_mcg`, `every_h` hours apart (oral tablets by default)."""
    if times < 1:
        raise RegimenError("a repeated dose needs at least one dose")
    return DoseEvent(
        start_h, route, amount_mcg=amount_mcg, interval_h=every_h, additional=times - 1
    )


@dataclass(frozen=True)
class Regimen:
    """An ordered collection of dosing events for one patient (or shared by a batch)."""

    events: tuple[DoseEvent, ...]

    def __init__(self, events: Iterable[DoseEvent] = ()) -> None:
        events = tuple(events)
        check_doses(sum(1 + e.additional for e in events), "the regimen")
        ordered = tuple(sorted(events, key=lambda e: (e.time_h, e.route)))
        object.__setattr__(self, "events", ordered)

    def expand(self) -> Regimen:
        """The same regimen with every repeat written out as its own event."""
        return Regimen(o for e in self.events for o in e.occurrences())

    def __add__(self, other: Regimen) -> Regimen:
        return Regimen((*self.events, *other.events))

    def total_mcg(self, until_h: float = math.inf) -> float:
        """Drug given from time 0 up to `until_h` (h), mcg; infusions counted pro rata."""
        total = 0.0
        for e in self.expand().events:
            if e.is_bolus and e.time_h <= until_h:
                total += e.amount_mcg
            elif e.is_infusion:
                total += e.rate_mcg_per_h * max(0.0, min(e.duration_h, until_h - e.time_h))
        return total

    @property
    def routes(self) -> tuple[str, ...]:
        """The routes this regimen uses, in first-use order."""
        return tuple(dict.fromkeys(e.route for e in self.events))
