"""When a pump will need the clinic: low-reservoir alarm, empty reservoir, stability, ERI, EOS.

The times come from the pump twin itself (`itbtwin.pump.deliver`) running the real program from
hour 0 with no further refill (refill faults dropped with the refills): flex steps and periodic
boluses as programmed, demand boluses at their maximum use (every lockout, up to the daily
maximum; prometra:S57 projects the same way), daylight-saving shifts of the pump clock included.
The stability cap is the fill time plus the drug's stability (synchromed2:S2); ERI and end of
service follow the battery (synchromed2:S26). Times are elapsed hours from the scenario start;
`None` when it does not happen in the horizon.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from itbtwin.pump import Program, Therapy, deliver

HORIZON_MARGIN_H = 30 * 24.0
"""How far past the stability cap the twin runs to find the alarms (h) [assumption]."""


@dataclass(frozen=True)
class PumpDates:
    """Elapsed hours of the events that set the next refill, and the clock that dates them."""

    low_reservoir_h: float | None
    empty_h: float | None
    stability_h: float
    eri_h: float | None
    eos_h: float | None
    mean_ml_per_day: float
    therapy: Therapy

    def local(self, t_h: float | None) -> datetime | None:
        """The pump clock's local date-time of an elapsed hour (None stays None)."""
        return None if t_h is None else self.therapy.clock.local(t_h)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: each event in elapsed hours and as an ISO local date-time."""
        out: dict[str, object] = {"mean_ml_per_day": self.mean_ml_per_day}
        for name in ("low_reservoir", "empty", "stability", "eri", "eos"):
            t = getattr(self, f"{name}_h")
            local = self.local(t)
            out[f"{name}_h"] = t
            out[f"{name}_at"] = None if local is None else local.isoformat()
        return out


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


def pump_dates(therapy: Therapy, horizon_h: float | None = None) -> PumpDates:
    """Run the pump from its hour-0 state with no refill and read off the dates (elapsed h).

    **Arguments:**
    - `therapy`: the pump at hour 0 (fill, program history); its refills are dropped.
    - `horizon_h`: how far to look (h); default the stability cap plus 30 days.
    """
    stability = therapy.device.stability_h
    horizon = horizon_h or stability + HORIZON_MARGIN_H
    demands = tuple(
        t
        for i, (start, program) in enumerate(therapy.programs)
        for t in max_demand_times(
            program,
            start,
            therapy.programs[i + 1][0] if i + 1 < len(therapy.programs) else horizon,
        )
    )
    ahead = dataclasses.replace(
        therapy,
        span_h=horizon,
        refills=(),
        demands=demands,
        faults=tuple(
            f
            for f in therapy.faults
            if f.at_h <= horizon and f.kind not in ("pocket_fill", "missed_refill")
        ),
    )
    delivery = deliver(ahead, tones=False)  # only when alarms start is read

    def first(alarm: str) -> float | None:
        found = delivery.events_of("alarm", alarm)
        return found[0].time_h if found else None

    dry = [e.time_h for e in delivery.events if e.kind == "reservoir_dry"]
    empty = first("empty_reservoir")
    empty = min([t for t in (empty, *dry) if t is not None], default=None)
    device = therapy.device
    eos = None if device.eos_h is None else device.eos_h - therapy.pump_age_h
    eri = None if eos is None else eos - device.eri_to_stop_h
    low = first("low_reservoir")
    window = min(horizon, 24.0 * 30, low or horizon)
    used = ahead.fill.volume_ml - float(delivery.reservoir_at(np.array([window]))[0])
    mean = used / (window / 24)
    return PumpDates(
        low,
        empty,
        stability,
        eri if eri is not None and math.isfinite(eri) else None,
        eos,
        mean,
        ahead,
    )
