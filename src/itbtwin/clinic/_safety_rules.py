"""The rules of the programming safety check on the dose entered, one function each, every
finding a `Reason`; the device and drug rules are in `_device_rules`, the reservoir's in
`_reservoir_rules` (their names are importable from here too).

Unit and decimal slips: a proposed daily dose at 24× (or 1/24) of the current one is a per-hour
value entered for a per-day one (synchromed2:S45, the ISMP case); at 1000× a mg/mcg mix-up and at
10× or 100× a misplaced decimal point (derived: a ratio of exactly a power of ten). The pump turns
each dose into a volume with the concentration it is told (synchromed2:S13), so a concentration
other than the reservoir's gives another dose. A concentration change needs a bridge bolus
(saulino2016-dosing; pumps.md §8.8); an empty (new or revised) catheter a priming bolus
(synchromed2:S13).
"""

from __future__ import annotations

from itbtwin.clinic._device_rules import device_reasons as device_reasons
from itbtwin.clinic._device_rules import resolution_reasons as resolution_reasons
from itbtwin.clinic._device_rules import stability_reasons as stability_reasons
from itbtwin.clinic._program_change import ProgramChange as ProgramChange
from itbtwin.clinic._reasons import Reason, Verdict
from itbtwin.clinic._reservoir_rules import reservoir_reasons as reservoir_reasons
from itbtwin.clinic._reservoir_rules import reservoir_state as reservoir_state
from itbtwin.clinic._settings import setting
from itbtwin.drug import PRODUCTS, match_concentration

SLIP_FACTORS: dict[float, tuple[str, str, str]] = {
    24.0: ("unit_slip_per_hour", "synchromed2:S45", "a per-hour value entered as per day"),
    1000.0: ("unit_slip_mg_mcg", "derived", "mg and mcg mixed up"),
    10.0: ("decimal_slip", "derived", "a decimal point misplaced by one digit"),
    100.0: ("decimal_slip", "derived", "a decimal point misplaced by two digits"),
}
"""Ratios of proposed to current daily dose that betray an entry error, and the rule they fire."""


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
    """Block a programmed concentration other than what the reservoir will hold; warn of a refill
    with a strength no product is marketed at (`compounded_reasons`)."""
    told, holds = change.proposed.concentration_mcg_per_ml, change.holds_mcg_per_ml
    found = compounded_reasons(change.refill.concentration_mcg_per_ml) if change.refill else []
    if abs(told - holds) <= 1e-9 * holds:
        return found
    return [
        *found,
        Reason(
            "concentration_mismatch",
            Verdict.BLOCK,
            "synchromed2:S13",
            f"the program says {told:g} mcg/mL but the reservoir holds {holds:g} mcg/mL: the "
            f"patient would get {holds / told:.3g}× the programmed dose",
        ),
    ]


def compounded_reasons(concentration_mcg_per_ml: float) -> list[Reason]:
    """WARN for a refill strength (mcg/mL) no product is marketed at: the label says other
    strengths "must be diluted" (product-page; `drug.match_concentration`), so it is a
    compounded solution a clinician may mean, or a number typed wrong (700 for 500). Issue 17:
    it was taken without a word."""
    match = match_concentration(concentration_mcg_per_ml)
    if not match.compounded:
        return []
    marketed = ", ".join(f"{c:g}" for c in sorted({p.concentration_mcg_per_ml for p in PRODUCTS}))
    text = (
        f"a refill of {concentration_mcg_per_ml:g} mcg/mL: {match.note} (marketed: {marketed} "
        "mcg/mL); check the preparation and the number entered"
    )
    return [Reason("compounded_concentration", Verdict.WARN, "product-page", text)]


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
