"""PK parameters: typical values with their derivations, and impossible patients rejected."""

from __future__ import annotations

import math

import numpy as np
import pytest

from itbtwin import sources
from itbtwin.errors import ParameterError
from itbtwin.patient import COMPACT, BaclofenPk
from itbtwin.sim import terminal_half_life_h


def test_lumbar_volume_is_derived_from_label_clearance_and_half_life(adult: BaclofenPk) -> None:
    assert adult.v_lumbar_ml == pytest.approx(30 * 1.51 / math.log(2), rel=1e-12)


def test_adult_plasma_model_reproduces_the_published_alpha_and_beta(adult: BaclofenPk) -> None:
    # PMID 4028618: alpha = 1.29 /h, beta = 0.191 /h from Vc/F 28.8 L and CL/F 180 mL/min.
    index = [COMPACT.states.index(s) for s in ("central", "peripheral")]
    k = COMPACT.matrix(adult)[0][np.ix_(index, index)]
    rates = sorted(-np.linalg.eigvals(k).real)
    # the small plasma-to-CSF influx (CSF/plasma 0.12) shifts them by < 0.05%
    assert rates == pytest.approx([0.191, 1.29], rel=5e-4)


def test_paediatric_plasma_follows_he_2014_per_kg() -> None:
    child = BaclofenPk.paediatric(20.0)
    assert child.cl_plasma_ml_h == pytest.approx(0.273 * 1000 * 20)
    assert child.v_central_ml + child.v_peripheral_ml == pytest.approx(1.16 * 1000 * 20)
    half_life = terminal_half_life_h(
        COMPACT, child.replace(csf_plasma_ratio=0.0), COMPACT.outputs[2]
    )
    assert half_life[0] == pytest.approx(4.5, rel=1e-9)


def test_under_18_uses_paediatric_parameters_and_adults_the_typical_adult() -> None:
    assert BaclofenPk.for_patient(weight_kg=30, age_years=9).cl_plasma_ml_h == pytest.approx(
        0.273 * 1000 * 30
    )
    assert BaclofenPk.for_patient(weight_kg=90, age_years=40) == BaclofenPk.adult()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"v_lumbar_ml": -1.0}, "impossible v_lumbar_ml = -1 mL"),
        ({"cl_csf_ml_h": 0.0}, "impossible cl_csf_ml_h"),
        ({"f_oral": 1.5}, "at most 1"),
        ({"v_central_ml": math.nan}, "impossible v_central_ml"),
        ({"lumbar_cranial_ratio": 0.5}, "lumbar_cranial_ratio"),
        ({"cl_cranial_ml_h": 200.0}, "rostral flow"),
        ({"cl_renal_ml_h": 1e6}, "larger than the total"),
    ],
)
def test_impossible_parameters_are_errors_naming_the_field(change: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        BaclofenPk.adult(**change)


@pytest.mark.parametrize(("weight", "age"), [(-5, 40), (70, -1), (0, 8), (70, 150)])
def test_impossible_covariates_are_errors(weight: float, age: float) -> None:
    with pytest.raises(ParameterError, match="impossible"):
        BaclofenPk.for_patient(weight_kg=weight, age_years=age)


def test_batches_must_agree_in_size() -> None:
    with pytest.raises(ParameterError, match="disagree"):
        BaclofenPk.adult(cl_csf_ml_h=np.array([30.0, 31.0]), v_lumbar_ml=np.ones(3) * 60)


def test_a_batch_holds_patients_on_axis_0() -> None:
    batch = BaclofenPk.adult(cl_csf_ml_h=np.linspace(13, 80, 5))
    assert batch.n_patients == 5
    assert COMPACT.matrix(batch).shape == (5, len(COMPACT.states), len(COMPACT.states))


def test_every_parameter_declares_a_unit_a_description_and_a_resolvable_source(
    adult: BaclofenPk,
) -> None:
    rows = adult.table()
    assert len(rows) == 13
    for row in rows:
        assert row["unit"] and row["help"]
        for key in str(row["source"]).split("+"):
            assert sources.resolve(key)
