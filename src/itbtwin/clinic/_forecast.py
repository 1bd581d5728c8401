"""Dose forecast: one patient's EC50 × tolerance from their own MAS and Penn spasm scores, and the
dose to a target.

Model-informed precision dosing. The individual parameter is θ = ln(EC50 · T) (ng/mL), the
concentration that halves tone now; its prior is the population model's (`generate_population`:
diagnosis mix, EC50 IIV and the tolerance rise of a patient in maintenance; heetla2009,
spanish2000), summarised as a normal on the log scale.
The effect-site concentration at each observation comes from the exact PK solve of the dosing
history (continuous infusion, the patient's PK, the effect-site link as calibrated), so θ is
all that is left.
The observed scores enter through `_forecast_likelihood` (rounded latent scores with a rater
error). The posterior mode (MAP) and its Laplace curvature give θ̂ ± sd; the dose
reaching the target MAS (the latent at the target code) scales with exp(θ), so its 90% interval
is the dose at θ̂ ± 1.645·sd. PK variability is not estimated: θ absorbs it at steady state.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import ndtri

from itbtwin.clinic._forecast_likelihood import log_posterior
from itbtwin.clinic._indication import age_reasons
from itbtwin.clinic._reasons import Reason, Verdict, worst
from itbtwin.clinic._titration import check_step
from itbtwin.drug import PAEDIATRIC_AGE_Y
from itbtwin.errors import ParameterError, RegimenError
from itbtwin.patient import (
    GROUPS,
    BaclofenPk,
    EffectParams,
    generate_population,
    maintenance_dose,
    mas_code,
)
from itbtwin.pump import programmable_dose
from itbtwin.sim import InputSchedule, choose_model, predict

PRIOR_DRAWS = 4000
"""Virtual patients summarised into the prior (Monte Carlo error of its mean ≈ 0.005)."""
Z95 = float(ndtri(0.95))
"""Standard normal 95th percentile: θ̂ ± Z95·sd is the 90% interval."""


@dataclass(frozen=True)
class DoseHistory:
    """Doses and observations: daily dose (mcg/day) from each time (h); MAS grades at times (h),
    and optionally Penn spasm frequencies (0-4) at their own times (h)."""

    dose_times_h: tuple[float, ...]
    daily_mcg: tuple[float, ...]
    obs_times_h: tuple[float, ...]
    mas: tuple[str, ...]
    baseline_mas: str
    """The MAS grade before ITB that the fitted effect is measured from: required, never
    assumed (the CLI's history file refuses a missing one too)."""
    penn_times_h: tuple[float, ...] = ()
    penn_frequency: tuple[int, ...] = ()
    baseline_penn_frequency: int | None = None
    """The Penn spasm frequency before ITB (0-4), required with Penn observations: never assumed."""

    def __post_init__(self) -> None:
        if not self.dose_times_h or len(self.dose_times_h) != len(self.daily_mcg):
            raise RegimenError("a dose history needs one daily dose per start time")
        if list(self.dose_times_h) != sorted(self.dose_times_h) or self.dose_times_h[0] != 0:
            raise RegimenError("dose times start at 0 h and go forward")
        if any(d < 0 for d in self.daily_mcg) or self.daily_mcg[-1] <= 0:
            raise RegimenError("daily doses are >= 0 mcg/day and the current one positive")
        if not self.mas or len(self.mas) != len(self.obs_times_h):
            raise RegimenError("give at least one MAS observation, each with its time")
        if any(t <= 0 for t in self.obs_times_h):
            raise RegimenError("observations come after the first dose (time > 0 h)")
        for grade in (*self.mas, self.baseline_mas):
            mas_code(grade)
        if len(self.penn_times_h) != len(self.penn_frequency):
            raise RegimenError("give each Penn spasm frequency with its time")
        if any(t <= 0 for t in self.penn_times_h):
            raise RegimenError("observations come after the first dose (time > 0 h)")
        if self.penn_frequency and self.baseline_penn_frequency is None:
            raise RegimenError(
                "Penn spasm frequencies need baseline_penn_frequency: the frequency before ITB"
            )
        baseline = () if self.baseline_penn_frequency is None else (self.baseline_penn_frequency,)
        for score in (*self.penn_frequency, *baseline):
            if score not in range(5):
                raise RegimenError(f"Penn spasm frequency {score} is not a whole number 0-4")

    def effect_site(self, pk: BaclofenPk, times_h: tuple[float, ...] | None = None) -> np.ndarray:
        """Effect-site concentration (ng/mL) at the MAS observations (or at ``times_h``)."""
        model, _, _ = choose_model(pk)
        schedule = InputSchedule.from_routes(
            model,
            np.asarray(self.dose_times_h, float),
            rates={"intrathecal": np.asarray(self.daily_mcg, float) / 24},
        )
        times = np.asarray(self.obs_times_h if times_h is None else times_h, float)
        if times.size == 0:
            return times
        order = np.argsort(times)
        prediction = predict(pk, schedule, times[order], effect=EffectParams.typical())
        ce = np.empty_like(times)
        ce[order] = prediction.response.ce_ng_ml[0]  # type: ignore[union-attr]
        return ce


@lru_cache(maxsize=8)
def prior(group: str) -> tuple[float, float]:
    """Population prior of θ = ln(EC50 · T) in maintenance: (mean, sd), ln(ng/mL).

    Summarised from `PRIOR_DRAWS` virtual patients of the group (`generate_population`, seed 0):
    the diagnosis mix, EC50 IIV and tolerance rise exactly as the population model draws them.
    """
    if group not in GROUPS:
        raise ParameterError(f"unknown group {group!r}; use one of {', '.join(GROUPS)}")
    population = generate_population(PRIOR_DRAWS, group, seed=0)
    theta = np.log(np.asarray(population.effect.ec50_ng_ml) * population.rise_factor)
    return float(theta.mean()), float(theta.std())


@dataclass(frozen=True)
class Estimate:
    """Posterior of θ = ln(EC50·T): mode and Laplace sd, ln(ng/mL); the prior it started from."""

    theta: float
    sd: float
    prior_mean: float
    prior_sd: float

    def interval(self, level_z: float = Z95) -> tuple[float, float]:
        """EC50·T (ng/mL) at θ̂ ∓ z·sd (90% by default)."""
        return float(np.exp(self.theta - level_z * self.sd)), float(
            np.exp(self.theta + level_z * self.sd)
        )


def estimate(history: DoseHistory, pk: BaclofenPk, group: str) -> Estimate:
    """Bayesian MAP of θ from the MAS (and Penn, when given) observations with the population
    prior, and its Laplace sd (ln ng/mL)."""
    pri = prior(group)
    base = mas_code(history.baseline_mas)
    if base == 0:
        raise RegimenError("a baseline MAS of 0 leaves nothing to reduce")
    mas = (
        history.effect_site(pk),
        np.array([mas_code(g) for g in history.mas]),
        base,
    )
    penn = (
        history.effect_site(pk, history.penn_times_h),
        np.array(history.penn_frequency, dtype=int),
        history.baseline_penn_frequency or 0,  # read only with Penn observations, which need it
    )

    def cost(theta: float) -> float:
        return -log_posterior(theta, mas, penn, pri)

    span = (pri[0] - 8 * pri[1], pri[0] + 8 * pri[1])
    found = minimize_scalar(cost, bounds=span, method="bounded", options={"xatol": 1e-7})
    theta, h = float(found.x), 1e-3
    curvature = (cost(theta + h) - 2 * cost(theta) + cost(theta - h)) / h**2
    return Estimate(theta, float(1 / np.sqrt(max(curvature, 1e-9))), *pri)


def dose_for_target(theta: float, pk: BaclofenPk, target_mas: str, baseline_mas: str) -> float:
    """Continuous daily dose (mcg/day) whose steady state puts the latent MAS at the target."""
    base, target = mas_code(baseline_mas), mas_code(target_mas)
    if not 0 < target < base:
        raise RegimenError(
            f"the target MAS {target_mas} must be above 0 and below the baseline {baseline_mas}"
        )
    effect = EffectParams.typical(ec50_ng_ml=float(np.exp(theta)), tolerance=1.0)
    return float(maintenance_dose(pk, effect, 1 - target / base)[0])


@dataclass(frozen=True)
class DoseForecast:
    """The dose (mcg/day) reaching the target MAS with its 90% interval, and the next step."""

    estimate: Estimate
    target_mas: str
    dose_mcg: float
    low_mcg: float
    high_mcg: float
    current_mcg: float
    next_step_mcg: float
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (EC50·T in ng/mL, doses in mcg/day)."""
        low, high = self.estimate.interval()
        return {
            "ec50_tolerance_ng_ml": float(np.exp(self.estimate.theta)),
            "ec50_tolerance_90_ng_ml": [low, high],
            "log_sd": self.estimate.sd,
            "prior_ec50_tolerance_ng_ml": float(np.exp(self.estimate.prior_mean)),
            "prior_log_sd": self.estimate.prior_sd,
            "target_mas": self.target_mas,
            "dose_mcg_per_day": self.dose_mcg,
            "dose_90_mcg_per_day": [self.low_mcg, self.high_mcg],
            "current_mcg_per_day": self.current_mcg,
            "next_step_mcg_per_day": self.next_step_mcg,
            "verdict": worst(list(self.reasons)).value,
            "reasons": [r.as_dict() for r in self.reasons],
        }


def forecast_dose(
    history: DoseHistory,
    pk: BaclofenPk,
    *,
    origin: str,
    age_years: float,
    target_mas: str,
    phase: str = "titration",
) -> DoseForecast:
    """Estimate θ from the history and forecast the dose to `target_mas`, within titration limits.

    **Arguments:** `history` (h, mcg/day, MAS); `pk` the patient's PK; `origin` spinal or
    cerebral and `age_years` (children < 12 use the paediatric prior and step limits);
    `target_mas` a grade below the baseline; `phase` titration or maintenance (step limits;
    titration by default, as `check_step`, `check-program` and `program set` take a change).

    **Returns:** the dose and its 90% interval (mcg/day), and the next step from the current
    dose: the forecast itself when `check_step` allows it, else the largest allowed step.
    """
    group = "paediatric" if age_years < PAEDIATRIC_AGE_Y else origin
    est = estimate(history, pk, group)
    dose = dose_for_target(est.theta, pk, target_mas, history.baseline_mas)
    low, high = (
        dose_for_target(t, pk, target_mas, history.baseline_mas)
        for t in (est.theta - Z95 * est.sd, est.theta + Z95 * est.sd)
    )
    current = history.daily_mcg[-1]
    reasons = [
        Reason(
            "forecast_dose",
            Verdict.PASS,
            "heetla2016+heetla2009",
            # the dose to the pump's 0.01 mcg/day, as its range flag and the table give it
            f"MAS {target_mas} is forecast at {round(dose, 2):g} mcg/day "
            f"(90% {low:.0f}-{high:.0f}) "
            f"from {len(history.mas)} MAS and {len(history.penn_frequency)} Penn observations",
        )
    ]
    step = check_step(current, dose, origin=origin, age_years=age_years, phase=phase)
    next_step = programmable_dose(dose)  # what the clinician programs (rounded down)
    if step.verdict == Verdict.BLOCK:
        next_step = programmable_dose(current * (1 + step.allowed[1] / 100))
        reasons.append(
            Reason(
                "forecast_needs_steps",
                Verdict.WARN,
                "saulino2016-dosing",
                f"the forecast is +{step.percent:.0f}%; step to {round(next_step, 2):g} mcg/day "
                "first "
                f"(at most +{step.allowed[1]:g}% per 24 h)",
            )
        )
    reasons += [r for r in step.reasons if r.verdict != Verdict.BLOCK]
    reasons += age_reasons(age_years)
    return DoseForecast(est, target_mas, dose, low, high, current, next_step, tuple(reasons))
