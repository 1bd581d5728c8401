"""Infusion programs as data: simple continuous, flex (daily steps), periodic boluses, demand.

A program is what the clinician enters: dose rates in mcg/day on the pump's clock, and the drug
concentration the pump is told (mcg/mL). The pump turns each rate into a volume rate (mL/day) with
that concentration [synchromed2:S13]; if the reservoir holds another concentration, the patient gets
another dose. Clock hours run 0-24 on the pump's local clock; weekdays 0 (Monday) to 6.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass
from typing import Literal

from itbtwin.display import format_number
from itbtwin.errors import ProgramError
from itbtwin.pump._device import DeviceSpec

ALL_DAYS = frozenset(range(7))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TOL = 1e-9


def _clock(h: float) -> str:
    return f"{int(h):02d}:{round(h % 1 * 60):02d}"


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)


@dataclass(frozen=True)
class Step:
    """A flex step: from clock hour `start_h` for `duration_h` at `rate_mcg_per_day` on `days`."""

    start_h: float
    duration_h: float
    rate_mcg_per_day: float
    days: frozenset[int] = ALL_DAYS

    def __post_init__(self) -> None:
        if not _finite(self.start_h, self.duration_h, self.rate_mcg_per_day):
            raise ProgramError("a flex step needs finite numbers")
        if not (0 <= self.start_h < 24 and self.duration_h > 0):
            raise ProgramError(f"flex step at {_clock(self.start_h)}: start must be 00:00-23:59")
        if self.start_h + self.duration_h > 24 + _TOL:
            raise ProgramError(f"flex step at {_clock(self.start_h)} runs past midnight")
        if self.rate_mcg_per_day < 0 or not self.days or not self.days <= ALL_DAYS:
            raise ProgramError(f"flex step at {_clock(self.start_h)}: bad rate or days")

    @property
    def end_h(self) -> float:
        """Clock hour at which the step ends."""
        return self.start_h + self.duration_h


@dataclass(frozen=True)
class ClockBolus:
    """A periodic bolus: `dose_mcg` over `duration_h` from clock hour `at_h` on `days`."""

    at_h: float
    dose_mcg: float
    duration_h: float
    days: frozenset[int] = ALL_DAYS

    def __post_init__(self) -> None:
        if not (_finite(self.at_h, self.dose_mcg, self.duration_h) and 0 <= self.at_h < 24):
            raise ProgramError("a periodic bolus needs a clock time 00:00-23:59")
        if self.dose_mcg <= 0 or self.duration_h <= 0 or self.at_h + self.duration_h > 24:
            raise ProgramError(
                f"periodic bolus at {_clock(self.at_h)}: dose and duration must be positive "
                "and end by midnight"
            )


@dataclass(frozen=True)
class DemandSettings:
    """Patient (demand) bolus: dose (mcg) over duration (h), lockout (h), at most max per 24 h."""

    dose_mcg: float
    duration_h: float
    lockout_h: float
    max_per_day: int

    def __post_init__(self) -> None:
        if not _finite(self.dose_mcg, self.duration_h, self.lockout_h):
            raise ProgramError("demand bolus settings need finite numbers")
        if self.dose_mcg <= 0 or self.duration_h <= 0 or self.lockout_h < 0:
            raise ProgramError("demand bolus: dose and duration must be positive, lockout >= 0")
        if self.max_per_day < 1:
            raise ProgramError("demand bolus: max_per_day must be at least 1")


@dataclass(frozen=True)
class Program:
    """What the pump runs: basal `steps`, periodic `boluses` and `demand` settings.

    `concentration_mcg_per_ml` is the concentration the pump is told. Every weekday's steps must
    cover 00:00-24:00 without overlap. `note` records how it was entered (e.g. a unit slip).
    """

    mode: Literal["continuous", "flex", "periodic"]
    concentration_mcg_per_ml: float
    steps: tuple[Step, ...]
    boluses: tuple[ClockBolus, ...] = ()
    demand: DemandSettings | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.mode not in ("continuous", "flex", "periodic"):
            raise ProgramError(f"unknown program mode {self.mode!r}")
        c = self.concentration_mcg_per_ml
        if not (_finite(c) and c > 0):
            raise ProgramError(f"the programmed concentration must be positive, got {c} mcg/mL")
        for day in range(7):
            steps = self.day_steps(day)
            for before, after in itertools.pairwise(steps):
                if before.end_h > after.start_h + _TOL:
                    raise ProgramError(
                        f"flex steps overlap on {WEEKDAYS[day]}: the step at "
                        f"{_clock(before.start_h)} runs to {_clock(before.end_h)}, past the "
                        f"step at {_clock(after.start_h)}"
                    )
                if before.end_h < after.start_h - _TOL:
                    raise ProgramError(
                        f"flex steps leave a gap on {WEEKDAYS[day]} from "
                        f"{_clock(before.end_h)} to {_clock(after.start_h)}"
                    )
            if not steps or steps[0].start_h > 0 or abs(steps[-1].end_h - 24) > _TOL:
                raise ProgramError(f"flex steps must cover 00:00-24:00 on {WEEKDAYS[day]}")

    @classmethod
    def continuous(cls, daily_dose_mcg: float, concentration_mcg_per_ml: float) -> Program:
        """Simple continuous: one daily dose (mcg/day) around the clock."""
        return cls("continuous", concentration_mcg_per_ml, (Step(0.0, 24.0, daily_dose_mcg),))

    @classmethod
    def flex(cls, steps: tuple[Step, ...], concentration_mcg_per_ml: float) -> Program:
        """Flex: a daily schedule of steps, which may differ by weekday."""
        return cls("flex", concentration_mcg_per_ml, tuple(steps))

    @classmethod
    def periodic(
        cls, basal_mcg_per_day: float, boluses: tuple[ClockBolus, ...], concentration: float
    ) -> Program:
        """A continuous basal rate (mcg/day) plus boluses at clock times."""
        return cls("periodic", concentration, (Step(0.0, 24.0, basal_mcg_per_day),), boluses)

    def day_steps(self, weekday: int) -> list[Step]:
        """The basal steps of one weekday, in clock order."""
        return sorted((s for s in self.steps if weekday in s.days), key=lambda s: s.start_h)

    @property
    def clock_free(self) -> bool:
        """True when the delivery does not depend on the clock (one step, no periodic bolus)."""
        return len(self.steps) == 1 and self.steps[0].duration_h == 24 and not self.boluses

    def daily_dose_mcg(self, weekday: int = 0) -> float:
        """Programmed dose of one day (mcg): Σ step rate × duration + Σ periodic boluses."""
        basal = sum(s.rate_mcg_per_day * s.duration_h for s in self.day_steps(weekday)) / 24
        return basal + sum(b.dose_mcg for b in self.boluses if weekday in b.days)

    def daily_volume_ml(self, weekday: int = 0) -> float:
        """Programmed volume of one day (mL) at the programmed concentration."""
        return self.daily_dose_mcg(weekday) / self.concentration_mcg_per_ml

    def rate_mcg_per_day(self, weekday: int, clock_h: float) -> float:
        """Dose rate (mcg/day) at a clock hour: the step's rate plus any running periodic bolus."""
        rate = next(
            (s.rate_mcg_per_day for s in self.day_steps(weekday) if clock_h < s.end_h),
            0.0,
        )
        for b in self.boluses:
            if weekday in b.days and b.at_h <= clock_h < b.at_h + b.duration_h:
                rate += b.dose_mcg / b.duration_h * 24
        return rate

    def clock_hours(self, weekday: int) -> list[float]:
        """Clock hours of one weekday at which the rate may change."""
        hours = {s.start_h for s in self.day_steps(weekday)}
        for b in self.boluses:
            if weekday in b.days:
                hours |= {b.at_h, b.at_h + b.duration_h}
        return sorted(h for h in hours if h < 24)

    def unit_slipped(self) -> Program:
        """The same entry read per hour instead of per day: every rate 24× [synchromed2:S45]."""
        steps = tuple(
            dataclasses.replace(s, rate_mcg_per_day=s.rate_mcg_per_day * 24) for s in self.steps
        )
        return dataclasses.replace(
            self, steps=steps, note="unit slip: per-hour values entered for per-day doses (24×)"
        )

    def with_concentration(self, concentration_mcg_per_ml: float) -> Program:
        """The same doses, programmed for another concentration (mcg/mL)."""
        return dataclasses.replace(self, concentration_mcg_per_ml=concentration_mcg_per_ml)

    def check_device(self, device: DeviceSpec) -> None:
        """Raise `ProgramError` unless ``device`` can run this program (rates, steps, boluses)."""
        c = self.concentration_mcg_per_ml
        if device.kind == "constant_flow":
            fixed = device.fixed_rate_ml_per_day or 0.0
            if self.mode != "continuous" or self.boluses or self.demand:
                raise ProgramError(f"{device.name} runs only at its fixed rate: no flex or boluses")
            if abs(self.daily_volume_ml() - fixed) > 1e-9 * fixed:
                raise ProgramError(
                    f"{device.name} delivers a fixed {fixed:g} mL/day: at {c:g} mcg/mL that is "
                    f"{fixed * c:g} mcg/day; change the concentration, not the dose"
                )
            return
        for day in range(7):
            steps = self.day_steps(day)
            if len(steps) > device.flex_step_limit:
                raise ProgramError(
                    f"{len(steps)} flex steps on {WEEKDAYS[day]}: {device.name} accepts at most "
                    f"{device.flex_step_limit} per day"
                )
            for s in steps:
                ml = s.rate_mcg_per_day / c
                if not device.min_rate_ml_per_day <= ml <= device.max_rate_ml_per_day:
                    raise ProgramError(
                        f"the rate from {_clock(s.start_h)} is {format_number(ml, 'mL/day')} "
                        f"({format_number(s.rate_mcg_per_day, 'mcg/day')} at "
                        f"{format_number(c, 'mcg/mL')}), outside the "
                        f"{device.min_rate_ml_per_day:g}-{device.max_rate_ml_per_day:g} mL/day of "
                        f"{device.name}"
                    )
        timed = [(b.dose_mcg, b.duration_h) for b in self.boluses]
        if self.demand:
            timed.append((self.demand.dose_mcg, self.demand.duration_h))
        for dose, duration in timed:
            if dose / c / duration > device.bolus_rate_ml_per_h * (1 + _TOL):
                raise ProgramError(
                    f"a bolus of {dose:g} mcg over {duration:g} h needs {dose / c / duration:.3g} "
                    f"mL/h; {device.name} gives at most {device.bolus_rate_ml_per_h:g} mL/h"
                )
