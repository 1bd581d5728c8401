"""The review of a program change on the records: the safety check read with its dry run.

`check-program SERIAL`, `program set`, a proposal in the web wizard and its confirmation all
reach their verdict here, so the same change gets the same verdict and rules everywhere
(issue 14 point 2). The change is what the pump holds at `effective_at` (`program_change`); the
dry run replays the pump from its last fill to `effective_at` and runs on from there
(`clinic.review_program`), so it starts from the recorded state even when the reservoir is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itbtwin.clinic import DryRun, ProgramChange, SafetyCheck, review_program
from itbtwin.sim import Scenario
from itbtwin.store._dates_cache import records_scenario
from itbtwin.store._programs import program_change
from itbtwin.store._schema import Pump

DRY_RUN_H = 72.0
"""Length of the dry run (h): the first three days, where a programming error shows."""


@dataclass(frozen=True)
class ChangeReview:
    """A proposed program on a recorded pump: the `change` as checked, the program `document` in
    canonical form, the `check` (rules and dry-run findings) and the `run` it read."""

    change: ProgramChange
    document: dict
    check: SafetyCheck
    run: DryRun


def recorded_dry_run_start(pump: Pump, at: datetime) -> tuple[Scenario, float]:
    """The pump from its last fill at or before `at` (the scenario's hour 0), with the program
    versions stored after `at` (the current run keeps each in force from its time), and the
    hour of `at` after that fill (the pump clock's, as `itbtwin schedule` reads it)."""
    return records_scenario(pump, at)


def review_change(
    pump: Pump,
    document: dict,
    *,
    effective_at: datetime,
    phase: str = "titration",
    bridge_bolus: bool = False,
    override_reason: str | None = None,
    hours: float = DRY_RUN_H,
) -> ChangeReview:
    """Check `document` (a program in the scenario format) against the pump's program at
    `effective_at` and read the dry run of both (`hours` h) into the verdict.

    A change whose dry run shows an overdose or withdrawal signal the current program does not
    is at least WARN; `override_reason` is the written reason to send a blocked program.
    """
    scenario, now_h = recorded_dry_run_start(pump, effective_at)
    change, canonical = program_change(
        pump,
        document,
        effective_at=effective_at,
        phase=phase,
        bridge_bolus=bridge_bolus,
        recorded=(scenario, now_h),  # replayed once for the reservoir and the dry run
    )
    check, run = review_program(
        scenario, change, hours=hours, override_reason=override_reason, now_h=now_h
    )
    return ChangeReview(change, canonical, check, run)
