"""Virtual populations: seeded covariates and IIV, and each patient's maintenance dose.

The maintenance dose of a virtual patient is the continuous intrathecal dose whose steady-state
lumbar CSF concentration (the compact model, effect site at equilibrium) removes
`MAINTENANCE_TARGET_REDUCTION` of the baseline tone (creedon1997) once tolerance has settled
(EC50 × rise factor, heetla2009 / spanish2000). Everything is vectorised with patients on axis 0;
the same seed gives the same population bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from itbtwin.drug import DOSE_RANGES, DoseRange
from itbtwin.errors import ParameterError
from itbtwin.patient._compact import COMPACT
from itbtwin.patient._covariates import Covariates
from itbtwin.patient._effect import MAINTENANCE_TARGET_REDUCTION, EffectParams
from itbtwin.patient._effect import concentration_for_reduction as _needed
from itbtwin.patient._levels import LEVELS
from itbtwin.patient._parameters import BaclofenPk
from itbtwin.patient._scores import Baseline
from itbtwin.patient._steady import steady_state_gain
from itbtwin.patient._variability import (
    GROUPS,
    MS_SENSITIVITY,
    OMEGA_CL_CSF,
    OMEGA_RISE,
    RHO_CL_V,
    RISE_FACTOR,
)

CHUNK = 5000
"""Patients per chunk of the dose computation (memory stays small; progress is reported)."""

# Assumptions of the generator (configurable defaults; not in the reference):
_ADULT_WEIGHT_KG, _OMEGA_WEIGHT = 75.0, 0.2
_INJURY_LEVELS = LEVELS[LEVELS.index("C4") : LEVELS.index("L1") + 1]
# Each virtual patient's baseline (pre-ITB) scores are drawn from these distributions, so no
# population result rests on one assumed baseline. Their means are sourced, their shapes assumed:
_MAS = {"2": 0.25, "3": 0.5, "4": 0.25}  # mean code ≈ 4, as creedon1997's Ashworth 3.9
_PENN_FREQUENCY = {2: 0.25, 3: 0.35, 4: 0.4}  # mean 3.15, as creedon1997's Penn 3.2
_PENN_SEVERITY = {2: 0.5, 3: 0.5}  # mean 2.5 [assumption: no pre-ITB severity in the reference;
# mccormick2016's patients on oral baclofen rated 2.16 (SD 0.83), pre-ITB spasms are not milder]


@dataclass(frozen=True)
class VirtualPopulation:
    """A batch of virtual patients: covariates, PK, drug-naive PD, rise factor, maintenance dose."""

    group: str
    covariates: Covariates
    pk: BaclofenPk
    effect: EffectParams
    rise_factor: np.ndarray
    maintenance_dose_mcg_per_day: np.ndarray

    @property
    def n_patients(self) -> int:
        """Number of virtual patients."""
        return int(self.rise_factor.shape[0])


def _generator(seed: int | np.random.Generator) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError(f"a population seed is a whole number >= 0, not {seed!r}")
    return np.random.default_rng(int(seed))


def _pick(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    keys = list(table)
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), size=n, p=list(table.values()))]


def _covariates(rng: np.random.Generator, group: str, n: int) -> Covariates:
    spec = GROUPS[group]
    diagnosis = _pick(rng, spec.diagnoses, n)
    age = rng.uniform(*spec.ages_y, size=n)
    typical_weight = np.where(age < 12, 2 * age + 8, _ADULT_WEIGHT_KG)  # APLS formula (assumption)
    weight = typical_weight * np.exp(_OMEGA_WEIGHT * rng.standard_normal(n))
    levels = np.asarray(_INJURY_LEVELS, dtype=object)[rng.integers(len(_INJURY_LEVELS), size=n)]
    baseline = Baseline(
        _pick(rng, _MAS, n),
        _pick(rng, _PENN_FREQUENCY, n).astype(int),
        _pick(rng, _PENN_SEVERITY, n).astype(int),
    )
    return Covariates(
        diagnosis,
        age,
        weight,
        np.where(diagnosis == "sci", levels, None),
        baseline,
        np.where(diagnosis == "ms", MS_SENSITIVITY, 1.0),
    )


def maintenance_dose(
    pk: BaclofenPk, effect: EffectParams, target: float = MAINTENANCE_TARGET_REDUCTION
) -> np.ndarray:
    """Continuous intrathecal dose (mcg/day) whose steady state removes ``target`` of the tone.

    The effect site equals lumbar CSF at steady state; `effect.tolerance` sets the EC50 in use.
    """
    gain = steady_state_gain(COMPACT, pk, "intrathecal", "csf_lumbar")  # mcg/mL per mcg/h
    return 24.0 * _needed(target, effect) / 1000.0 / gain


MAX_POPULATION = 10_000_000
"""The most patients drawn at once: each holds about 40 numbers while drawn (covariates, random
effects, PK parameters, dose; `_BYTES_PER_PATIENT`), so 10 million is about 3 GB."""
_BYTES_PER_PATIENT = 40 * 8


def generate_population(
    n: int,
    group: str,
    seed: int | np.random.Generator,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> VirtualPopulation:
    """Draw ``n`` virtual patients of ``group`` ("spinal", "cerebral" or "paediatric").

    **Arguments:** `n` patients (≥ 1); `group` a key of `GROUPS`; `seed` an int or a
    `numpy.random.Generator`. `on_progress(done)` is called after each chunk of doses.

    **Returns:** a `VirtualPopulation` whose `maintenance_dose_mcg_per_day` is (n,), mcg/day.
    """
    if group not in GROUPS:
        raise ParameterError(f"unknown population group {group!r}; use one of {', '.join(GROUPS)}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ParameterError(f"a population needs a whole number of patients >= 1, not {n!r}")
    if n > MAX_POPULATION:
        raise ParameterError(
            f"{n:,} patients would need about {n * _BYTES_PER_PATIENT / 1e9:,.0f} GB of memory; "
            f"a population is at most {MAX_POPULATION:,} (docs/limits.md): for more, run a "
            "virtual trial (itbtwin trial run), which streams patients in chunks"
        )
    rng, spec = _generator(seed), GROUPS[group]
    covariates = _covariates(rng, group, n)
    eta = rng.standard_normal((n, 4))
    eta_cl = OMEGA_CL_CSF * eta[:, 0]
    eta_v = OMEGA_CL_CSF * (RHO_CL_V * eta[:, 0] + np.sqrt(1 - RHO_CL_V**2) * eta[:, 1])
    typical = BaclofenPk.adult()
    size_cl, size_v = spec.csf_factor * np.exp(eta_cl), spec.csf_factor * np.exp(eta_v)
    csf = {
        "cl_csf_ml_h": typical.cl_csf_ml_h * size_cl,
        "cl_cranial_ml_h": typical.cl_cranial_ml_h * size_cl,  # same CSF turnover
        "v_lumbar_ml": typical.v_lumbar_ml * size_v,
        "v_cranial_ml": typical.v_cranial_ml * size_v,  # same CSF space
    }
    weight = np.asarray(covariates.weight_kg)
    pk = BaclofenPk.paediatric(weight, **csf) if group == "paediatric" else BaclofenPk.adult(**csf)
    naive = EffectParams.typical()
    effect = naive.replace(
        ec50_ng_ml=naive.ec50_ng_ml
        * spec.ec50_factor
        * np.exp(spec.omega_ec50 * eta[:, 2])
        / np.asarray(covariates.sensitivity),
        tolerance=np.ones(n),
    )
    rise = 1 + (RISE_FACTOR - 1) * np.exp(OMEGA_RISE * eta[:, 3])
    doses = np.empty(n)
    for start in range(0, n, CHUNK):
        part = slice(start, min(n, start + CHUNK))
        tolerant = _rows(effect, part).replace(tolerance=rise[part])
        doses[part] = maintenance_dose(_rows(pk, part), tolerant)
        if on_progress is not None:
            on_progress(part.stop)
    return VirtualPopulation(group, covariates, pk, effect, rise, doses)


def _rows(params, rows: slice):  # type: ignore[no-untyped-def]
    """The same parameters for a slice of the patients (arrays sliced, scalars kept)."""
    fields = {
        k: (v[rows] if np.ndim(v) == 1 else v)
        for k, v in vars(params).items()
        if not k.startswith("_")
    }
    return type(params)(**fields)


@dataclass(frozen=True)
class DoseSummary:
    """Quantiles of simulated maintenance doses (mcg/day) beside the label's range for the group."""

    group: str
    n: int
    p5: float
    p25: float
    median: float
    p75: float
    p95: float
    mean: float
    within_typical: float
    published: DoseRange


def summarize_doses(population: VirtualPopulation) -> DoseSummary:
    """Median, quartiles, 5th-95th percentiles, mean and the share in the label's typical band."""
    doses = population.maintenance_dose_mcg_per_day
    published = DOSE_RANGES[population.group]
    p5, p25, p50, p75, p95 = np.percentile(doses, [5, 25, 50, 75, 95])
    band = (doses >= published.typical_low_mcg_per_day) & (
        doses <= published.typical_high_mcg_per_day
    )
    return DoseSummary(
        population.group,
        population.n_patients,
        *(float(x) for x in (p5, p25, p50, p75, p95, doses.mean(), band.mean())),
        published,
    )
