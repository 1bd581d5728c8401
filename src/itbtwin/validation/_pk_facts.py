"""Pharmacokinetic facts of the compact model (reference/pharmacology.md §2, §4, §9).

The label §12.3 CSF values are "(from memory, verify)" in the reference; their rows say so.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.sim import Regimen, bolus, infusion, output_grid, repeated, solve, terminal_half_life_h
from itbtwin.validation._registry import Fact, register

_MEMORY = "label §12.3 value is from memory in the reference (verify)"
_STEADY_H = 96.0  # 4 days: > 25 plasma half-lives, steady state to better than 1e-6


def _lumbar_bolus_half_life_h(dose_mcg: float) -> float:
    """Half-life from a log-linear fit of lumbar CSF over the first 4 h after a bolus (label)."""
    times = np.arange(0.25, 4.0001, 0.25)
    conc = solve(COMPACT, BaclofenPk.adult(), Regimen([bolus(dose_mcg)]), times)
    slope = np.polyfit(times, np.log(conc.concentration_ng_ml("csf_lumbar")[0]), 1)[0]
    return float(-math.log(2) / slope)


def _lumbar_bolus_clearance_ml_h(dose_mcg: float) -> float:
    """CL = dose / AUC(0-∞) of lumbar CSF after a bolus; 48 h covers > 30 half-lives."""
    result = solve(COMPACT, BaclofenPk.adult(), Regimen([bolus(dose_mcg)]), [0, 48.0], auc=True)
    auc_mcg_h_ml = result.auc_ng_h_ml("csf_lumbar")[0, -1] / 1000
    return float(dose_mcg / auc_mcg_h_ml)


@cache
def _steady_state_ng_ml(daily_mcg: float, route: str, weight_kg: float, age_y: float) -> dict:
    """Average concentrations over the last day of 4 days of dosing (exact AUC / 24 h)."""
    params = BaclofenPk.for_patient(weight_kg=weight_kg, age_years=age_y)
    if route == "intrathecal":
        regimen = Regimen([infusion(daily_mcg, duration_h=_STEADY_H)])
    else:  # oral, three times a day
        regimen = Regimen([repeated(daily_mcg / 3, every_h=8, times=12)])
    result = solve(COMPACT, params, regimen, [_STEADY_H - 24, _STEADY_H], auc=True)
    return {o.name: float(np.diff(result.auc_ng_h_ml(o.name)[0])[0] / 24) for o in COMPACT.outputs}


def _oral_tmax_h() -> float:
    times = output_grid(12, 0.01)
    result = solve(COMPACT, BaclofenPk.adult(), Regimen([bolus(20_000, route="oral")]), times)
    return float(times[np.argmax(result.concentration_ng_ml("plasma")[0])])


def _adult_steady(daily_mcg: float, route: str = "intrathecal") -> dict:
    return _steady_state_ng_ml(daily_mcg, route, 70.0, 40.0)


register(
    [
        Fact(
            "csf_half_life_bolus_50",
            "lumbar CSF half-life after a 50 mcg lumbar bolus (first 4 h)",
            "label:12.3",
            "1.51 h",
            1.2,
            1.8,
            "h",
            lambda: _lumbar_bolus_half_life_h(50),
            _MEMORY + "; band from pharmacology.md §9.1",
        ),
        Fact(
            "csf_half_life_bolus_100",
            "lumbar CSF half-life after a 100 mcg lumbar bolus (first 4 h)",
            "label:12.3",
            "1.51 h",
            1.2,
            1.8,
            "h",
            lambda: _lumbar_bolus_half_life_h(100),
            _MEMORY,
        ),
        Fact(
            "csf_clearance_bolus_50",
            "lumbar CSF clearance after a 50 mcg bolus (dose / AUC)",
            "label:12.3",
            "≈30 mL/h",
            27,
            33,
            "mL/h",
            lambda: _lumbar_bolus_clearance_ml_h(50),
            _MEMORY + "; ±10%",
        ),
        Fact(
            "csf_clearance_bolus_100",
            "lumbar CSF clearance after a 100 mcg bolus (dose / AUC)",
            "label:12.3",
            "≈30 mL/h",
            27,
            33,
            "mL/h",
            lambda: _lumbar_bolus_clearance_ml_h(100),
            _MEMORY + "; ±10%",
        ),
        Fact(
            "csf_clearance_infusion",
            "CSF clearance during continuous infusion: rate / steady-state lumbar concentration",
            "label:12.3",
            "≈30 mL/h (clearance approximates CSF turnover)",
            27,
            33,
            "mL/h",
            lambda: 500 / 24 / (_adult_steady(500)["csf_lumbar"] / 1000),
            _MEMORY + "; 500 mcg/day; ±10%",
        ),
        Fact(
            "lumbar_cisternal_gradient",
            "lumbar : cisternal concentration ratio during lumbar infusion",
            "label:12.3",
            "≈4:1",
            3.0,
            5.0,
            "ratio",
            lambda: _adult_steady(500)["csf_lumbar"] / _adult_steady(500)["csf_cisternal"],
            _MEMORY + "; 500 mcg/day",
        ),
        Fact(
            "plasma_it_adult_300",
            "adult plasma at 300 mcg/day intrathecal (low end of spinal maintenance)",
            "label:12.3",
            "0–5 ng/mL",
            0,
            5,
            "ng/mL",
            lambda: _adult_steady(300)["plasma"],
            _MEMORY,
        ),
        Fact(
            "plasma_it_adult_800",
            "adult plasma at 800 mcg/day intrathecal (high end of spinal maintenance)",
            "label:12.3",
            "0–5 ng/mL",
            0,
            5,
            "ng/mL",
            lambda: _adult_steady(800)["plasma"],
            _MEMORY,
        ),
        Fact(
            "plasma_it_child_400",
            "plasma of an 8-year-old (25 kg) on 400 mcg/day, the top of the 77–400 mcg/day series",
            "label:12.3+he2014",
            "near or below 10 ng/mL",
            0,
            10,
            "ng/mL",
            lambda: _steady_state_ng_ml(400, "intrathecal", 25.0, 8.0)["plasma"],
            _MEMORY + "; 25 kg for an 8-year-old is an assumption",
        ),
        Fact(
            "plasma_oral_vs_it",
            "plasma exposure, oral 60 mg/day (20 mg TID) over intrathecal 500 mcg/day",
            "product-page+label",
            "100 times less medication in the blood with ITB",
            50,
            200,
            "ratio",
            lambda: _adult_steady(60_000, "oral")["plasma"] / _adult_steady(500)["plasma"],
            "typical regimens: oral 40–80 mg/day (label), intrathecal 300–800 mcg/day",
        ),
        Fact(
            "oral_csf_plasma_ratio",
            "lumbar CSF : plasma at oral steady state (60 mg/day)",
            "mims",
            "≈12%",
            0.10,
            0.14,
            "ratio",
            lambda: (
                _adult_steady(60_000, "oral")["csf_lumbar"]
                / _adult_steady(60_000, "oral")["plasma"]
            ),
        ),
        Fact(
            "oral_half_life",
            "adult plasma terminal half-life",
            "mims",
            "3–4 h",
            3.0,
            4.0,
            "h",
            lambda: float(terminal_half_life_h(COMPACT, BaclofenPk.adult(), COMPACT.outputs[2])[0]),
        ),
        Fact(
            "oral_tmax",
            "time of peak plasma after a 20 mg oral dose",
            "mims",
            "0.5–3 h",
            0.5,
            3.0,
            "h",
            _oral_tmax_h,
        ),
    ]
)
