"""The kinds of quantity itbtwin reads and writes, declared as data.

Each kind fixes the dimension a value must have, the canonical unit the core uses, and examples for
error messages. Adding a kind here is the only step needed to parse a new quantity at every edge.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of quantity: name, dimension (pint syntax), canonical unit and examples."""

    name: str
    dimension: str
    canonical: str
    examples: str
    help: str
    allow_negative: bool = False
    bounds: tuple[float, float] | None = None
    """The values possible at all, in `canonical` (None: any finite value), with `why`."""
    why: str = ""


DRUG_CONCENTRATION_MCG_PER_ML = (1.0, 10_000.0)
"""A baclofen solution a pump can hold [assumption: a typing error beyond]: the products are
50-2000 mcg/mL (pharmacology.md, Lioresal composition); baclofen dissolves in water to about
4.3 mg/mL (from memory, verify), so 10,000 mcg/mL is no solution at all, and below 1 mcg/mL
(1/50 of the screening strength) no pump rate delivers a dose. 1e300 mcg/mL was accepted and
crashed the safety check (issue 17). The records use the same bound (`store._bounds`)."""

BODY_WEIGHT_KG = (1.0, 400.0)
"""A human body weight [assumption: a typing error beyond]: 0.0001 kg was simulated as a patient
(issue 17). The records use the same bound (`store._bounds`)."""

_DECLARED = (
    Kind("dose", "[mass]", "mcg", '"50 mcg", "0.05 mg"', "an amount of drug"),
    Kind(
        "daily_dose",
        "[mass] / [time]",
        "mcg / day",
        '"500 mcg/day", "0.5 mg/day"',
        "a daily dose (amount per day)",
    ),
    Kind("infusion_rate", "[mass] / [time]", "mcg / hour", '"20 mcg/h"', "a drug-mass rate"),
    Kind(
        "concentration",
        "[mass] / [length] ** 3",
        "mcg / mL",
        '"2000 mcg/mL", "2 mg/mL"',
        "a drug concentration",
        bounds=DRUG_CONCENTRATION_MCG_PER_ML,
        why="check the unit (no baclofen solution for a pump is outside this range)",
    ),
    Kind(
        "pump_rate",
        "[length] ** 3 / [time]",
        "mL / day",
        '"0.25 mL/day"',
        "a volume flow rate at the pump",
    ),
    Kind("volume", "[length] ** 3", "mL", '"20 mL"', "a volume"),
    Kind("duration", "[time]", "hour", '"24 h", "7 day", "30 min"', "a duration"),
    Kind("time", "[time]", "hour", '"12 h", "2 day"', "a time from the start of the simulation"),
    Kind(
        "weight",
        "[mass]",
        "kg",
        '"70 kg"',
        "a body weight",
        bounds=BODY_WEIGHT_KG,
        why="check the unit (a weight beyond a human body is a unit typed wrong, e.g. 72 mg)",
    ),
    Kind("age", "[time]", "year", '"8 year"', "an age"),
    Kind("flow", "[length] ** 3 / [time]", "mL / hour", '"30 mL/h"', "a clearance or CSF flow"),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in _DECLARED}
