"""The twin's one outcome: hourly series, the event log and a summary.

Series are columns of equal length keyed by name with the unit in the name, so a later model
(MAS, spasm scores) adds columns with `TwinOutcome.with_columns` without changing the rest.
Withdrawal and overdose signals come from the response model (`_twin_response`), their onset,
level changes and end logged as events (`_twin_signals`); the systemic signal compares plasma
(drug that reached the blood from a pocket fill or a leak) with the steady state of the
prescription at hour 0, its threshold declared in `SIGNALS` (an assumption).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from itbtwin import sources
from itbtwin.patient import COMPACT, BaclofenPk, EffectParams, steady_state_gains
from itbtwin.pump import Delivery, Ledger, PumpEvent, RefillReport, refill_due_day
from itbtwin.sim._result import SimulationResult
from itbtwin.sim._scenario import Scenario
from itbtwin.sim._twin_response import response_columns
from itbtwin.sim._twin_signals import signal_events
from itbtwin.units import NG_PER_ML_PER_MCG_PER_ML


@dataclass(frozen=True)
class Signal:
    """A threshold on an output as a multiple of its steady state under the prescription."""

    name: str
    output: str
    fraction: float
    below: bool
    source: str
    help: str

    def __post_init__(self) -> None:
        sources.check(self.source)


SIGNALS = (
    Signal("systemic_overdose", "plasma", 10.0, False, "assumption", "plasma > 10× steady state"),
)
"""Signals counted in the summary (hours, first day); thresholds are configurable assumptions."""


@dataclass(frozen=True)
class TwinOutcome:
    """What happened: `series` (name → array on `series["time_h"]`), `events`, `summary`."""

    scenario: str
    series: dict[str, np.ndarray]
    events: tuple[PumpEvent, ...]
    summary: dict[str, Any]
    refills: tuple[RefillReport, ...]
    ledger: Ledger
    delivery: Delivery = field(repr=False)

    def with_columns(self, **columns: np.ndarray) -> TwinOutcome:
        """A copy with more series columns (each as long as ``time_h``)."""
        size = self.series["time_h"].size
        if any(np.shape(c) != (size,) for c in columns.values()):
            raise ValueError(f"every column needs {size} values, one per output time")
        return dataclasses.replace(self, series={**self.series, **columns})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: every series, ``events`` as objects, summary, refills, ledger."""
        return {
            "scenario": self.scenario,
            **{k: v.tolist() for k, v in self.series.items()},
            "events": [e.as_dict() for e in self.events],
            "summary": self.summary,
            "refills": [dataclasses.asdict(r) for r in self.refills],
            "ledger": dataclasses.asdict(self.ledger),
        }


def steady_state_ng_ml(params: BaclofenPk, mcg_per_h: float) -> dict[str, float]:
    """Every output's concentration (ng/mL) at steady state of an intrathecal rate (mcg/h)."""
    gains = steady_state_gains(COMPACT, params, "intrathecal")
    return {
        o.name: float(gains[o.name][0]) * mcg_per_h * NG_PER_ML_PER_MCG_PER_ML
        for o in COMPACT.outputs
    }


def _summary(
    scenario: Scenario,
    delivery: Delivery,
    series: dict,
    reference: dict[str, float],
    signals: dict[str, Any],
) -> dict:
    therapy, times = scenario.therapy, series["time_h"]
    step = np.diff(times, append=times[-1])
    first = {}
    for event in delivery.events:
        if event.kind in ("alarm", "reservoir_dry", "stability_expired", "pocket_fill_suspected"):
            first.setdefault(event.alarm or event.kind, event.time_h / 24)
    delivered = float(delivery.cumulative_mcg(np.array([therapy.span_h]))[0])
    programmed = float(delivery.cumulative_mcg(np.array([therapy.span_h]), "programmed")[0])
    program = therapy.program_at(0.0)
    summary: dict[str, Any] = {
        "days": therapy.span_h / 24,
        "device": therapy.device.name,
        "first_day_of": first,
        "delivered_mcg": delivered,
        "programmed_mcg": programmed,
        "delivered_over_programmed": delivered / programmed if programmed else None,
        "tissue_mcg": float(delivery.cumulative_mcg(np.array([therapy.span_h]), "tissue")[0]),
        "refills": len(delivery.refills),
        "refill_due_day": refill_due_day(
            therapy.fill.volume_ml,
            therapy.device.low_reservoir_alarm_ml,
            program.daily_volume_ml(),
            therapy.device.stability_h / 24,
        ),
        "steady_state_ng_ml": reference,
        "ledger_balance_error": list(delivery.ledger.balance_error()),
        **signals,
    }
    for signal in SIGNALS:
        level, limit = series[f"{signal.output}_ng_ml"], signal.fraction * reference[signal.output]
        hit = level < limit if signal.below else level > limit
        summary[f"{signal.name}_h"] = float(step[hit].sum())
        summary[f"first_{signal.name}_day"] = float(times[hit][0] / 24) if hit.any() else None
    return summary


def build_outcome(
    scenario: Scenario,
    delivery: Delivery,
    result: SimulationResult,
    times_h: np.ndarray,
    reference: dict[str, float],
    effect: EffectParams,
    tolerance: np.ndarray | None = None,
) -> TwinOutcome:
    """Assemble series, events and summary from a delivery and its PK result.

    `reference` is the steady state of the prescription at hour 0 (ng/mL per output); `effect`
    the patient's effect parameters (the result must carry the lumbar effect site); `tolerance`
    the tolerance factor at each output time (`_twin_tolerance`), None: fixed.
    """
    tip = delivery.cumulative_mcg(times_h, at_time=False)
    last_rate = delivery.intrathecal_mcg_per_h[-1]
    delivered = np.append(np.diff(tip) / np.diff(times_h), last_rate)
    series = {
        "time_h": times_h,
        "reservoir_ml": delivery.reservoir_at(times_h),
        "pump_reservoir_ml": delivery.reservoir_at(times_h, estimate=True),
        "delivered_mcg_per_h": delivered,
        "csf_lumbar_ng_ml": result.concentration_ng_ml("csf_lumbar")[0],
        "csf_cisternal_ng_ml": result.concentration_ng_ml("csf_cisternal")[0],
        "plasma_ng_ml": result.concentration_ng_ml("plasma")[0],
    }
    columns, signals = response_columns(result, effect, tolerance, scenario.patient.baseline)
    series |= columns
    found = signal_events(times_h, columns["withdrawal_signal"] > 0, columns["overdose_level"])
    events = sorted([*delivery.events, *found], key=lambda e: (e.time_h, e.kind == "tone"))
    return TwinOutcome(
        scenario.name,
        series,
        tuple(events),
        _summary(scenario, delivery, series, reference, signals),
        delivery.refills,
        delivery.ledger,
        delivery,
    )
