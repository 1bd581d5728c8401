"""The safety check's rules on the reservoir at the change.

A program sent to an empty reservoir delivers nothing (synchromed2:S23: the critical alarm,
"medication no longer flowing"; an empty reservoir interrupts therapy, neurosurgerywiki); below
the low-reservoir alarm withdrawal can start (synchromed2:S25); a refill after a time without
drug is a re-introduction after an interruption, when overdose is most likely (label:overdosage,
overdose1991).
"""

from __future__ import annotations

from itbtwin.clinic._program_change import ProgramChange
from itbtwin.clinic._pump_dates import PumpDates
from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.display import format_elapsed_h, format_number
from itbtwin.pump import weekly_ml_per_day


def reservoir_state(dates: PumpDates) -> dict[str, float | None]:
    """What a `ProgramChange` takes from the pump's dates at the change (`now_h`): the volume the
    pump calculates (mL) and how long the reservoir has been empty (h; None: it holds drug)."""
    empty_for = dates.now_h - dates.empty_h if dates.empty_now else None  # type: ignore[operator]
    return {"reservoir_ml": dates.left_ml, "empty_for_h": empty_for}


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
        rate = weekly_ml_per_day(change.proposed)
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
