"""When a pump will need the clinic: low-reservoir alarm, empty reservoir, stability, ERI, EOS.

Hour 0 of the therapy is its fill; `now_h` is the moment of the question (0 for a scenario that
starts now, later for a pump read from the records), so a date may lie in the past: an overdue
pump. The reservoir dates are exact arithmetic on the program (`pump.forecast_reservoir`: flex
steps, periodic boluses, demand boluses at maximum use, bridge boluses, daylight-saving shifts,
per-pump alarm volumes), the same minute as the hourly twin (`pump.deliver`); a therapy with
faults that change delivery (catheter, MRI, battery, random flow error) runs the twin instead.
The stability limit is the fill time plus the drug's stability (synchromed2:S2); ERI and end of
service follow the battery (synchromed2:S26). Alarm and empty dates past the stability limit are
still computed; `None` only when it never happens (no alarm on the device, or the pump stops
first at end of service).
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from itbtwin.pump import PumpClock, Therapy, deliver
from itbtwin.pump._reservoir_forecast import EXACT_FAULTS, ReservoirForecast, forecast_reservoir

TWIN_MARGIN_H = 30 * 24.0
"""How far past the exact empty time (or the stability limit) a twin with faults runs (h)
[assumption: faults delay delivery by weeks at most in the shipped examples]."""

EVENTS = ("low_reservoir", "empty", "stability", "eri", "eos")
"""The dated events, in `PumpDates` field order."""


@dataclass(frozen=True)
class PumpDates:
    """Elapsed hours (from the fill) of the events that set the next refill, the moment of the
    question `now_h`, the pump's clock, the programmed volume rate now (mL/day) and the
    pump-calculated reservoir (mL) over time."""

    low_reservoir_h: float | None
    empty_h: float | None
    stability_h: float
    eri_h: float | None
    eos_h: float | None
    program_rates: tuple[tuple[float, ...], tuple[float, ...]]
    clock: PumpClock
    reservoir: ReservoirForecast
    now_h: float = 0.0

    @property
    def mean_ml_per_day(self) -> float:
        """Programmed volume rate of the program in force now (mL/day, weekly mean): the coming
        period's use, not an average over a horizon."""
        starts, rates = self.program_rates
        return rates[max(bisect.bisect_right(starts, self.now_h) - 1, 0)]

    def local(self, t_h: float | None) -> datetime | None:
        """The pump clock's local date-time of an elapsed hour (None stays None)."""
        return None if t_h is None else self.clock.local(t_h)

    def ahead_h(self, t_h: float | None) -> float | None:
        """Hours from now to an elapsed hour (negative: in the past; None stays None)."""
        return None if t_h is None else t_h - self.now_h

    @property
    def left_ml(self) -> float:
        """What the pump calculates is left in the reservoir now (mL, never below 0)."""
        return max(self.reservoir.at(self.now_h), 0.0)

    @property
    def empty_now(self) -> bool:
        """True when the reservoir ran empty at or before now."""
        return self.empty_h is not None and self.empty_h <= self.now_h

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: each event in elapsed hours from the fill and as an ISO local date-time."""
        now = self.local(self.now_h)
        out: dict[str, object] = {
            "mean_ml_per_day": self.mean_ml_per_day,
            "left_ml": self.left_ml,
            "now_h": self.now_h,
            "now_at": None if now is None else now.isoformat(),
        }
        for name in EVENTS:
            t = getattr(self, f"{name}_h")
            local = self.local(t)
            out[f"{name}_h"] = t
            out[f"{name}_at"] = None if local is None else local.isoformat()
        return out


def program_rates(therapy: Therapy) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Start (h) and programmed volume rate (mL/day, weekly mean) of each program."""
    rates = [sum(p.daily_volume_ml(day) for day in range(7)) / 7 for _, p in therapy.programs]
    return tuple(t for t, _ in therapy.programs), tuple(rates)


def _battery(therapy: Therapy) -> tuple[float | None, float | None]:
    device = therapy.device
    if device.eos_h is None:
        return None, None
    eos = device.eos_h - therapy.pump_age_h
    eri = eos - device.eri_to_stop_h
    return (eri if math.isfinite(eri) else None), eos


def _exact(plan: Therapy) -> tuple[float | None, float | None, ReservoirForecast]:
    """Low-reservoir and empty hours from the exact forecast (calculated and actual reservoir)."""
    device, fill = plan.device, plan.fill.volume_ml
    flow = 1.0 + device.flow_bias if plan.accuracy == "typical" else 1.0
    dry_level = fill - fill / flow  # the actual reservoir runs dry at flow × commanded = fill
    alarm = device.has_alarms
    floor = min(device.empty_alarm_ml, dry_level) if alarm else dry_level
    forecast = forecast_reservoir(plan, floor)
    low = forecast.crossing(device.low_reservoir_alarm_ml) if alarm else None
    found = [forecast.crossing(dry_level)]
    if alarm:
        found.append(forecast.crossing(device.empty_alarm_ml))
    empty = min((t for t in found if t is not None), default=None)
    return low, empty, forecast


def _twin(ahead: Therapy, horizon_h: float) -> tuple[float | None, float | None, ReservoirForecast]:
    """Low-reservoir and empty hours read off the twin's event log (faults that change delivery)."""
    delivery = deliver(dataclasses.replace(ahead, span_h=horizon_h), tones=False)
    lows = delivery.events_of("alarm", "low_reservoir")
    found = [e.time_h for e in delivery.events_of("alarm", "empty_reservoir")]
    found += [e.time_h for e in delivery.events if e.kind == "reservoir_dry"]
    times = np.append(delivery.breakpoints_h, horizon_h)
    volume = delivery.reservoir_at(times, estimate=True)
    forecast = ReservoirForecast(times, volume, float(volume[-1]), horizon_h)
    return (lows[0].time_h if lows else None), min(found, default=None), forecast


def pump_dates(therapy: Therapy, now_h: float = 0.0) -> PumpDates:
    """The pump's dates from its fill at hour 0 with no further refill (elapsed h).

    **Arguments:**
    - `therapy`: the pump from its fill (fill, program history, faults); its refills are dropped.
    - `now_h`: the elapsed hour of the question (h); the programmed rate shown is the one then.
    """
    faults = tuple(f for f in therapy.faults if f.kind not in EXACT_FAULTS)
    ahead = therapy
    if therapy.refills or faults != therapy.faults:  # a new Therapy is checked again (issue 13)
        ahead = dataclasses.replace(therapy, refills=(), faults=faults)
    # unit slips and wrong concentrations become program changes; without faults, nothing does
    plan = ahead.resolved() if ahead.faults else ahead
    low, empty, forecast = _exact(plan)
    if plan.faults or plan.accuracy == "random":
        reach = max(empty or 0.0, plan.device.stability_h, now_h, therapy.span_h)
        low, empty, forecast = _twin(ahead, reach + TWIN_MARGIN_H)
    eri, eos = _battery(plan)
    return PumpDates(
        low,
        empty,
        plan.device.stability_h,
        eri,
        eos,
        program_rates(plan),
        plan.clock,
        forecast,
        now_h,
    )
