"""The rules of the programming safety check, one function each, every finding a `Reason`.

Unit and decimal slips: a proposed daily dose at 24× (or 1/24) of the current one is a per-hour
value entered for a per-day one (synchromed2:S45, the ISMP case); at 1000× a mg/mcg mix-up and at
10× or 100× a misplaced decimal point (derived: a ratio of exactly a power of ten). The pump turns
each dose into a volume with the concentration it is told (synchromed2:S13), so a concentration
other than the reservoir's gives another dose. A concentration change needs a bridge bolus
(saulino2016-dosing; pumps.md §8.8); an empty (new or revised) catheter a priming bolus
(synchromed2:S13). Baclofen is stable 180 days in the pump (synchromed2:S2). A program sent to an
empty reservoir delivers nothing (synchromed2:S23: the critical alarm, "medication no longer
flowing"; an empty reservoir interrupts therapy, neurosurgerywiki); below the low-reservoir alarm
withdrawal can start (synchromed2:S25); a refill after a time without drug is a re-introduction
after an interruption, when overdose is most likely (label:overdosage, overdose1991).
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin.clinic._pump_dates import PumpDates
from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.clinic._settings import setting
from itbtwin.display import format_elapsed_h, format_number
from itbtwin.errors import ProgramError
from itbtwin.pump import DeviceSpec, Fill, Program

SLIP_FACTORS: dict[float, tuple[str, str, str]] = {
    24.0: ("unit_slip_per_hour", "synchromed2:S45", "a per-hour value entered as per day"),
    1000.0: ("unit_slip_mg_mcg", "derived", "mg and mcg mixed up"),
    10.0: ("decimal_slip", "derived", "a decimal point misplaced by one digit"),
    100.0: ("decimal_slip", "derived", "a decimal point misplaced by two digits"),
}
"""Ratios of proposed to current daily dose that betray an entry error, and the rule they fire."""


@dataclass(frozen=True)
class ProgramChange:
    """What is in the pump now and what the clinician proposes.

    - `current`, `proposed`: the programs (doses mcg/day, concentration told to the pump mcg/mL).
    - `reservoir_mcg_per_ml`: what the reservoir holds now; `refill`: the proposed refill, if any.
    - `device`; patient `origin` and `age_years`; `hours_since_last_change` (h, None: unknown);
      `phase` titration (the pump guard: +30% spinal, +15% cerebral/children) or maintenance.
    - `bridge_bolus`, `priming_bolus`: whether the proposal programs them; `catheter_empty`: a new
      implant or catheter revision (empty catheter).
    - `next_refill_days`: the planned interval to the next refill (d), None: not planned yet.
    - `reservoir_ml`: what the pump calculates the reservoir holds at the change (mL; None: not
      known); `empty_for_h`: how long it has been empty then (h; None: it holds drug).
    """

    current: Program
    proposed: Program
    reservoir_mcg_per_ml: float
    device: DeviceSpec
    origin: str = "spinal"
    age_years: float = 40.0
    hours_since_last_change: float | None = None
    phase: str = "titration"
    refill: Fill | None = None
    bridge_bolus: bool = False
    priming_bolus: bool = False
    catheter_empty: bool = False
    next_refill_days: float | None = None
    reservoir_ml: float | None = None
    empty_for_h: float | None = None

    @property
    def holds_mcg_per_ml(self) -> float:
        """The concentration in the reservoir once the change is done (mcg/mL)."""
        return self.refill.concentration_mcg_per_ml if self.refill else self.reservoir_mcg_per_ml


def slip_reasons(current_mcg: float, proposed_mcg: float) -> list[Reason]:
    """Flag a proposed daily dose at a slip ratio (24, 1000, 10, 100 or inverse) of the current."""
    if current_mcg <= 0 or proposed_mcg <= 0:
        return []
    ratio = proposed_mcg / current_mcg
    tolerance = setting("slip_ratio_tolerance") / 100
    for factor, (rule, source, what) in SLIP_FACTORS.items():
        for target, word in ((factor, "×"), (1 / factor, "÷")):
            if abs(ratio / target - 1) <= tolerance:
                return [
                    Reason(
                        rule,
                        Verdict.BLOCK,
                        source,
                        f"{current_mcg:g} → {proposed_mcg:g} mcg/day is {word}{factor:g} the "
                        f"current dose: {what}?",
                    )
                ]
    return []


def concentration_reasons(change: ProgramChange) -> list[Reason]:
    """Block a programmed concentration other than what the reservoir will hold."""
    told, holds = change.proposed.concentration_mcg_per_ml, change.holds_mcg_per_ml
    if abs(told - holds) <= 1e-9 * holds:
        return []
    return [
        Reason(
            "concentration_mismatch",
            Verdict.BLOCK,
            "synchromed2:S13",
            f"the program says {told:g} mcg/mL but the reservoir holds {holds:g} mcg/mL: the "
            f"patient would get {holds / told:.3g}× the programmed dose",
        )
    ]


def bolus_reasons(change: ProgramChange) -> list[Reason]:
    """Block a concentration change without a bridge bolus, an empty catheter without priming."""
    reasons = []
    if change.refill and not change.bridge_bolus and not change.catheter_empty:
        old, new = change.reservoir_mcg_per_ml, change.refill.concentration_mcg_per_ml
        if abs(old - new) > 1e-9 * new:
            reasons.append(
                Reason(
                    "missing_bridge_bolus",
                    Verdict.BLOCK,
                    "saulino2016-dosing",
                    f"the refill changes {old:g} → {new:g} mcg/mL with no bridge bolus: the old "
                    "solution in pump and catheter runs at the new rate, "
                    f"{old / new:.3g}× the dose, until it is displaced",
                )
            )
    if change.catheter_empty and not change.priming_bolus:
        reasons.append(
            Reason(
                "missing_priming_bolus",
                Verdict.BLOCK,
                "synchromed2:S13",
                "the catheter is new or revised (empty) and no priming bolus is programmed: no "
                "drug reaches the patient until the catheter fills",
            )
        )
    return reasons


def resolution_reasons(change: ProgramChange) -> list[Reason]:
    """Warn when a proposed rate is not a whole number of the pump's programming steps (it would
    be entered rounded; `pump.programmable_dose`, the catalogue's resolution)."""
    device = change.device
    step = device.dose_resolution_mcg_per_day
    source = device.source_of("dose_resolution_mcg_per_day").source
    reasons = []
    for rate in sorted({s.rate_mcg_per_day for s in change.proposed.steps}):
        entered = device.programmable_dose(rate, down=False)
        if abs(entered - rate) > 1e-9 * max(rate, 1.0):
            reasons.append(
                Reason(
                    "dose_resolution",
                    Verdict.WARN,
                    source,
                    f"{rate:g} mcg/day is not a whole number of the pump's {step:g} mcg/day "
                    f"steps: it would be entered as {entered:g} mcg/day",
                )
            )
    return reasons


def device_reasons(change: ProgramChange) -> list[Reason]:
    """Block a program the device cannot run and a refill that does not fit the reservoir."""
    device, reasons = change.device, []
    source = device.provenance.get("max_rate_ml_per_day") or device.provenance["reservoir_ml"]
    try:
        change.proposed.check_device(device)
    except ProgramError as err:
        reasons.append(Reason("device_limit", Verdict.BLOCK, source.source, str(err)))
    if change.refill and change.refill.volume_ml > device.reservoir_ml:
        reasons.append(
            Reason(
                "device_limit",
                Verdict.BLOCK,
                device.provenance["reservoir_ml"].source,
                f"a refill of {change.refill.volume_ml:g} mL does not fit the "
                f"{device.reservoir_ml:g} mL reservoir of {device.name}",
            )
        )
    return reasons


def stability_reasons(change: ProgramChange) -> list[Reason]:
    """Block a planned refill interval beyond drug stability; warn when the fill outlasts it."""
    cap_days = change.device.stability_h / 24
    source = change.device.provenance["stability_h"].source
    if change.next_refill_days is not None and change.next_refill_days > cap_days + 1e-9:
        return [
            Reason(
                "stability_cap",
                Verdict.BLOCK,
                source,
                f"the next refill is planned {change.next_refill_days:g} days out; baclofen is "
                f"stable {cap_days:g} days in the pump: refill by day {cap_days:g}",
            )
        ]
    if change.refill and change.proposed.daily_volume_ml() > 0:
        lasts = (change.refill.volume_ml - change.device.low_reservoir_alarm_ml) / (
            change.proposed.daily_volume_ml()
        )
        if lasts > cap_days and change.next_refill_days is None:
            return [
                Reason(
                    "stability_cap",
                    Verdict.WARN,
                    source,
                    f"this fill would last {lasts:.0f} days to the low-reservoir alarm, past the "
                    f"{cap_days:g}-day stability of baclofen: set the refill date by day "
                    f"{cap_days:g}, not by the alarm",
                )
            ]
    return []


def reservoir_state(dates: PumpDates) -> dict[str, float | None]:
    """What a `ProgramChange` takes from the pump's dates at the change (`now_h`): the volume the
    pump calculates (mL) and how long the reservoir has been empty (h; None: it holds drug)."""
    empty_for = dates.now_h - dates.empty_h if dates.empty_now else None  # type: ignore[operator]
    return {"reservoir_ml": dates.left_ml, "empty_for_h": empty_for}


def _mean_ml_per_day(program: Program) -> float:
    return sum(program.daily_volume_ml(day) for day in range(7)) / 7


def reservoir_reasons(change: ProgramChange) -> list[Reason]:
    """Block a change on an empty reservoir with no refill (the patient would receive nothing);
    warn when a refill ends a time without drug, and at or below the low-reservoir alarm."""
    left, device = change.reservoir_ml, change.device
    if left is None:
        return []
    empty = change.empty_for_h is not None or left <= device.empty_alarm_ml
    how_long = "" if change.empty_for_h is None else f" for {format_elapsed_h(change.empty_for_h)}"
    if empty and change.refill is None:
        return [
            Reason(
                "reservoir_empty",
                Verdict.BLOCK,
                "synchromed2:S23",
                f"the reservoir has been empty{how_long} (the pump calculates "
                f"{format_number(left, 'mL')} left): the patient would receive nothing from this "
                "program and is at risk of withdrawal; refill the pump first",
            )
        ]
    if empty:
        return [
            Reason(
                "reservoir_was_empty",
                Verdict.WARN,
                "label:overdosage+overdose1991",
                f"the reservoir has been empty{how_long}: the patient has been without drug, so "
                "the refill restarts therapy after an interruption, when tolerance may be lost "
                "and overdose is most likely; watch the patient closely",
            )
        ]
    alarm = device.low_reservoir_alarm_ml
    if change.refill is None and left <= alarm and alarm > device.empty_alarm_ml:
        rate = _mean_ml_per_day(change.proposed)
        lasts = (
            f"; at the proposed {format_number(rate, 'mL/day')} it is empty in "
            f"{format_elapsed_h(left / rate * 24)}"
            if rate > 0
            else ""
        )
        return [
            Reason(
                "reservoir_low",
                Verdict.WARN,
                device.source_of("low_reservoir_alarm_ml").source,
                f"the reservoir holds {format_number(left, 'mL')}, at or below the "
                f"{alarm:g} mL low-reservoir alarm{lasts}: refill before or with this change",
            )
        ]
    return []
