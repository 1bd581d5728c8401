"""The programmer's arithmetic: days to the low-reservoir alarm, the refill date, the PTC date.

Days to alarm = (V_fill − V_alarm) / mean daily volume; refill date = min(alarm date − margin,
fill date + stability limit) [pumps.md §7; synchromed2:S2, S15, S25]. The Prometra PTC projects
the date the reservoir reaches 3.0 mL assuming every allotted bolus is used [prometra:S57].
"""

from __future__ import annotations

from itbtwin.errors import ProgramError


def _positive(**values: float) -> None:
    for name, value in values.items():
        if not value > 0:
            raise ProgramError(f"{name} must be positive, got {value}")


def days_to_low_reservoir(volume_ml: float, alarm_ml: float, ml_per_day: float) -> float:
    """Days (d) until the calculated reservoir falls from ``volume_ml`` to ``alarm_ml`` (mL)."""
    _positive(ml_per_day=ml_per_day)
    return max(volume_ml - alarm_ml, 0.0) / ml_per_day


def refill_due_day(
    volume_ml: float,
    alarm_ml: float,
    ml_per_day: float,
    stability_days: float = 180.0,
    margin_days: float = 0.0,
) -> float:
    """Day the refill is due: before the alarm by ``margin_days``, never past drug stability."""
    return max(
        0.0,
        min(days_to_low_reservoir(volume_ml, alarm_ml, ml_per_day) - margin_days, stability_days),
    )


def ptc_refill_days(
    volume_ml: float,
    basal_ml_per_day: float,
    bolus_ml: float,
    boluses_per_day: int,
    threshold_ml: float = 3.0,
) -> float:
    """Days until the reservoir reaches ``threshold_ml`` if all allotted boluses are used."""
    _positive(basal_ml_per_day=basal_ml_per_day)
    return days_to_low_reservoir(
        volume_ml, threshold_ml, basal_ml_per_day + bolus_ml * boluses_per_day
    )
