"""The instants of a therapy timeline as ordered actions on the pump state.

Battery: ERI sounds (single tone) at the device's life less `eri_to_stop_h`, or earlier when
injected; the pump stops `eri_to_stop_h` (90 days) later and never runs past `eos_h` (7 years) from
implant [synchromed2:S26, S27]. MRI: a SynchroMed rotor stops for the scan and restarts after a
delay, but not at all if an alarm was sounding (telemetry mode) until interrogated [S9, S36];
Prometra I dumps its reservoir, Prometra II lets ≤10 µL through and locks until reset [S51, S53].
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from itbtwin.display import format_elapsed_h
from itbtwin.pump._actions import Fault
from itbtwin.pump._bridge import weekly_ml_per_day
from itbtwin.pump._commands import Commands
from itbtwin.pump._forecast import ptc_refill_days
from itbtwin.pump._state import PumpState
from itbtwin.pump._therapy import Therapy

Action = Callable[[float], None]
FAV_LEAK_ML = 0.01
"""Prometra II: "a small amount of drug, ≤10 µL, will be delivered" in a strong field [S53]."""


def schedule_actions(
    plan: Therapy, cmd: Commands, s: PumpState
) -> dict[float, list[tuple[int, Action]]]:
    """Every instant action of the timeline, keyed by time, with an order within one instant."""
    at: dict[float, list[tuple[int, Action]]] = defaultdict(list)

    def add(t: float, order: int, action: Action) -> None:
        if t < plan.span_h:
            at[max(t, 0.0)].append((order, action))

    pockets = {f.at_h: f.fraction for f in plan.faults if f.kind == "pocket_fill"}
    for visit in plan.refills:
        add(visit.at_h, 0, lambda t, v=visit: s.refill(v, pockets.get(v.at_h, 0.0)))
        add(visit.at_h, 9, lambda t, v=visit: _check_bridge(plan, s, v.at_h))
    for revision in plan.revisions:
        add(revision.at_h, 1, lambda t, r=revision: s.revise(r))
    for start in cmd.program_starts[1:]:
        add(start, 2, lambda t: _reprogrammed(s, t))
        add(start, 9, lambda t: _check_concentration(plan, s, t))
    for fault in plan.faults:
        _fault_actions(plan, s, fault, add)
    for t in plan.interrogations:
        add(t, 5, lambda t: _interrogate(s, t))
    for t in cmd.demand_starts:
        add(t, 8, lambda t: _ptc_date(plan, s, t))
    _battery_actions(plan, s, add)
    return at


def _reprogrammed(s: PumpState, t: float) -> None:
    s.reset = False
    s.alarm_off("low_battery_reset", t)


def _check_concentration(plan: Therapy, s: PumpState, t: float) -> None:
    programmed = plan.program_at(t).concentration_mcg_per_ml
    if programmed != s.res_c:
        s.log(
            t,
            "concentration_mismatch",
            f"the program assumes {programmed:g} mcg/mL but the "
            f"reservoir holds {s.res_c:g} mcg/mL: the patient gets {s.res_c / programmed:.3g}× "
            "the programmed dose",
        )


def _check_bridge(plan: Therapy, s: PumpState, t: float) -> None:
    _check_concentration(plan, s, t)
    changed = any(c != s.res_c for _, c in s.path.slugs)
    bridged = any(b.kind == "bridge" and b.at_h == t for b in plan.boluses)
    if changed and not bridged:
        program = plan.program_at(t)
        ml_per_day = weekly_ml_per_day(program)
        volume, old_c = s.path.volume_ml, s.path.mass_mcg / s.path.volume_ml
        error = ""
        if ml_per_day > 0:
            error = (
                f": {old_c * ml_per_day:.4g} mcg/day instead of "
                f"{program.concentration_mcg_per_ml * ml_per_day:.4g} mcg/day "
                f"({old_c / program.concentration_mcg_per_ml:.3g}× the dose) for "
                f"{format_elapsed_h(volume / ml_per_day * 24)}"
            )
        s.log(
            t,
            "no_bridge_bolus",
            f"concentration changed to {s.res_c:g} mcg/mL without a "
            f"bridge bolus: {volume:.3g} mL of old solution is delivered first at the "
            f"new rate{error} [synchromed2:S15]",
        )


def _interrogate(s: PumpState, t: float) -> None:
    s.log(t, "interrogation", "pump interrogated with the clinician programmer")
    for reason in ("telemetry", "fav"):
        if reason in s.stalls:
            _restart(s, t, reason)


def _restart(s: PumpState, t: float, reason: str) -> None:
    if reason not in s.stalls:
        return
    s.stalls.discard(reason)
    if not s.stalls & {"mri", "telemetry", "fav"}:
        s.alarm_off("motor_stall", t)
        later = sorted(i for i in s.therapy.interrogations if i > t)
        seen = later[1] if len(later) > 1 else None
        s.log(
            t,
            "motor_stall_recovery",
            "motor restarts; the pump log may show the recovery "
            "only from the second interrogation [synchromed2:S9]",
            seen_h=seen,
        )


def _mri(plan: Therapy, s: PumpState, fault: Fault, t: float) -> None:
    behaviour = plan.device.mri
    s.log(t, "mri", f"MRI scan of {fault.duration_h:g} h ({behaviour})")
    if behaviour == "stall":
        telemetry = s.sounding()
        s.stop(t, "mri", "motor_stall", "MRI: the rotor stops, no infusion during the scan")
        if telemetry:
            s.stalls.add("telemetry")
            s.log(
                t, "fault", "an alarm was sounding: telemetry mode, no restart until interrogated"
            )
    elif behaviour == "valve_dump":
        volume = s.res_v
        s.deliver_at_tip(t, s.path.push(volume, s.res_c), volume, instant=True)
        s.res_v = 0.0
        s.log(
            t,
            "fault",
            f"MRI opened the valves: {volume:.3g} mL of reservoir and catheter "
            "contents discharged at once",
        )
    elif behaviour == "fav_lock":
        volume = min(FAV_LEAK_ML, s.res_v)
        s.deliver_at_tip(t, s.path.push(volume, s.res_c), volume, instant=True)
        s.res_v -= volume
        s.stalls.add("fav")
        s.log(t, "fault", "flow-activated valve closed: no flow until the pump is reset")


def _fault_actions(plan: Therapy, s: PumpState, fault: Fault, add: Callable) -> None:
    kind, t0 = fault.kind, fault.at_h
    if fault.on_catheter:

        def start(t: float) -> None:
            s.catheter_faults.append(fault)
            s.refresh_catheter()
            s.log(t, "fault", f"catheter {kind}: {fault.fraction:.0%} of the flow affected")

        def end(t: float) -> None:
            if fault in s.catheter_faults:
                s.catheter_faults.remove(fault)
                s.refresh_catheter()
                s.log(t, "fault_cleared", f"catheter {kind} resolved")

        add(t0, 3, start)
        if fault.until_h is not None:
            add(fault.until_h, 3, end)
    elif kind == "mri":
        delay = plan.device.mri_restart_delay_h if fault.delay_h is None else fault.delay_h
        add(t0, 6, lambda t: _mri(plan, s, fault, t))
        add(t0 + fault.duration_h + delay, 4, lambda t: _restart(s, t, "mri"))
    elif kind == "low_battery_reset":

        def reset(t: float) -> None:
            s.reset = True
            s.alarm_on("low_battery_reset", t, "low battery reset: rate falls to the reset rate")
            s.log(
                t,
                "fault",
                f"low battery reset: {plan.device.reset_rate_ml_per_day:g} mL/day "
                "until reprogrammed",
                alarm="low_battery_reset",
                tone="two_tone",
            )

        add(t0, 7, reset)
    elif kind == "motor_stall":
        add(t0, 7, lambda t: s.stop(t, "permanent", "motor_stall", "permanent motor stall"))


def _battery_actions(plan: Therapy, s: PumpState, add: Callable) -> None:
    d = plan.device
    if d.eos_h is None:
        return
    eri = d.eos_h - d.eri_to_stop_h - plan.pump_age_h
    eri = min([eri, *(f.at_h for f in plan.faults if f.kind == "premature_eri")])
    stop = min(
        [
            eri + d.eri_to_stop_h,
            d.eos_h - plan.pump_age_h,
            *(f.at_h for f in plan.faults if f.kind == "battery_failure"),
        ]
    )

    def eri_on(t: float) -> None:
        s.alarm_on(
            "eri", t, f"elective replacement indicator: the pump stops in {(stop - t) / 24:g} days"
        )
        s.log(t, "eri", "elective replacement indicator (single tone)", alarm="eri", tone="single")

    def end(t: float) -> None:
        s.alarm_off("eri", t)
        s.stop(t, "end_of_service", "end_of_service", "end of service: the pump stops")

    if eri < stop:
        add(eri, 7, eri_on)
    add(stop, 7, end)


def _ptc_date(plan: Therapy, s: PumpState, t: float) -> None:
    program = plan.program_at(t)
    demand = program.demand
    assert demand is not None
    days = ptc_refill_days(
        s.est,
        program.daily_volume_ml(),
        demand.dose_mcg / program.concentration_mcg_per_ml,
        demand.max_per_day,
        plan.device.low_reservoir_alarm_ml,
    )
    s.log(
        t,
        "refill_date",
        f"refill date recalculated at this bolus: day {(t / 24 + days):.4g} "
        f"(reservoir at {plan.device.low_reservoir_alarm_ml:g} mL if every allotted bolus is used)",
    )
