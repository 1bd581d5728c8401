"""Covariates and vertebral levels: impossible values are errors with clear messages."""

from __future__ import annotations

import numpy as np
import pytest

from itbtwin.errors import ParameterError
from itbtwin.patient import Covariates, parse_level, withdrawal_risk_factors


def test_injury_level_t13_is_an_error_naming_the_thoracic_levels():
    with pytest.raises(ParameterError, match=r"no vertebral level T13.*T1-T12"):
        Covariates("sci", 40, 70, injury_level="T13")


def test_negative_weight_is_an_error_naming_the_weight():
    with pytest.raises(ParameterError, match="impossible weight kg -5"):
        Covariates("ms", 40, -5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"diagnosis": "flu"}, "unknown diagnosis 'flu'"),
        ({"diagnosis": "sci"}, "needs its level"),
        ({"diagnosis": "cp", "injury_level": "C5"}, "applies to spinal cord injury"),
        ({"age_years": 0}, "impossible age years 0"),
        ({"sensitivity": np.array([1.0, -1.0])}, "impossible sensitivity"),
    ],
)
def test_impossible_covariates_are_errors(kwargs, message):
    values = {"diagnosis": "ms", "age_years": 40, "weight_kg": 70} | kwargs
    with pytest.raises(ParameterError, match=message):
        Covariates(**values)


@pytest.mark.parametrize(("text", "level"), [("T10", "T10"), ("th10", "T10"), ("l 3", "L3")])
def test_levels_accept_the_usual_spellings(text, level):
    assert parse_level(text) == level


def test_children_under_12_form_their_own_group():
    batch = Covariates(np.array(["cp", "cp"], dtype=object), np.array([8.0, 30.0]), 30.0)
    assert batch.is_child.tolist() == [True, False]


def test_withdrawal_risk_flags_high_injury_and_communication_difficulty():
    batch = Covariates(
        np.array(["sci", "sci", "cp"], dtype=object),
        40.0,
        70.0,
        injury_level=np.array(["C6", "T10", None], dtype=object),
        communication_difficulty=np.array([False, False, True]),
    )
    flags = withdrawal_risk_factors(batch)
    assert flags[0] == ["spinal cord injury at or above T6"]
    assert flags[1] == []
    assert flags[2] == ["communication difficulty"]
