"""Oral baclofen beside intrathecal for the same patient: spinal exposure and what it costs.

At steady state the compact model is linear, so each average concentration is rate × gain. The
oral daily dose giving the same lumbar CSF concentration as an intrathecal dose (the same spinal
effect at equal sensitivity) follows directly, with its plasma concentration; so does the plasma
ratio of the label's usual regimens, the product page's "100 times less medication in the blood".
Sedation: the equal-effect oral plasma level is compared with that of the label's 80 mg/day maximum
(drowsiness is a label adverse reaction of oral baclofen) — a model-derived flag, not a score.
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin.errors import ParameterError
from itbtwin.patient._compact import COMPACT
from itbtwin.patient._parameters import BaclofenPk
from itbtwin.patient._steady import steady_state_gain

ORAL_MAX_MG_PER_DAY = 80.0
"""Label maximum oral dose, 20 mg four times a day."""
ORAL_USUAL_MG_PER_DAY = 60.0
"""A usual oral dose (label: 40-80 mg/day), the comparator of the 100x claim."""
PRODUCT_PAGE_PLASMA_RATIO = 100.0
"""product-page / label: 100 times less baclofen in the blood with intrathecal delivery."""


@dataclass(frozen=True)
class OralComparison:
    """Intrathecal dose beside oral regimens for one patient; concentrations ng/mL (averages).

    - `oral_equal_csf_mg_per_day`: oral dose with the same lumbar CSF concentration as the IT dose;
    - `plasma_ratio_usual`: plasma on the usual 60 mg/day oral over plasma on the IT dose;
    - `times_label_max`: the equal-effect oral dose over the label's 80 mg/day maximum;
    - `sedation_flag`: the equal-effect oral plasma exceeds that of 80 mg/day (model-derived).
    """

    it_mcg_per_day: float
    it_csf_ng_ml: float
    it_plasma_ng_ml: float
    oral_equal_csf_mg_per_day: float
    oral_equal_csf_plasma_ng_ml: float
    oral_usual_csf_ng_ml: float
    oral_usual_plasma_ng_ml: float
    plasma_ratio_usual: float
    times_label_max: float
    sedation_flag: bool
    published_ratio: float = PRODUCT_PAGE_PLASMA_RATIO


def oral_equivalent(pk: BaclofenPk, it_mcg_per_day: float) -> OralComparison:
    """Compare ``it_mcg_per_day`` intrathecal (mcg/day) with oral baclofen for one patient."""
    if pk.n_patients != 1:
        raise ParameterError("the oral comparison is for one patient at a time")
    if not it_mcg_per_day > 0:
        raise ParameterError("the intrathecal daily dose must be positive (mcg/day)")
    gain = {
        (route, site): float(steady_state_gain(COMPACT, pk, route, site)[0]) * 1000 / 24
        for route in ("intrathecal", "oral")
        for site in ("csf_lumbar", "plasma")
    }  # ng/mL per mcg/day
    it_csf = it_mcg_per_day * gain["intrathecal", "csf_lumbar"]
    it_plasma = it_mcg_per_day * gain["intrathecal", "plasma"]
    oral_mcg = it_csf / gain["oral", "csf_lumbar"]
    usual_mcg = ORAL_USUAL_MG_PER_DAY * 1000
    oral_plasma = oral_mcg * gain["oral", "plasma"]
    return OralComparison(
        it_mcg_per_day=it_mcg_per_day,
        it_csf_ng_ml=it_csf,
        it_plasma_ng_ml=it_plasma,
        oral_equal_csf_mg_per_day=oral_mcg / 1000,
        oral_equal_csf_plasma_ng_ml=oral_plasma,
        oral_usual_csf_ng_ml=usual_mcg * gain["oral", "csf_lumbar"],
        oral_usual_plasma_ng_ml=usual_mcg * gain["oral", "plasma"],
        plasma_ratio_usual=usual_mcg * gain["oral", "plasma"] / it_plasma,
        times_label_max=oral_mcg / 1000 / ORAL_MAX_MG_PER_DAY,
        sedation_flag=bool(oral_plasma > ORAL_MAX_MG_PER_DAY * 1000 * gain["oral", "plasma"]),
    )
