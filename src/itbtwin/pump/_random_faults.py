"""Random faults at published per-year rates, for population runs (a seeded Generator in).

Catheter complications: 9 in about 452 patient-years (5 occlusions, 2 fractures, 1 disconnection,
1 kink) [feller2021, derived]. Non-recoverable motor stall: 2.7% (on-label) or 8.9% (off-label
drugs) by 6 years, as a constant hazard −ln(1 − p) / 6 per year [synchromed2:S11, derived]. Pocket
fill: about 1 per 10,000 refills [synchromed2:S32].
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from itbtwin import sources
from itbtwin.pump._actions import Fault
from itbtwin.pump._device import HOURS_PER_YEAR

_CATHETER_PER_YEAR = 9 / (126 * 43 / 12)


@dataclass(frozen=True)
class FaultRate:
    """A fault's hazard per patient-year (or per refill, for refill faults), with its source."""

    kind: str
    per_year: float
    source: str
    per_refill: bool = False

    def __post_init__(self) -> None:
        sources.check(self.source)


FAULT_RATES: dict[str, FaultRate] = {
    r.kind: r
    for r in (
        FaultRate("occlusion", _CATHETER_PER_YEAR * 5 / 9, "feller2021+derived"),
        FaultRate("fracture", _CATHETER_PER_YEAR * 2 / 9, "feller2021+derived"),
        FaultRate("disconnection", _CATHETER_PER_YEAR * 1 / 9, "feller2021+derived"),
        FaultRate("kink", _CATHETER_PER_YEAR * 1 / 9, "feller2021+derived"),
        FaultRate("motor_stall", -math.log(1 - 0.027) / 6, "synchromed2:S11+derived"),
        FaultRate("pocket_fill", 1e-4, "synchromed2:S32", per_refill=True),
    )
}
OFF_LABEL_MOTOR_STALL = FaultRate(
    "motor_stall", -math.log(1 - 0.089) / 6, "synchromed2:S11+derived"
)
"""Motor-stall hazard with off-label drugs (91.1% survivability at 6 years)."""


def draw_faults(
    rng: np.random.Generator,
    span_h: float,
    refill_times: Iterable[float] = (),
    *,
    off_label: bool = False,
    scale: float = 1.0,
) -> tuple[Fault, ...]:
    """Faults of one pump over ``span_h`` hours; ``scale`` multiplies every rate (stress tests)."""
    rates = dict(FAULT_RATES)
    if off_label:
        rates["motor_stall"] = OFF_LABEL_MOTOR_STALL
    faults = []
    for rate in rates.values():
        if rate.per_refill:
            for t in refill_times:
                if rng.random() < rate.per_year * scale:
                    faults.append(Fault(rate.kind, float(t)))
            continue
        per_hour = rate.per_year * scale / HOURS_PER_YEAR
        t = rng.exponential(1 / per_hour) if per_hour > 0 else math.inf
        while t < span_h:
            faults.append(Fault(rate.kind, float(t)))
            if rate.kind == "motor_stall":
                break
            t += rng.exponential(1 / per_hour)
    return tuple(sorted(faults, key=lambda f: f.at_h))
