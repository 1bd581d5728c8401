"""Inter-individual variability and covariate effects of virtual ITB patients, with sources.

Log-normal IIV: a parameter is typical × exp(η), η ~ N(0, ω²). The published spreads are ranges of
small studies; reading a range as the 5th-95th percentiles gives ω = ln(high/low) / (2 · 1.645).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.6448536269514722
"""Standard normal 95th percentile: a range read as 5th-95th percentiles spans 2 · Z95 · ω."""

OMEGA_CL_CSF = math.log(80 / 13) / (2 * Z95)
"""IIV of CSF clearance: 13-80 mL/h in bf00265844 (n=4), read as 5th-95th percentiles."""

OMEGA_HALF_LIFE = math.log(5 / 0.9) / (2 * Z95)
"""IIV of the lumbar CSF half-life: 0.9-5 h in bf00265844, read as 5th-95th percentiles."""

RHO_CL_V = 1 - OMEGA_HALF_LIFE**2 / (2 * OMEGA_CL_CSF**2)
"""Correlation of CSF clearance and lumbar volume [derived]: both scale with the CSF space and
its turnover (CSF clearance ≈ CSF turnover, label:12.3), and with equal ω this ρ makes
t½ = ln 2 · V / CL spread as bf00265844 reports."""

RISE_FACTOR = 270 / 83.2
"""Typical long-term rise of the dose needed, final / initial: 83.2 → 270 mcg/day over 36 months
(spanish2000); the SCI review's 57-187 → 219-536 mcg/day is 2.9-3.8x. Read as tolerance: EC50
rises by this factor over the first 18 months (heetla2009)."""

OMEGA_RISE = 0.4
"""IIV of the rise above 1, F = 1 + (RISE_FACTOR − 1) · exp(η) (assumption: the sources give means
only; the form keeps F ≥ 1, a patient never becomes more sensitive with time on ITB)."""

MS_SENSITIVITY = 1 / 0.7
"""Sensitivity of multiple sclerosis relative to other spinal origins (assumption: ridley2006
reports MS patients need lower doses but gives no size)."""


@dataclass(frozen=True)
class Group:
    """One population group: its diagnosis mix, ages and calibrated covariate effects.

    - `diagnoses`: {diagnosis: probability} (assumption; mixes of the label's trial groups).
    - `ages_y`: ages drawn uniformly in [low, high) (label: children ≥ 4 y; adults assumption).
    - `ec50_factor`: EC50 relative to the spinal group (calibrated to the label's dose band).
    - `csf_factor`: CSF clearance and volume relative to adults (calibrated for children).
    - `omega_ec50`: IIV of EC50 (calibrated so the doses spread as the label's band).
    """

    name: str
    diagnoses: dict[str, float]
    ages_y: tuple[float, float]
    ec50_factor: float
    csf_factor: float
    omega_ec50: float
    calibration: str


GROUPS: dict[str, Group] = {
    "spinal": Group(
        "spinal",
        {"sci": 0.8, "ms": 0.2},
        (18.0, 75.0),
        1.0,
        1.0,
        0.1,
        "typical EC50 from the effect timing × RISE_FACTOR puts the median in 300-800 mcg/day",
    ),
    "cerebral": Group(
        "cerebral",
        {"cp": 0.5, "brain_injury": 0.3, "stroke": 0.2},
        (18.0, 75.0),
        0.56,
        1.0,
        0.65,
        "EC50 factor puts the median at the geometric centre of 90-703 mcg/day (251); ω its width",
    ),
    "paediatric": Group(
        "paediatric",
        {"cp": 0.9, "brain_injury": 0.1},
        (4.0, 12.0),
        0.56,
        0.71,
        0.65,
        "cerebral EC50; CSF clearance and volume × 0.71 give the label's mean of 274 mcg/day",
    ),
}
"""The groups `itbtwin population --origin` offers (label's maintenance dose groups)."""
