"""The review before a program is confirmed: the safety rules and what the twin's dry run shows.

The verdict reads the dry run (issue 14): a proposal whose dry run shows an overdose or withdrawal
signal that the current program does not is at least WARN, with the signal, its level and hours
(the response model's signals, `patient._signals`, model-derived). A decrease larger than the
label's 10-20% reduction for side effects (label:titration) warns with the withdrawal the dry run
predicts: a deliberate large cut can be right, so it is not a block, but the clinician is told.
"""

from __future__ import annotations

from itbtwin.clinic._dry_run import CHANGE_AT_H, DryRun, dry_run
from itbtwin.clinic._program_change import ProgramChange
from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.clinic._safety_check import SafetyCheck, check_program, weekly_mean_mcg
from itbtwin.clinic._settings import setting
from itbtwin.display import format_elapsed_h
from itbtwin.patient import OVERDOSE
from itbtwin.pump import BRIDGE_SOURCE
from itbtwin.sim import Scenario

SIGNAL_SOURCE = {"overdose": "label+overdose1991", "withdrawal": "label"}
"""The response model's signals: overdose levels (label symptoms, overdose1991 calibration) and
early withdrawal (the label's return of spasticity), both model-derived."""


def _onset(signals: dict[str, object], name: str) -> str:
    day = signals.get(f"first_{name}_day")
    if not isinstance(day, float | int):
        return ""
    return f", from {format_elapsed_h(max(0.0, float(day) * 24 - CHANGE_AT_H))} after the change"


def _hours(signals: dict[str, object] | None, key: str) -> float:
    value = (signals or {}).get(key, 0.0)
    return float(value) if isinstance(value, float | int) else 0.0


def dry_run_reasons(run: DryRun) -> list[Reason]:
    """WARN for each overdose or withdrawal signal the proposal's dry run shows and the current
    program's does not (level, hours, onset after the change)."""
    new, now = run.proposed_signals, run.current_signals
    if new is None:
        return []
    reasons = []
    level, level_now = (
        int(_hours(new, "max_overdose_level")),
        int(_hours(now, "max_overdose_level")),
    )
    hours = _hours(new, "overdose_h")
    if level > level_now or hours > _hours(now, "overdose_h"):
        signal = OVERDOSE[max(level, 1) - 1]
        reasons.append(
            Reason(
                "dry_run_overdose",
                Verdict.WARN,
                SIGNAL_SOURCE["overdose"],
                f"the dry run predicts an overdose signal up to level {level} ({signal.name}: "
                f"{signal.symptoms}) for {format_elapsed_h(hours)}{_onset(new, 'overdose')}; the "
                "current program shows " + (f"level {level_now}" if level_now else "none"),
            )
        )
    hours, hours_now = _hours(new, "withdrawal_h"), _hours(now, "withdrawal_h")
    if hours > hours_now:
        reasons.append(
            Reason(
                "dry_run_withdrawal",
                Verdict.WARN,
                SIGNAL_SOURCE["withdrawal"],
                f"the dry run predicts early withdrawal (tone effect below half of the controlled "
                f"effect: return of spasticity) for {format_elapsed_h(hours)}"
                f"{_onset(new, 'withdrawal')}; the current program shows "
                + (format_elapsed_h(hours_now) if hours_now else "none"),
            )
        )
    return reasons


def decrease_reasons(change: ProgramChange, run: DryRun) -> list[Reason]:
    """WARN for a cut beyond the label's side-effect reduction, with the predicted withdrawal."""
    current, proposed = weekly_mean_mcg(change.current), weekly_mean_mcg(change.proposed)
    limit = setting("side_effect_reduction_max")
    if current <= 0 or 100 * (current - proposed) / current <= limit + 1e-9:
        return []
    hours = _hours(run.proposed_signals, "withdrawal_h")
    if run.proposed_signals is None:
        predicted = "the dry run could not simulate it"
    elif hours > 0:
        onset = _onset(run.proposed_signals, "withdrawal")
        predicted = f"the dry run predicts withdrawal for {format_elapsed_h(hours)}{onset}"
    else:
        predicted = "the dry run predicts no withdrawal signal within its span"
    cut = 100 * (current - proposed) / current
    return [
        Reason(
            "large_decrease",
            Verdict.WARN,
            "label:titration",
            f"{current:g} → {proposed:g} mcg/day is a {cut:.0f}% cut; the label reduces by "
            f"{setting('side_effect_reduction_min'):g}-{limit:g}% at a time: {predicted}",
        )
    ]


def read_dry_run(check: SafetyCheck, run: DryRun) -> SafetyCheck:
    """The safety check with the findings of the proposal's dry run added (`dry_run_reasons`,
    `decrease_reasons`); unchanged when the dry run shows nothing new."""
    found = [*dry_run_reasons(run), *decrease_reasons(check.change, run)]
    if run.bridge:  # both numbers shown: the old volume rate and how long it runs
        found.append(Reason("bridge_bolus", Verdict.PASS, BRIDGE_SOURCE, run.bridge))
    if not found:
        return check
    warned = any(r.verdict != Verdict.PASS for r in found)
    reworded = {r.rule for r in found}  # a large decrease, now with its predicted withdrawal
    kept = [
        r
        for r in check.reasons
        if not (warned and r.rule == "change_within_limits") and r.rule not in reworded
    ]
    return SafetyCheck(
        check.change, check.current_mcg, check.proposed_mcg, (*kept, *found), check.override_reason
    )


def review_program(
    scenario: Scenario,
    change: ProgramChange,
    *,
    hours: float = 72.0,
    override_reason: str | None = None,
    now_h: float = 0.0,
) -> tuple[SafetyCheck, DryRun]:
    """The safety check of ``change`` read together with its dry run (``hours`` h): the one
    review `check-program`, `program set` and the web wizard all give.

    **Arguments:**
    - `scenario`: the pump and patient from the fill (its hour 0).
    - `change`: the proposal (`ProgramChange`).
    - `hours`: dry-run length (h); `override_reason`: a written reason to send a blocked program.
    - `now_h`: the hour of the change's question after the fill (0: a file, whose hour 0 is now).

    **Returns:** the `SafetyCheck` (rules and dry-run findings) and the `DryRun` it read.
    """
    run = dry_run(scenario, change, hours, now_h)
    return read_dry_run(check_program(change, override_reason=override_reason), run), run
