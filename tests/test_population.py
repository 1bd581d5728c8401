"""Virtual populations: reproducible bit for bit, and doses as the label reports them."""

from __future__ import annotations

import time

import numpy as np
import pytest

from itbtwin.drug import DOSE_RANGES
from itbtwin.errors import ParameterError
from itbtwin.patient import DriftModel, generate_population, is_tolerant, summarize_doses


def test_same_seed_gives_the_same_population_bit_for_bit():
    a, b = generate_population(500, "spinal", 11), generate_population(500, "spinal", 11)
    assert a.maintenance_dose_mcg_per_day.tobytes() == b.maintenance_dose_mcg_per_day.tobytes()
    assert np.asarray(a.effect.ec50_ng_ml).tobytes() == np.asarray(b.effect.ec50_ng_ml).tobytes()
    assert a.covariates.baseline.mas.tolist() == b.covariates.baseline.mas.tolist()


def test_a_generator_and_its_seed_give_the_same_population():
    a = generate_population(300, "cerebral", 5)
    b = generate_population(300, "cerebral", np.random.default_rng(5))
    assert np.array_equal(a.maintenance_dose_mcg_per_day, b.maintenance_dose_mcg_per_day)


def test_different_seeds_give_different_populations():
    a, b = generate_population(300, "spinal", 1), generate_population(300, "spinal", 2)
    assert not np.array_equal(a.maintenance_dose_mcg_per_day, b.maintenance_dose_mcg_per_day)


@pytest.mark.parametrize("group", ["spinal", "cerebral"])
def test_adult_doses_are_mostly_in_the_label_band_and_inside_the_observed_range(group):
    summary = summarize_doses(generate_population(10_000, group, 2024))
    band = DOSE_RANGES[group]
    assert band.typical_low_mcg_per_day <= summary.median <= band.typical_high_mcg_per_day
    assert summary.within_typical > 0.5
    assert band.observed_low_mcg_per_day <= summary.p5
    assert summary.p95 <= band.observed_high_mcg_per_day


def test_children_under_12_average_about_274_mcg_per_day():
    summary = summarize_doses(generate_population(10_000, "paediatric", 2024))
    assert summary.mean == pytest.approx(274, rel=0.15)
    assert np.all(generate_population(200, "paediatric", 1).covariates.is_child)


def test_about_a_fifth_of_spinal_patients_develop_tolerance():
    pop = generate_population(10_000, "spinal", 2024)
    share = is_tolerant(pop.maintenance_dose_mcg_per_day, pop.rise_factor, DriftModel()).mean()
    assert 0.10 <= share <= 0.38  # heetla2009 22% (8/37), its 95% CI


def test_ten_thousand_patients_take_seconds_not_minutes():
    started = time.perf_counter()
    generate_population(10_000, "spinal", 3)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("n", "group", "seed", "message"),
    [
        (0, "spinal", 1, "patients"),
        (10, "martian", 1, "unknown population"),
        (10, "spinal", -1, "seed"),
    ],
)
def test_impossible_population_requests_are_errors(n, group, seed, message):
    with pytest.raises(ParameterError, match=message):
        generate_population(n, group, seed)
