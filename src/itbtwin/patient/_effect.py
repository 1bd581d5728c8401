"""Effect model: effect-site concentration → muscle tone (MAS) and spasms (Penn), for one or many.

A delayed-effect link to the CSF concentration at the target spinal level, as heetla2016
describes (two pathways, `_effect_site`), drives an Emax/Hill reduction of muscle tone and spasms:

    E_tone  = Emax · Ce^γ / ((T · EC50)^γ + Ce^γ)        fraction of the baseline tone removed
    E_spasm = Emax · Ce^γ / ((T · r · EC50)^γ + Ce^γ)    spasms respond at lower concentrations

where T ≥ 1 is the tolerance factor (1 for a drug-naive patient, `_drift`). Heetla 2016's parameter
table could not be read (pharmacology.md §3), so the link, EC50 and γ are calibrated, not published
(issue 14; docs/response.md §2 says what was fitted to what):

- the link's rates and γ were fitted together so that a 50 mcg bolus first changes the reported
  MAS within 0.5–1 h, is best at ≈4 h and is back to baseline by 8 h, and a 100 mcg/day infusion
  first changes it at 6–8 h and reaches 95% of its maximum at 24–48 h (product page;
  pharmacology.md §2, §9.6–9.7);
- EC50 follows γ so that the concentration removing the maintenance share of tone (59%) is the
  one γ = 2, EC50 = 160 ng/mL gave (191.9 ng/mL): maintenance doses and populations unchanged;
- r makes spasm frequency fall by 81% when tone falls by 59% (creedon1997: Ashworth 3.9 → 1.6,
  Penn 3.2 → 0.6 on ITB).

The scores are ordinal: a latent score (baseline code × (1 − E)) is reported as the nearest grade,
halves rounding down, so a baseline MAS "3" first reads "2" when tone falls by one eighth.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from itbtwin.errors import ParameterError
from itbtwin.patient._declare import Value, check_fields, describe, param

MAS_GRADES: tuple[str, ...] = ("0", "1", "1+", "2", "3", "4")
"""Modified Ashworth grades in order; the index is the 0-5 ordinal code (1+ is code 2)."""

DETECTABLE_REDUCTION = 1 / 8
"""Tone reduction at which an effect is first seen: the MAS of a baseline "3" drops a grade."""

MAINTENANCE_TARGET_REDUCTION = 1 - 1.6 / 3.9
"""Response target of maintenance: tone falls as in the creedon1997 meta-analysis (3.9 → 1.6)."""

MAINTENANCE_CONCENTRATION_NG_ML = 160.0 * (
    MAINTENANCE_TARGET_REDUCTION / (1 - MAINTENANCE_TARGET_REDUCTION)
) ** (1 / 2)
"""Effect-site concentration removing the maintenance share of tone, ng/mL (drug-naive): the one
the issue 3 calibration gave (EC50 160 ng/mL, γ 2), kept when γ changed (issue 14) so that the
maintenance doses, which the population rows check, do not move [derived]."""

SPASM_REDUCTION_AT_MAINTENANCE = 1 - 0.6 / 3.2
"""Spasms fall by 81% when tone falls by 59% (creedon1997: Penn 3.2 → 0.6 on ITB)."""

TYPICAL_LINK: dict[str, float] = {
    "transit_per_h": 2.71,
    "fast_share": 0.49,
    "slow_per_h": 0.066,
    "hill": 2.5,
}
"""The link and γ fitted together to the bolus and infusion timing (docs/response.md §2)."""


def _ec50_for(hill: float) -> float:
    """EC50 (ng/mL) putting the maintenance reduction at `MAINTENANCE_CONCENTRATION_NG_ML`."""
    odds = MAINTENANCE_TARGET_REDUCTION / (1 - MAINTENANCE_TARGET_REDUCTION)
    return MAINTENANCE_CONCENTRATION_NG_ML / odds ** (1 / hill)


def _spasm_ratio_for(hill: float) -> float:
    """Spasm EC50 / tone EC50 giving `SPASM_REDUCTION_AT_MAINTENANCE` at the maintenance level."""
    odds = SPASM_REDUCTION_AT_MAINTENANCE / (1 - SPASM_REDUCTION_AT_MAINTENANCE)
    return MAINTENANCE_CONCENTRATION_NG_ML / _ec50_for(hill) / odds ** (1 / hill)


@dataclasses.dataclass(frozen=True)
class EffectParams:
    """Pharmacodynamic parameters of ITB on tone and spasms; floats or (n,) arrays."""

    transit_per_h: Value = param(
        "1/h",
        "fast pathway: exchange rate between tissue layers (calibrated: bolus timing)",
        "derived",
    )
    fast_share: Value = param(
        "1",
        "share of the effect site on the fast pathway (calibrated with the rates)",
        "derived",
        0,
        1,
    )
    slow_per_h: Value = param(
        "1/h",
        "slow pathway equilibration rate (calibrated: infusion maximum at 24-48 h)",
        "derived",
    )
    ec50_ng_ml: Value = param(
        "ng/mL", "effect-site concentration halving tone when drug-naive (calibrated)", "derived"
    )
    hill: Value = param("1", "Hill coefficient (calibrated to onset and duration)", "derived")
    emax: Value = param(
        "1", "largest fraction of tone ITB removes (flaccidity at overdose)", "assumption", 0, 1
    )
    spasm_ec50_ratio: Value = param(
        "1", "EC50 for spasms / EC50 for tone (calibrated)", "creedon1997", 0, 1
    )
    tolerance: Value = param(
        "1", "tolerance factor on EC50 (1 = drug-naive)", "heetla2009", 1.0, allow_lower=True
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_n", check_fields(self))

    @property
    def n_patients(self) -> int:
        """Number of patients (1 for scalar parameters)."""
        return self._n  # type: ignore[attr-defined,no-any-return]

    @classmethod
    def typical(cls, **overrides: Value) -> EffectParams:
        """The typical drug-naive patient (calibrated values, see the module docstring)."""
        values: dict[str, Value] = {
            "transit_per_h": TYPICAL_LINK["transit_per_h"],
            "fast_share": TYPICAL_LINK["fast_share"],
            "slow_per_h": TYPICAL_LINK["slow_per_h"],
            "ec50_ng_ml": _ec50_for(TYPICAL_LINK["hill"]),
            "hill": TYPICAL_LINK["hill"],
            "emax": 1.0,
            "spasm_ec50_ratio": _spasm_ratio_for(TYPICAL_LINK["hill"]),
            "tolerance": 1.0,
        }
        values.update(overrides)
        return cls(**values)

    def replace(self, **changes: Value) -> EffectParams:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def table(self) -> list[dict[str, object]]:
        """The annotated parameter table: name, value, unit, description, source."""
        return describe(self)


def per_patient(value: Value, ndim: int) -> np.ndarray:
    """A parameter shaped to broadcast against an array of ``ndim`` dims with patients on axis 0."""
    array = np.asarray(value, float)
    return array.reshape(array.shape + (1,) * (ndim - 1)) if array.ndim == 1 else array


def _hill(ce_ng_ml: np.ndarray, ec50: Value, params: EffectParams) -> np.ndarray:
    ce = np.asarray(ce_ng_ml, float)
    if np.any(ce < 0):
        raise ParameterError("an effect-site concentration cannot be negative")
    d = max(ce.ndim, 1)
    ratio = (ce / per_patient(ec50, d)) ** per_patient(params.hill, d)
    return per_patient(params.emax, d) * ratio / (1.0 + ratio)


def tone_reduction(ce_ng_ml: np.ndarray, params: EffectParams) -> np.ndarray:
    """Fraction of baseline tone removed at effect-site concentration ``ce_ng_ml`` (ng/mL)."""
    return _hill(ce_ng_ml, np.multiply(params.ec50_ng_ml, params.tolerance), params)


def spasm_reduction(ce_ng_ml: np.ndarray, params: EffectParams) -> np.ndarray:
    """Fraction of baseline spasm frequency removed at ``ce_ng_ml`` (ng/mL)."""
    ec50 = np.multiply(params.ec50_ng_ml, params.tolerance) * params.spasm_ec50_ratio
    return _hill(ce_ng_ml, ec50, params)


def concentration_for_reduction(reduction: float, params: EffectParams) -> np.ndarray:
    """Effect-site concentration (ng/mL) that removes ``reduction`` of the tone; inverse Hill."""
    emax = np.asarray(params.emax, float)
    if not reduction > 0 or np.any(reduction >= emax):
        raise ParameterError(
            f"a tone reduction of {reduction:.0%} is out of reach: ITB removes less than Emax"
        )
    ec50 = np.multiply(params.ec50_ng_ml, params.tolerance)
    return ec50 * (reduction / (emax - reduction)) ** (1.0 / np.asarray(params.hill))
