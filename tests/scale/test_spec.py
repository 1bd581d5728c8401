"""Trial descriptions: shipped examples load; mistakes are refused naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.scale import TrialError, load_trial

from .helpers import small_trial

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "trials").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_shipped_trial_loads(path: Path) -> None:
    trial = load_trial(path)
    assert trial.population.size > 0
    assert trial.outputs()


def test_shipped_trials_exist() -> None:
    assert EXAMPLES


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"population__size": 0}, "population.size"),
        ({"seed": -1}, "seed"),
        ({"regimen": [{"infusion": "500 mcg/L"}]}, "mcg/day"),
        ({"regimen": [{"bolus": "50 mcg", "infusion": "500 mcg/day"}]}, "exactly one"),
        ({"regimen": [{"bolus": "50"}]}, "unit"),
        ({"outcomes": [{"kind": "survival"}]}, "unknown outcome kind 'survival'"),
        ({"outcomes": [{"kind": "quantiles", "outputs": ["csf"]}]}, "unknown outputs"),
        ({"outcomes": [{"kind": "time_in_range", "output": "plasma"}]}, "above_ng_ml"),
        ({"outcomes": [{"kind": "episodes", "output": "plasma", "colour": 1}]}, "colour"),
        ({"population__generator": {"kind": "baclofen", "variability": {"cl": 0.3}}}, "cl"),
        ({"population__generator": {"kind": "martian"}}, "unknown generator kind"),
        ({"execution__backend": "fortran"}, "execution.backend"),
    ],
)
def test_a_wrong_trial_is_refused_naming_what_is_wrong(change: dict, message: str) -> None:
    with pytest.raises(TrialError, match=message):
        small_trial(**change)


def test_a_missing_trial_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TrialError, match="no trial file"):
        load_trial(tmp_path / "absent.toml")


def test_a_file_that_is_not_toml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("name = \n", encoding="utf-8")
    with pytest.raises(TrialError, match="not valid TOML"):
        load_trial(path)
