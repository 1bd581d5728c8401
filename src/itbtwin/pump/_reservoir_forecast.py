"""The pump-calculated reservoir after a fill, by exact integration of the commanded volume rate.

No refill comes: the program history runs as compiled for the twin (`_commands`: flex steps,
periodic boluses, demand boluses, daylight-saving shifts of the pump clock), with demand boluses
at their maximum use (every lockout, up to the daily maximum; prometra:S57 projects the same way)
and bridge boluses as the twin runs them (synchromed2:S15). Between changes the rate is
constant, so the volume is linear and every alarm time is one division: 20 mL at 0.5 mL/day
with a 2 mL alarm sounds at (20 − 2) / 0.5 × 24 = 864 h, as in `deliver` [pumps.md §8.1]. The
pump stops at end of service (synchromed2:S26): nothing happens after it.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from itbtwin.pump._commands import compile_commands
from itbtwin.pump._program import Program
from itbtwin.pump._therapy import Therapy

EXACT_FAULTS = ("pocket_fill", "missed_refill")
"""Faults that need no refill-free twin run: both concern refills, and a forecast has none."""


def max_demand_times(program: Program, start_h: float, end_h: float) -> tuple[float, ...]:
    """Demand-bolus requests at maximum use: one per lockout, `max_per_day` per 24 h (h)."""
    demand = program.demand
    if demand is None:
        return ()
    gap = max(demand.lockout_h, demand.duration_h)
    times: list[float] = []
    day = start_h
    while day < end_h:
        times += [
            t for k in range(demand.max_per_day) if (t := day + k * gap) < min(day + 24.0, end_h)
        ]
        day += 24.0
    return tuple(times)


@dataclass(frozen=True)
class ReservoirForecast:
    """The pump-calculated reservoir (mL) at knots (elapsed h), linear in between, from the
    fill until it reaches `floor_ml` or the pump stops at `stop_h`; flat after the last knot."""

    times_h: np.ndarray
    volume_ml: np.ndarray
    floor_ml: float
    stop_h: float

    def at(self, t_h: float) -> float:
        """Calculated reservoir (mL) at an elapsed hour (the fill before hour 0)."""
        return float(np.interp(t_h, self.times_h, self.volume_ml))

    def crossing(self, level_ml: float) -> float | None:
        """First elapsed hour the calculated reservoir is at or below `level_ml` (None: never,
        because the pump stops first)."""
        below = np.flatnonzero(self.volume_ml <= level_ml)
        if below.size == 0:
            return None
        j = int(below[0])
        if j == 0:
            return float(self.times_h[0])
        t0, t1 = self.times_h[j - 1], self.times_h[j]
        v0, v1 = self.volume_ml[j - 1], self.volume_ml[j]
        return float(t0 + (v0 - level_ml) / (v0 - v1) * (t1 - t0))


def _commanded(therapy: Therapy, horizon_h: float) -> tuple[np.ndarray, np.ndarray]:
    """Breakpoints (h) and commanded volume rates (mL/day) over [0, horizon_h), as the twin
    compiles them (`compile_commands`), with demand boluses at maximum use."""
    starts = [t for t, _ in therapy.programs if t < horizon_h]
    ends = [*starts[1:], horizon_h]
    demands = tuple(
        t
        for (start, program), end in zip(therapy.programs, ends, strict=False)
        for t in max_demand_times(program, start, end)
    )
    clock = therapy.clock
    if all(p.clock_free for _, p in therapy.programs):  # no clock hour changes the rate
        clock = dataclasses.replace(clock, follow_dst=False)  # skips the daylight-saving search
    plan = dataclasses.replace(
        therapy,
        clock=clock,
        span_h=horizon_h,
        programs=therapy.programs[: len(starts)],
        boluses=tuple(b for b in therapy.boluses if b.at_h <= horizon_h),
        demands=demands,
        refills=(),
        faults=(),
        interrogations=(),
        revisions=tuple(r for r in therapy.revisions if r.at_h <= horizon_h),
    )
    commands = compile_commands(plan)
    return commands.breakpoints_h, commands.ml_per_day


def forecast_reservoir(therapy: Therapy, floor_ml: float = 0.0) -> ReservoirForecast:
    """Integrate the commanded volume rate from hour 0 until the calculated reservoir reaches
    `floor_ml` (mL) or the pump stops (end of service); refills and faults left out.

    The horizon starts at the fill over the slowest programmed daily volume and doubles until
    the floor is reached, so dates far past the stability limit are still found.
    """
    device, fill = therapy.device, therapy.fill.volume_ml
    stop = math.inf if device.eos_h is None else device.eos_h - therapy.pump_age_h
    slowest = min(p.daily_volume_ml(d) for _, p in therapy.programs for d in range(7))
    horizon = therapy.programs[-1][0] + 24 * (fill - floor_ml) / slowest + 48
    while True:
        horizon = min(horizon, stop) if math.isfinite(stop) else horizon
        knots, rates = _commanded(therapy, max(horizon, 1e-9))
        edges = np.append(knots, horizon)
        used = np.concatenate(([0.0], np.cumsum(rates * np.diff(edges) / 24)))
        volume = fill - used
        reached = volume[-1] <= floor_ml or horizon >= stop
        if reached:
            last = int(np.searchsorted(-volume, -floor_ml, side="left"))
            keep = min(last + 1, volume.size)
            times, volume = edges[:keep], volume[:keep]
            if keep > 1 and volume[-1] < floor_ml:  # end exactly on the floor
                t0, v0 = times[-2], volume[-2]
                times[-1] = t0 + (v0 - floor_ml) / (v0 - volume[-1]) * (times[-1] - t0)
                volume[-1] = floor_ml
            return ReservoirForecast(times, volume, floor_ml, stop)
        horizon *= 2
