"""Pump programs: every version kept, each new one judged by the programming safety check first.

The check reads the change's dry run, as `check-program` does (`store.review_change`), so a
change whose dry run predicts a new overdose or withdrawal signal is stored as at least WARN. A
change the check blocks is not stored unless the clinician overrides it with a written reason;
the version, the verdict, the rules that fired and the reason go to the audit trail together.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itbtwin.clinic import (
    ProgramChange,
    SafetyCheck,
    Verdict,
    pump_dates,
    reservoir_state,
    weekly_mean_mcg,
)
from itbtwin.errors import ProgramError, RecordError
from itbtwin.pump import Fill, Program, bridge_plan, find_catheter
from itbtwin.sim import Scenario, read_program_document
from itbtwin.store._audit import audit
from itbtwin.store._bounds import check_in_service, check_text
from itbtwin.store._in_effect import fill_at, fill_volume_ml, version_at
from itbtwin.store._patients import age_years
from itbtwin.store._pumps import catheter_at, device_of, lock_pump
from itbtwin.store._schema import ProgramVersion, Pump, RefillRecord
from itbtwin.store._times import require_past, wall_time


class ProgramBlocked(RecordError):
    """The safety check blocked the program; nothing was stored. `check` says why. The message
    names no face's controls: each face adds how its user overrides a block."""

    def __init__(self, check: SafetyCheck) -> None:
        rules = ", ".join(check.rules)
        super().__init__(f"the safety check blocks this program ({rules}); nothing was changed")
        self.check = check


def program_of(pump: Pump, version: ProgramVersion) -> Program:
    """The stored version as a `pump.Program`."""
    device = device_of(pump)
    return read_program_document(version.document, device, version.concentration_mcg_per_ml)[0]


def _new_solution(fill: RefillRecord, told_mcg_per_ml: float) -> Fill | None:
    """The last fill, when it brought another concentration than the program is told: the
    change then needs a bridge bolus for the old solution still in the pump and catheter."""
    if fill.concentration_mcg_per_ml == told_mcg_per_ml:
        return None
    return Fill(fill_volume_ml(fill), fill.concentration_mcg_per_ml, fill.product)


def program_change(
    pump: Pump,
    document: dict,
    *,
    effective_at: datetime,
    phase: str = "titration",
    bridge_bolus: bool = False,
    recorded: tuple[Scenario, float] | None = None,
) -> tuple[ProgramChange, dict]:
    """The change from the program in effect at `effective_at` to `document`, as the safety
    check and the dry run take it, with the document in canonical form.

    The reservoir is what the pump calculates at `effective_at` (its dates from
    `records_scenario`, as the schedule reads them): an empty one holds no new solution to
    bridge, and the check blocks the change (issue 12 point 4). `recorded`: that scenario and
    hour when the caller has them already (the dry run replays the same: issue 13).
    """
    from itbtwin.store._dates_cache import records_scenario  # it replays this module's records

    current = version_at(pump, effective_at)
    fill = fill_at(pump, effective_at)
    scenario, now_h = recorded or records_scenario(pump, effective_at)
    reservoir = reservoir_state(pump_dates(scenario.therapy, now_h=now_h))
    device = device_of(pump)
    proposed, canonical = read_program_document(document, device, fill.concentration_mcg_per_ml)
    told = current.concentration_mcg_per_ml
    patient = pump.patient
    change = ProgramChange(
        current=program_of(pump, current),
        proposed=proposed,
        reservoir_mcg_per_ml=told,
        device=device,
        origin=patient.origin,
        age_years=age_years(patient, effective_at.date()),
        hours_since_last_change=(effective_at - current.effective_at).total_seconds() / 3600,
        phase=phase,
        refill=None if reservoir["empty_for_h"] is not None else _new_solution(fill, told),
        bridge_bolus=bridge_bolus,
        **reservoir,
    )
    return change, canonical


def bridge_columns(
    pump: Pump, current: ProgramVersion, proposed: Program, at: datetime
) -> dict[str, float]:
    """The bridge bolus of a concentration change as stored: the old solution (mcg/mL), the drug
    path it fills (pump internal volume plus the catheter in place, mL) and how long it takes to
    clear at the old program's volume rate (h) [synchromed2:S15; pumps.md §8.8; the old-rate
    timing is from memory, verify, as in the twin's bridge: `pump.bridge_plan`]. Refuses a
    bridge without a change."""
    old = current.concentration_mcg_per_ml
    if proposed.concentration_mcg_per_ml == old:
        raise RecordError(
            f"a bridge bolus clears the old solution after a concentration change; the program "
            f"stays at {old:g} mcg/mL (drop --bridge or give the new --concentration)"
        )
    catheter = catheter_at(pump, at)
    catheter_ml = find_catheter(str(catheter["model"])).volume_ml(
        float(catheter["length_cm"])  # type: ignore[arg-type]
    )
    try:
        plan = bridge_plan(device_of(pump), catheter_ml, program_of(pump, current))
    except ProgramError as err:
        raise RecordError(str(err)) from None
    return {
        "bridge_from_mcg_per_ml": old,
        "bridge_volume_ml": plan.volume_ml,
        "bridge_duration_h": plan.duration_h,
    }


def set_program(
    session: Session,
    actor: str,
    pump: Pump,
    document: dict,
    *,
    effective_at: datetime,
    now: datetime,
    why: str,
    phase: str = "titration",
    bridge_bolus: bool = False,
    override_reason: str | None = None,
) -> tuple[ProgramVersion, SafetyCheck]:
    """Check a proposed program against the pump's current one and store it as a new version.

    `document`: the program in the scenario format (``mode``, ``daily_dose`` or ``step``...,
    optional ``concentration``; default the reservoir's). Raises `ProgramBlocked` (nothing
    stored) when the check blocks and no override reason is given. The check reads the change's
    dry run (`store.review_change`: the same verdict and rules as `check-program`).
    """
    from itbtwin.store._program_review import review_change  # it builds on program_change

    effective_at = wall_time(effective_at, pump.time_zone, "the program change")
    require_past(effective_at, now, "the program change")
    if not why.strip():
        raise RecordError("a program change needs a reason (--reason)")
    check_text(why, "the reason")
    if override_reason is not None:
        check_text(override_reason, "the override reason")
    lock_pump(session, pump)
    check_in_service(effective_at, pump.implanted_at, pump.explanted_at, "the program change")
    current = version_at(pump, effective_at)
    review = review_change(
        pump,
        document,
        effective_at=effective_at,
        phase=phase,
        bridge_bolus=bridge_bolus,
        override_reason=override_reason,
    )
    proposed, canonical, check = review.change.proposed, review.document, review.check
    if not check.may_send:
        raise ProgramBlocked(check)
    bridge = bridge_columns(pump, current, proposed, effective_at) if bridge_bolus else {}
    number = session.scalar(
        select(func.max(ProgramVersion.version)).where(ProgramVersion.pump_id == pump.id)
    )
    version = ProgramVersion(
        version=(number or 0) + 1,
        effective_at=effective_at,
        document=canonical,
        mean_daily_dose_mcg=weekly_mean_mcg(proposed),
        concentration_mcg_per_ml=proposed.concentration_mcg_per_ml,
        verdict=check.verdict.value,
        override_reason=override_reason if check.verdict == Verdict.BLOCK else None,
        entered_by=actor,
        **bridge,
    )
    pump.programs.append(version)
    session.flush()
    what = {
        "serial": pump.serial,
        "version": version.version,
        "effective_at": effective_at.isoformat(),
        "before": current.document,
        "after": canonical,
        "mcg_per_day": [check.current_mcg, check.proposed_mcg],
        "verdict": check.verdict.value,
        "rules": list(check.rules),
        "override_reason": version.override_reason,
        "bridge_bolus": bridge_bolus,
        **bridge,
    }
    audit(session, actor, "program.set", "pump", pump.id, what, why)
    return version, check
