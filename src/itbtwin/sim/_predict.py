"""Concentrations and response of one patient or a batch: the model choice, the solve and the
effect, in one place for every face (pk command, titration, safety check, screening)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from itbtwin.errors import RegimenError
from itbtwin.patient import (
    COMPACT,
    RISE_FACTOR,
    BaclofenPk,
    Baseline,
    DriftModel,
    EffectParams,
    Response,
    SpatialModel,
    SpatialPk,
    parse_level,
    respond,
    tolerance_factor,
)
from itbtwin.sim._events import Regimen
from itbtwin.sim._result import SimulationResult
from itbtwin.sim._schedule import InputSchedule
from itbtwin.sim._solve import solve


def typical_effect(months_on_itb: float = 0.0) -> EffectParams:
    """The typical patient's effect parameters after ``months_on_itb`` of therapy (tolerance)."""
    if months_on_itb < 0:
        raise RegimenError("months on ITB cannot be negative")
    tolerance = tolerance_factor(
        np.array([months_on_itb / 12]), np.array([RISE_FACTOR]), DriftModel()
    )
    return EffectParams.typical(tolerance=float(tolerance[0, 0]))


def choose_model(
    systemic: BaclofenPk,
    name: str = "compact",
    tip: str | None = None,
    levels: tuple[str, ...] = (),
) -> tuple[Any, Any, str]:
    """The model, its parameters and the output the effect site links to.

    ``compact`` links the effect to lumbar CSF; ``spatial`` to the first of ``levels`` (default L3)
    with the catheter tip at ``tip`` (default T10).
    """
    if name == "compact":
        if levels or tip is not None:
            raise RegimenError("a catheter tip and spinal levels need the spatial model")
        return COMPACT, systemic, "csf_lumbar"
    if name != "spatial":
        raise RegimenError(f"unknown model {name!r}: use compact or spatial")
    levels = levels or ("L3",)
    model = SpatialModel(tip="T10" if tip is None else tip, levels=tuple(levels))
    return model, SpatialPk(systemic=systemic), f"csf_{parse_level(levels[0])}"


@dataclass(frozen=True)
class Prediction:
    """A simulation and, when an effect model was given, the response it implies."""

    result: SimulationResult
    site: str
    effect: EffectParams | None
    response: Response | None


def predict(
    systemic: BaclofenPk,
    inputs: Regimen | InputSchedule,
    times_h: np.ndarray,
    *,
    model: str = "compact",
    tip: str | None = None,
    levels: tuple[str, ...] = (),
    effect: EffectParams | None = None,
    baseline: Baseline | None = None,
) -> Prediction:
    """Simulate ``inputs`` exactly and, with ``effect``, the MAS and Penn scores over time.

    **Arguments:** `systemic` the patient's PK; `inputs` dose events or a delivery schedule;
    `times_h` output times (h). **Other:** the model (`compact`/`spatial`, tip, levels), the effect
    parameters and the patient's baseline scores: without a baseline the response has no scores
    (a predicted score is measured from the patient's own baseline, never an assumed one).
    """
    structure, params, site = choose_model(systemic, model, tip, levels)
    result = solve(
        structure,
        params,
        inputs,
        times_h,
        auc=True,
        effect_sites={site: effect} if effect is not None else None,
    )
    response = None
    if effect is not None:
        ce = result.effect_site_ng_ml(site)
        response = respond(result.times_h, ce, effect, baseline)
    return Prediction(result, site, effect, response)
