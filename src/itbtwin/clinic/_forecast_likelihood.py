"""The likelihood of a patient's observed scores given θ = ln(EC50 · T), for the dose forecast.

Both scales are reported as the rounded latent score (`patient._scores`): MAS as baseline code
× (1 − tone reduction), Penn spasm frequency as baseline × (1 − spasm reduction), spasms needing
`spasm_ec50_ratio` × the concentration tone needs (calibrated in `patient._effect`). A rater error
σ = `RATER_SD` codes [assumption] on the latent makes each observation interval-censored: the
likelihood of code c is the normal mass of the latent in (c − ½, c + ½], open at the scale's ends.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from itbtwin.patient import MAS_GRADES, EffectParams

RATER_SD = 0.35
"""SD of the rater's error on a latent score, in ordinal codes [assumption]."""
PENN_TOP = 4
"""Highest Penn spasm frequency (more than 10 spasms an hour)."""


def _reduction(theta: float, ce_ng_ml: np.ndarray, ratio: float = 1.0) -> np.ndarray:
    """Fraction removed at effect-site concentrations for a need of exp(θ) × ratio (Emax 1)."""
    typical = EffectParams.typical()
    x = (ce_ng_ml / (np.exp(theta) * ratio)) ** typical.hill
    return x / (1 + x)


def latent_mas(theta: float, ce_ng_ml: np.ndarray, baseline_code: int) -> np.ndarray:
    """Latent MAS code at effect-site concentrations (ng/mL) for θ."""
    return baseline_code * (1 - _reduction(theta, ce_ng_ml))


def latent_penn(theta: float, ce_ng_ml: np.ndarray, baseline: int) -> np.ndarray:
    """Latent Penn spasm frequency at effect-site concentrations (ng/mL) for θ."""
    ratio = float(EffectParams.typical().spasm_ec50_ratio)
    return baseline * (1 - _reduction(theta, ce_ng_ml, ratio))


def _log_mass(latent: np.ndarray, codes: np.ndarray, top: int) -> float:
    upper = np.where(codes >= top, np.inf, codes + 0.5)
    lower = np.where(codes <= 0, -np.inf, codes - 0.5)
    mass = ndtr((upper - latent) / RATER_SD) - ndtr((lower - latent) / RATER_SD)
    return float(np.sum(np.log(np.maximum(mass, 1e-300))))


def log_posterior(
    theta: float,
    mas: tuple[np.ndarray, np.ndarray, int],
    penn: tuple[np.ndarray, np.ndarray, int],
    prior: tuple[float, float],
) -> float:
    """ln p(θ | scores) up to a constant.

    `mas` and `penn` are (effect-site ng/mL, observed codes, baseline code) at their observation
    times; `prior` the normal (mean, sd) of θ.
    """
    total = _log_mass(latent_mas(theta, mas[0], mas[2]), mas[1], len(MAS_GRADES) - 1)
    if penn[1].size:
        total += _log_mass(latent_penn(theta, penn[0], penn[2]), penn[1], PENN_TOP)
    return total - 0.5 * ((theta - prior[0]) / prior[1]) ** 2
