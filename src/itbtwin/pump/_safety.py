"""Programming checks the twin logs with each program change: dose-change limits and unit slips.

Titration limits per 24 h [saulino2016-dosing]: +10-30% (spinal origin), +5-15% (cerebral origin
and children); "at higher doses an increase >20% may be excessive". A change by exactly 24× (or
1/24) is the signature of a per-hour value entered for a per-day one [synchromed2:S45].
"""

from __future__ import annotations

from itbtwin.drug import HIGH_DOSE_STEP_PERCENT, PAEDIATRIC_AGE_Y, dose_range_for, step_limit_for

UNIT_SLIP_FACTOR = 24.0
"""Hours per day: the factor of a per-hour entry read as per-day [synchromed2:S45]."""


def dose_change_warnings(
    old_mcg_per_day: float, new_mcg_per_day: float, origin: str = "spinal", child: bool = False
) -> list[str]:
    """Warnings that need a second confirmation before a program change is sent (mcg/day)."""
    warnings = []
    if old_mcg_per_day <= 0:
        return warnings
    ratio = new_mcg_per_day / old_mcg_per_day
    for factor in (UNIT_SLIP_FACTOR, 1 / UNIT_SLIP_FACTOR):
        if abs(ratio - factor) <= 1e-9 * factor:
            warnings.append(
                f"a {ratio:.4g}× change ({old_mcg_per_day:g} → {new_mcg_per_day:g} mcg/day): "
                "was a per-hour value entered for a per-day one?"
            )
    limit = step_limit_for(origin, PAEDIATRIC_AGE_Y - 1 if child else None)
    allowed = limit.titration_high_percent
    if old_mcg_per_day > dose_range_for(origin, PAEDIATRIC_AGE_Y).typical_high_mcg_per_day:
        allowed = min(allowed, HIGH_DOSE_STEP_PERCENT)
    if 100 * (ratio - 1) > allowed + 1e-9:
        warnings.append(
            f"an increase of {100 * (ratio - 1):.0f}% exceeds +{allowed:g}% per 24 h "
            f"({limit.group}, {limit.source}): confirm twice"
        )
    return warnings
