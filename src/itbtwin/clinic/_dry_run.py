"""The dry run of a program change: both programs through the twin, side by side, for 72 h.

The scenario's hour 0 is "now": the patient is at steady state on the current program (the twin's
run-in) and controlled on it (`sim._twin_response`). The proposal (program, refill, bridge or
priming bolus, new catheter) takes effect at `CHANGE_AT_H`; the current program simply continues
in the other run. Reported: lumbar CSF, MAS, the overdose and withdrawal signals of the response
model, and the low-reservoir, empty and stability dates of each (`pump_dates`; the proposal's from
the change); a bridge bolus runs at the old rate in both the run and the dates (`pump._bridge`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from itbtwin.clinic._pump_dates import PumpDates, pump_dates
from itbtwin.clinic._safety_rules import ProgramChange
from itbtwin.errors import ProgramError
from itbtwin.pump import Bolus, Refill, Revision, Therapy
from itbtwin.sim import Scenario, TwinOutcome, run_twin

CHANGE_AT_H = 1.0
"""When the proposal takes effect in the dry run (h after now)."""
REPORT_EVERY_H = 6.0
"""Spacing of the side-by-side rows (h)."""
_SIGNALS = (
    "withdrawal_h",
    "first_withdrawal_day",
    "overdose_h",
    "first_overdose_day",
    "max_overdose_level",
    "systemic_overdose_h",
)


@dataclass(frozen=True)
class DryRun:
    """Both runs: rows (h, CSF ng/mL and MAS of each), signal summaries, pump dates.

    `unavailable` says why the proposal could not be simulated (e.g. beyond the device); `bridge`
    describes the bridge bolus it ran (volume, old rate, duration), if any.
    """

    rows: tuple[tuple[float, float, str, float | None, str | None], ...]
    current_signals: dict[str, object]
    proposed_signals: dict[str, object] | None
    current_dates: PumpDates
    proposed_dates: PumpDates | None
    unavailable: str = ""
    bridge: str = ""

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "rows": [
                dict(zip(("time_h", "current_csf_ng_ml", "current_mas"), r[:3], strict=True))
                | {"proposed_csf_ng_ml": r[3], "proposed_mas": r[4]}
                for r in self.rows
            ],
            "current_signals": self.current_signals,
            "proposed_signals": self.proposed_signals,
            "current_dates": self.current_dates.as_dict(),
            "proposed_dates": self.proposed_dates.as_dict() if self.proposed_dates else None,
            "unavailable": self.unavailable,
            "bridge": self.bridge,
        }


def _bolus_hours(volume_ml: float, rate_ml_per_h: float) -> float:
    return max(1.0, 1.05 * volume_ml / rate_ml_per_h)


def proposed_therapy(now: Therapy, change: ProgramChange, span_h: float) -> Therapy:
    """The pump from now with the proposal applied at `CHANGE_AT_H` (raises `ProgramError`)."""
    at = CHANGE_AT_H
    revisions = (
        (Revision(at, now.catheter, now.catheter_length_cm),) if change.catheter_empty else ()
    )
    refills = (Refill(at, change.refill),) if change.refill else ()
    boluses = []
    if change.priming_bolus:
        volume = now.catheter.volume_ml(now.catheter_length_cm)
        boluses.append(Bolus(at, "priming", _bolus_hours(volume, now.device.bolus_rate_ml_per_h)))
    therapy = dataclasses.replace(
        now,
        span_h=span_h,
        programs=((0.0, change.current), (at, change.proposed)),
        refills=refills,
        boluses=tuple(boluses),
        revisions=revisions,
        demands=(),
        faults=(),
        interrogations=(),  # the scenario's own, possibly past the dry run (issue 12)
    )
    if change.bridge_bolus:
        bridge = Bolus(at, "bridge", therapy.bridge_plan(at).duration_h)
        therapy = dataclasses.replace(therapy, boluses=(*therapy.boluses, bridge))
    return therapy


def _signals(outcome: TwinOutcome) -> dict[str, object]:
    return {k: outcome.summary[k] for k in _SIGNALS if k in outcome.summary}


def dry_run(scenario: Scenario, change: ProgramChange, hours: float = 72.0) -> DryRun:
    """Simulate the current and the proposed program from now for `hours` (h), side by side."""
    span = hours + CHANGE_AT_H
    now = scenario.therapy
    keep = dataclasses.replace(
        now,
        span_h=span,
        programs=((0.0, change.current),),
        refills=(),
        boluses=(),
        revisions=(),
        demands=(),
        faults=(),
        interrogations=(),  # the scenario's own, possibly past the dry run (issue 12)
    )
    base = run_twin(dataclasses.replace(scenario, therapy=keep))
    current_dates = pump_dates(dataclasses.replace(keep, span_h=1.0))
    grid = np.arange(0.0, span + 1e-9, REPORT_EVERY_H)

    def sample(outcome: TwinOutcome, name: str) -> np.ndarray:
        index = np.searchsorted(outcome.series["time_h"], grid)
        return outcome.series[name][np.minimum(index, outcome.series["time_h"].size - 1)]

    csf0, mas0 = sample(base, "csf_lumbar_ng_ml"), sample(base, "mas_grade")
    try:
        therapy = proposed_therapy(now, change, span)
    except ProgramError as err:
        rows = tuple(
            (float(t), float(c), str(m), None, None)
            for t, c, m in zip(grid, csf0, mas0, strict=True)
        )
        return DryRun(rows, _signals(base), None, current_dates, None, str(err))
    outcome = run_twin(dataclasses.replace(scenario, therapy=therapy))
    csf1, mas1 = sample(outcome, "csf_lumbar_ng_ml"), sample(outcome, "mas_grade")
    fill = change.refill or now.fill
    bridge = ()
    if change.bridge_bolus:  # the dates count the bridge's old-rate volume, as the twin does
        bridge = (Bolus(0.0, "bridge", therapy.bridge_plan(CHANGE_AT_H).duration_h),)
    ahead = dataclasses.replace(
        keep, fill=fill, programs=((0.0, change.proposed),), boluses=bridge, span_h=1.0
    )
    rows = tuple(
        (float(t), float(c0), str(m0), float(c1), str(m1))
        for t, c0, m0, c1, m1 in zip(grid, csf0, mas0, csf1, mas1, strict=True)
    )
    plan = therapy.bridge_plan(CHANGE_AT_H).describe() if change.bridge_bolus else ""
    return DryRun(
        rows, _signals(base), _signals(outcome), current_dates, pump_dates(ahead), bridge=plan
    )
