"""The dry run of a program change: both programs through the twin, side by side, for 72 h.

The therapy's hour 0 is its fill and `now_h` the moment of the change's question (0 for a file,
whose hour 0 is now; the recorded pump's hour at `--at`). Both runs replay what happened from the
fill to now (the patient at steady state on the fill's program, `sim._twin_response`, then the
record: program changes, revisions, faults, a reservoir that ran dry), so an empty pump starts
from its last fill, never from 0 mL. From now the current program runs on in one run, with the
program versions recorded for later each in force from its time (a check `--at` a past time
reads the versions stored after it, as `itbtwin schedule` does); in the other the proposal
(program, refill, bridge or priming bolus, new catheter) takes effect at `now_h + CHANGE_AT_H`
and runs on. Reported from now: lumbar CSF, MAS, the overdose and withdrawal signals
of the response model (hours and onset counted from now), and each run's low-reservoir, empty and
stability dates (`pump_dates`: counted from the fill, so the stability limit is the fill's, as in
`itbtwin schedule`; the proposal's from its refill, when it brings one). A bridge bolus runs at
the old rate in both the run and the dates (`pump._bridge`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from itbtwin.clinic._program_change import ProgramChange
from itbtwin.clinic._pump_dates import PumpDates, pump_dates
from itbtwin.errors import ProgramError
from itbtwin.patient import OVERDOSE
from itbtwin.pump import Bolus, PumpClock, Refill, Revision, Therapy
from itbtwin.sim import SIGNALS, Scenario, TwinOutcome, run_twin

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
    """Both runs from now: rows (h after now, CSF ng/mL and MAS of each), signal summaries (from
    now), pump dates (from the fill).

    `unavailable` says why the proposal could not be simulated (e.g. beyond the device); `bridge`
    describes the bridge bolus it ran (volume, old rate, duration), if any; `now_h` is the hour
    of now after the fill (0 for a scenario file).
    """

    rows: tuple[tuple[float, float, str | None, float | None, str | None], ...]
    current_signals: dict[str, object]
    proposed_signals: dict[str, object] | None
    current_dates: PumpDates
    proposed_dates: PumpDates | None
    unavailable: str = ""
    bridge: str = ""
    now_h: float = 0.0

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
            "hours_since_fill": self.now_h,
        }


def _bolus_hours(volume_ml: float, rate_ml_per_h: float) -> float:
    return max(1.0, 1.05 * volume_ml / rate_ml_per_h)


def current_therapy(
    therapy: Therapy, change: ProgramChange, now_h: float, span_h: float
) -> Therapy:
    """The pump from its fill: what happened before `now_h` (h), then `change.current` running
    on, `span_h` hours in all. Of the therapy's own later events only its program versions stay,
    each in force from its time (a version stored after now runs in the current program, as
    `itbtwin schedule` reads the pump); later refills, boluses and faults are not part of it."""
    programs = dict((t, p) for t, p in therapy.programs if t <= span_h)
    if therapy.program_at(now_h) != change.current:
        programs[now_h] = change.current
    return dataclasses.replace(
        therapy,
        span_h=span_h,
        programs=tuple(sorted(programs.items(), key=lambda item: item[0])),
        refills=tuple(r for r in therapy.refills if r.at_h < now_h),
        boluses=tuple(b for b in therapy.boluses if b.at_h < now_h),
        revisions=tuple(r for r in therapy.revisions if r.at_h < now_h),
        demands=tuple(t for t in therapy.demands if t < now_h),
        faults=tuple(f for f in therapy.faults if f.at_h < now_h),
        interrogations=tuple(t for t in therapy.interrogations if t < now_h),
    )


def proposed_therapy(before: Therapy, change: ProgramChange, at_h: float) -> Therapy:
    """`before` (`current_therapy`) with the proposal applied at `at_h` (raises `ProgramError`)."""
    revisions = before.revisions
    if change.catheter_empty:  # the catheter in place, emptied: a new one of the same kind
        last = revisions[-1] if revisions else None
        catheter = last.catheter if last else before.catheter
        length = last.length_cm if last else before.catheter_length_cm
        revisions = (*revisions, Revision(at_h, catheter, length))
    therapy = dataclasses.replace(
        before,
        programs=(*(p for p in before.programs if p[0] < at_h), (at_h, change.proposed)),
        refills=(*before.refills, Refill(at_h, change.refill)) if change.refill else before.refills,
        revisions=revisions,
    )
    boluses = []
    if change.priming_bolus:
        volume = therapy.catheter_ml_at(at_h)
        rate = therapy.device.bolus_rate_ml_per_h
        boluses.append(Bolus(at_h, "priming", _bolus_hours(volume, rate)))
    if change.bridge_bolus:
        boluses.append(Bolus(at_h, "bridge", therapy.bridge_plan(at_h).duration_h))
    return dataclasses.replace(therapy, boluses=(*therapy.boluses, *boluses))


def refilled_at(therapy: Therapy, at_h: float) -> Therapy:
    """The pump as it stands after its refill at `at_h`: hour 0 is that refill (the new fill,
    whose own stability limit counts from it), later events and the clock moved with it."""
    refill = next(r for r in therapy.refills if r.at_h == at_h)
    clock = therapy.clock
    zones = [(0.0, [n for t, n in clock.zones if t <= at_h][-1])]
    zones += [(t - at_h, n) for t, n in clock.zones if t > at_h]
    revisions = [r for r in therapy.revisions if r.at_h <= at_h]
    last = revisions[-1] if revisions else None
    return dataclasses.replace(
        therapy,
        fill=refill.fill,
        catheter=last.catheter if last else therapy.catheter,
        catheter_length_cm=last.length_cm if last else therapy.catheter_length_cm,
        programs=((0.0, therapy.program_at(at_h)),),
        clock=PumpClock(clock.utc(at_h), tuple(zones), clock.follow_dst),
        span_h=therapy.span_h - at_h,
        refills=(),
        boluses=tuple(
            dataclasses.replace(b, at_h=b.at_h - at_h) for b in therapy.boluses if b.at_h >= at_h
        ),
        revisions=tuple(dataclasses.replace(r, at_h=0.0) for r in revisions if r.at_h == at_h),
        demands=(),
        faults=(),
        interrogations=(),
        pump_age_h=therapy.pump_age_h + at_h,
    )


def signals_from(outcome: TwinOutcome, from_h: float) -> dict[str, object]:
    """The response model's signals from `from_h` on (hours; first day counted from `from_h`):
    the summary's definitions (`sim._twin_response`, `sim.SIGNALS`) over the dry run's window."""
    series = outcome.series
    times = series["time_h"]
    keep = times >= from_h - 1e-9
    t = times[keep]
    step = np.diff(t, append=t[-1])
    level = series["overdose_level"][keep]
    hits = {
        "withdrawal": series["withdrawal_signal"][keep] > 0,
        "overdose": level >= OVERDOSE[0].level,
    }
    reference = outcome.summary["steady_state_ng_ml"]
    for signal in SIGNALS:
        values, limit = (
            series[f"{signal.output}_ng_ml"][keep],
            signal.fraction * reference[signal.output],
        )
        hits[signal.name] = values < limit if signal.below else values > limit
    found: dict[str, object] = {"max_overdose_level": int(level.max())}
    for name, hit in hits.items():
        found[f"{name}_h"] = float(step[hit].sum())
        found[f"first_{name}_day"] = float((t[hit][0] - from_h) / 24) if hit.any() else None
    return {k: found[k] for k in _SIGNALS if k in found}


def _grade(mas: object) -> str | None:
    """A MAS grade of the twin as text; None where it predicts none (no baseline assessment)."""
    return None if mas is None else str(mas)


def dry_run(
    scenario: Scenario, change: ProgramChange, hours: float = 72.0, now_h: float = 0.0
) -> DryRun:
    """Simulate the current and the proposed program from now for `hours` (h), side by side.

    `scenario` runs from its fill (hour 0); `now_h` (h after the fill) is now: 0 for a scenario
    file, the recorded pump's `PumpDates.now_h` for the records (an empty pump included).
    """
    span = now_h + hours + CHANGE_AT_H
    keep = current_therapy(scenario.therapy, change, now_h, span)
    base = run_twin(dataclasses.replace(scenario, therapy=keep))
    last_version_h = scenario.therapy.programs[-1][0]  # the dates read every stored version
    current_dates = pump_dates(
        current_therapy(scenario.therapy, change, now_h, max(span, last_version_h)), now_h=now_h
    )
    grid = now_h + np.arange(0.0, hours + CHANGE_AT_H + 1e-9, REPORT_EVERY_H)

    def sample(outcome: TwinOutcome, name: str) -> np.ndarray:
        """The series at the grid; a MAS the twin did not predict (no baseline) is None."""
        if name not in outcome.series:
            return np.full(grid.size, None, dtype=object)
        index = np.searchsorted(outcome.series["time_h"], grid - 1e-9)
        return outcome.series[name][np.minimum(index, outcome.series["time_h"].size - 1)]

    csf0, mas0 = sample(base, "csf_lumbar_ng_ml"), sample(base, "mas_grade")
    at = now_h + CHANGE_AT_H
    try:
        therapy = proposed_therapy(keep, change, at)
    except ProgramError as err:
        rows = tuple(
            (float(t - now_h), float(c), _grade(m), None, None)
            for t, c, m in zip(grid, csf0, mas0, strict=True)
        )
        current = signals_from(base, now_h)
        return DryRun(rows, current, None, current_dates, None, str(err), now_h=now_h)
    outcome = run_twin(dataclasses.replace(scenario, therapy=therapy))
    csf1, mas1 = sample(outcome, "csf_lumbar_ng_ml"), sample(outcome, "mas_grade")
    ahead = pump_dates(refilled_at(therapy, at)) if change.refill else pump_dates(therapy, now_h)
    rows = tuple(
        (float(t - now_h), float(c0), _grade(m0), float(c1), _grade(m1))
        for t, c0, m0, c1, m1 in zip(grid, csf0, mas0, csf1, mas1, strict=True)
    )
    plan = therapy.bridge_plan(at).describe() if change.bridge_bolus else ""
    return DryRun(
        rows,
        signals_from(base, now_h),
        signals_from(outcome, now_h),
        current_dates,
        ahead,
        bridge=plan,
        now_h=now_h,
    )
