"""Typical baclofen PK parameters for the compact CSF + plasma model, adult and paediatric.

Sources are in reference/pharmacology.md; numbers tagged "(from memory, verify)" there (the
label §12.3 CSF values) are defaults a user can replace; `itbtwin validate` shows their keys.
Amounts mcg, volumes mL, time h, clearances mL/h.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from itbtwin.errors import ParameterError
from itbtwin.patient._declare import Value, check_fields, describe, param
from itbtwin.units import BODY_WEIGHT_KG

LN2 = math.log(2.0)

# Label §12.3: CSF t½ 1.51 h and CSF clearance ~30 mL/h after a lumbar bolus (from memory, verify).
LABEL_CSF_HALF_LIFE_H = 1.51
LABEL_CSF_CLEARANCE_ML_H = 30.0
# StatPearls: total CSF ~150 mL; production ~0.35 mL/min (21 mL/h).
TOTAL_CSF_ML = 150.0
CSF_PRODUCTION_ML_H = 0.35 * 60
# Adult oral two-compartment PK (PMID 4028618): alpha, beta (1/h), Vc/F (mL), CL/F, renal CL (mL/h).
ADULT_ALPHA_PER_H = 1.29
ADULT_BETA_PER_H = 0.191
ADULT_VC_ML = 28_800.0
ADULT_CL_ML_H = 180.0 * 60
ADULT_CL_RENAL_ML_H = 103.0 * 60
# He 2014 (children 2-17 y): CL/F 0.273 L/h/kg, Vss/F 1.16 L/kg, MTT 0.389 h, terminal t½ 4.5 h.
CHILD_CL_ML_H_PER_KG = 273.0
CHILD_VSS_ML_PER_KG = 1160.0
CHILD_MTT_H = 0.389
CHILD_TERMINAL_HALF_LIFE_H = 4.5
PAEDIATRIC_PLASMA_MAX_AGE_Y = 18.0  # He 2014 studied ages 2-17
PAEDIATRIC_SOURCES = {
    "v_central_ml": "he2014+oral-adult-pk",  # He's Vss/F per kg x the adult Vc/Vss
    "v_peripheral_ml": "he2014+oral-adult-pk",  # He's Vss/F less that Vc
    "q_plasma_ml_h": "he2014+derived",  # solved for He's 4.5 h terminal half-life
    "cl_plasma_ml_h": "he2014",  # CL/F 0.273 L/h/kg
    "cl_renal_ml_h": "he2014+oral-adult-pk",  # He's CL/F x the adult renal fraction
}
"""The sources of a child's plasma parameters (the adult declaration cites oral-adult-pk)."""


def _micro_from_macro(alpha: float, beta: float, vc: float, cl: float) -> tuple[float, float]:
    """Peripheral volume and inter-compartmental clearance of a 2-compartment model (mL, mL/h).

    From k10 = CL/Vc, alpha*beta = k10*k21 and alpha + beta = k10 + k12 + k21 [derived].
    """
    k10 = cl / vc
    k21 = alpha * beta / k10
    k12 = alpha + beta - k10 - k21
    if k12 <= 0:
        raise ParameterError(
            "alpha and beta are inconsistent with CL/Vc: no peripheral compartment"
        )
    return vc * k12 / k21, k12 * vc


def _q_for_terminal_half_life(vc: float, vp: float, cl: float, half_life: float) -> float:
    """Inter-compartmental clearance (mL/h) giving a terminal half-life, with Vc, Vp, CL fixed.

    beta is the smaller root of s^2 - (k10 + Q/Vc + Q/Vp) s + k10 Q/Vp = 0; solved for Q [derived].
    """
    beta = LN2 / half_life
    k10 = cl / vc
    denominator = k10 / vp - beta * (1 / vc + 1 / vp)
    if beta >= k10 or denominator <= 0:
        raise ParameterError(f"no two-compartment model has a terminal half-life of {half_life} h")
    return beta * (k10 - beta) / denominator


ADULT_VP_ML, ADULT_Q_ML_H = _micro_from_macro(
    ADULT_ALPHA_PER_H, ADULT_BETA_PER_H, ADULT_VC_ML, ADULT_CL_ML_H
)
ADULT_CENTRAL_FRACTION = ADULT_VC_ML / (ADULT_VC_ML + ADULT_VP_ML)


@dataclasses.dataclass(frozen=True)
class BaclofenPk:
    """Parameters of the compact baclofen model: lumbar CSF, cranial CSF, plasma (2 cpt), gut.

    Each field is a float (one patient) or a 1-D array (patients on axis 0). Construct with
    `BaclofenPk.adult()`, `BaclofenPk.paediatric(weight_kg)` or `BaclofenPk.for_patient(...)`;
    any impossible value raises `ParameterError` naming the field.
    """

    v_lumbar_ml: Value = param(
        "mL",
        "lumbar CSF distribution volume at the catheter tip (= CL x t½ / ln 2)",
        "label:12.3+derived",
    )
    cl_csf_ml_h: Value = param(
        "mL/h", "clearance of baclofen from lumbar CSF (bulk flow)", "label:12.3"
    )
    v_cranial_ml: Value = param(
        "mL",
        "cranial (cisternal) CSF volume: total CSF less the lumbar pool",
        "statpearls-csf+label:12.3+derived",
    )
    cl_cranial_ml_h: Value = param(
        "mL/h", "clearance from cranial CSF by CSF absorption (= CSF production)", "statpearls-csf"
    )
    lumbar_cranial_ratio: Value = param(
        "1", "lumbar : cisternal concentration ratio during lumbar infusion", "label:12.3", 1.0
    )
    csf_plasma_ratio: Value = param(
        "1",
        "CSF : plasma concentration ratio at oral steady state",
        "mims",
        0.0,
        1.0,
        allow_lower=True,
    )
    v_central_ml: Value = param("mL", "plasma central volume (Vc/F)", "oral-adult-pk")
    v_peripheral_ml: Value = param(
        "mL", "peripheral volume (from alpha, beta)", "oral-adult-pk+derived"
    )
    q_plasma_ml_h: Value = param("mL/h", "inter-compartmental clearance", "oral-adult-pk+derived")
    cl_plasma_ml_h: Value = param("mL/h", "total plasma clearance (CL/F)", "oral-adult-pk")
    cl_renal_ml_h: Value = param("mL/h", "renal clearance (unchanged drug)", "oral-adult-pk")
    ka_oral_per_h: Value = param(
        "1/h", "oral absorption rate (1 / mean transit time)", "he2014+derived"
    )
    f_oral: Value = param(
        "1", "oral bioavailability (absorption almost complete)", "assumption", 0.0, 1.0
    )

    def __post_init__(self) -> None:
        n = check_fields(self)
        object.__setattr__(self, "_n", n)
        rostral = np.asarray(self.cl_cranial_ml_h) / np.asarray(self.lumbar_cranial_ratio)
        if np.any(rostral >= np.asarray(self.cl_csf_ml_h)):
            raise ParameterError(
                "impossible CSF parameters: the rostral flow implied by cl_cranial_ml_h / "
                "lumbar_cranial_ratio must be smaller than cl_csf_ml_h"
            )
        if np.any(np.asarray(self.cl_renal_ml_h) > np.asarray(self.cl_plasma_ml_h)):
            raise ParameterError("impossible cl_renal_ml_h: larger than the total cl_plasma_ml_h")

    @property
    def n_patients(self) -> int:
        """Number of patients in the batch (1 for scalar parameters)."""
        return self._n  # type: ignore[attr-defined,no-any-return]

    @classmethod
    def adult(cls, **overrides: Value) -> BaclofenPk:
        """The typical adult (label CSF values, PMID 4028618 plasma values); override any field."""
        values: dict[str, Value] = {
            "v_lumbar_ml": LABEL_CSF_CLEARANCE_ML_H * LABEL_CSF_HALF_LIFE_H / LN2,
            "cl_csf_ml_h": LABEL_CSF_CLEARANCE_ML_H,
            "v_cranial_ml": TOTAL_CSF_ML - LABEL_CSF_CLEARANCE_ML_H * LABEL_CSF_HALF_LIFE_H / LN2,
            "cl_cranial_ml_h": CSF_PRODUCTION_ML_H,
            "lumbar_cranial_ratio": 4.0,
            "csf_plasma_ratio": 0.12,
            "v_central_ml": ADULT_VC_ML,
            "v_peripheral_ml": ADULT_VP_ML,
            "q_plasma_ml_h": ADULT_Q_ML_H,
            "cl_plasma_ml_h": ADULT_CL_ML_H,
            "cl_renal_ml_h": ADULT_CL_RENAL_ML_H,
            "ka_oral_per_h": 1.0 / CHILD_MTT_H,
            "f_oral": 1.0,
        }
        values.update(overrides)
        return cls(**values)

    @classmethod
    def paediatric(cls, weight_kg: Value, **overrides: Value) -> BaclofenPk:
        """A child (He 2014, weight-scaled plasma PK); CSF values as the adult (no paediatric data).

        Vc/Vss is taken from the adult model and Q solved for He's 4.5 h terminal t½ [derived].
        """
        weight = np.asarray(weight_kg, dtype=float)
        if np.any(~np.isfinite(weight) | (weight <= 0)):
            raise ParameterError(f"impossible body weight {weight_kg} kg: it must be positive")
        vss = CHILD_VSS_ML_PER_KG * weight
        vc = ADULT_CENTRAL_FRACTION * vss
        vp = vss - vc
        cl = CHILD_CL_ML_H_PER_KG * weight
        q = (
            _q_for_terminal_half_life(
                ADULT_CENTRAL_FRACTION * CHILD_VSS_ML_PER_KG,
                (1 - ADULT_CENTRAL_FRACTION) * CHILD_VSS_ML_PER_KG,
                CHILD_CL_ML_H_PER_KG,
                CHILD_TERMINAL_HALF_LIFE_H,
            )
            * weight
        )
        renal_fraction = ADULT_CL_RENAL_ML_H / ADULT_CL_ML_H
        values: dict[str, Value] = {
            "v_central_ml": vc,
            "v_peripheral_ml": vp,
            "q_plasma_ml_h": q,
            "cl_plasma_ml_h": cl,
            "cl_renal_ml_h": renal_fraction * cl,
        }
        values.update(overrides)
        child = cls.adult(**values)
        cited = {k: v for k, v in PAEDIATRIC_SOURCES.items() if k not in overrides}
        object.__setattr__(child, "_sources", cited)
        return child

    @classmethod
    def for_patient(cls, weight_kg: float | None = None, age_years: float = 40.0) -> BaclofenPk:
        """Adult parameters from 18 years, weight-scaled paediatric parameters below.

        A child's plasma PK scales with body weight (he2014), so under 18 a weight is required:
        none is assumed (issue 12). An adult's parameters do not depend on weight.
        """
        if not 0 < age_years < 120:
            raise ParameterError(f"impossible age {age_years} years: it must be in (0, 120)")
        if weight_kg is None:
            if age_years < PAEDIATRIC_PLASMA_MAX_AGE_Y:
                raise ParameterError(
                    f"a patient of {age_years:g} years needs a body weight: a child's PK scales "
                    'with weight (he2014) and no weight is assumed; give it, e.g. "30 kg"'
                )
            return cls.adult()
        # 1 to 400 kg as every edge reads it (units.BODY_WEIGHT_KG): 1e-300 kg was read as a
        # child (issue 17)
        low, high = BODY_WEIGHT_KG
        if not low <= weight_kg <= high:
            raise ParameterError(
                f"impossible body weight {weight_kg:g} kg: expected {low:g}-{high:g} kg (beyond a "
                "human body weight: a wrong unit, e.g. 72 mg)"
            )
        if age_years < PAEDIATRIC_PLASMA_MAX_AGE_Y:
            return cls.paediatric(weight_kg)
        return cls.adult()

    def replace(self, **changes: Value) -> BaclofenPk:
        """A copy with some fields changed (validated again); unchanged values keep their source."""
        copy = dataclasses.replace(self, **changes)
        cited = {k: v for k, v in getattr(self, "_sources", {}).items() if k not in changes}
        object.__setattr__(copy, "_sources", cited)
        return copy

    def table(self) -> list[dict[str, object]]:
        """The annotated parameter table: name, value, unit, description, and each value's own
        source (a child's plasma PK cites he2014)."""
        cited: dict[str, str] = getattr(self, "_sources", {})
        return [row | {"source": cited.get(row["name"], row["source"])} for row in describe(self)]
