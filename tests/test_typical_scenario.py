"""The typical patient's twin (`sim.typical_scenario`), shared by the figures, the validation facts
and the benchmarks, is the scenario a clinic would write for that system, read and checked the same
way."""

from __future__ import annotations

import pytest

from itbtwin.errors import ScenarioError
from itbtwin.sim import loads_scenario, typical_scenario

CONTINUOUS = {"mode": "continuous", "daily_dose": "250 mcg/day"}

WRITTEN = """
[scenario]
name = "written"
start = 2024-01-08T09:00:00
time_zone = "Europe/London"
duration = "31 day"
output_step = "0.1 h"

[patient]
weight = "75 kg"
age = "42 year"

[pump]
device = "synchromed2-20"

[catheter]
model = "8709SC"
length_cm = 50

[reservoir]
volume = "20 mL"
concentration = "2000 mcg/mL"

[[program]]
at = "0 h"
mode = "continuous"
daily_dose = "648 mcg/day"

[[refill]]
at = "14 day"
volume = "20 mL"
concentration = "2000 mcg/mL"

[[fault]]
kind = "occlusion"
at = "2 day"
until = "30 day"
"""


def test_the_typical_scenario_equals_the_same_set_up_written_as_a_scenario_file() -> None:
    built = typical_scenario(
        "written",
        duration="31 day",
        concentration="2000 mcg/mL",
        program={"mode": "continuous", "daily_dose": "648 mcg/day"},
        time_zone="Europe/London",
        output_step="0.1 h",
        patient={"weight": "75 kg", "age": "42 year"},
        refills=[{"at": "14 day", "volume": "20 mL", "concentration": "2000 mcg/mL"}],
        faults=[{"kind": "occlusion", "at": "2 day", "until": "30 day"}],
    )
    assert built == loads_scenario(WRITTEN)


def test_the_typical_system_is_a_full_synchromed_ii_20_ml_on_a_50_cm_8709sc_from_hour_0() -> None:
    scenario = typical_scenario(
        "t", duration="2 day", concentration="500 mcg/mL", program=CONTINUOUS
    )
    therapy = scenario.therapy
    assert therapy.device.key == "synchromed2-20"
    assert (therapy.catheter.model, therapy.catheter_length_cm) == ("8709SC", 50)
    assert (therapy.fill.volume_ml, therapy.fill.concentration_mcg_per_ml) == (20.0, 500.0)
    (start_h, program), *later = therapy.programs
    assert start_h == 0.0 and not later
    assert program.steps[0].rate_mcg_per_day == 250.0
    assert therapy.span_h == 48.0
    assert (scenario.patient.weight_kg, scenario.patient.age_years) == (70.0, 40.0)


def test_a_concentration_without_its_unit_is_refused_as_in_a_scenario_file() -> None:
    with pytest.raises(ScenarioError, match=r"reservoir\.concentration.*has no unit"):
        typical_scenario("t", duration="2 day", concentration="500", program=CONTINUOUS)


def test_a_program_that_starts_after_hour_0_is_refused() -> None:
    with pytest.raises(ScenarioError, match="must start at 0 h"):
        typical_scenario(
            "t", duration="2 day", concentration="500 mcg/mL", program={**CONTINUOUS, "at": "1 h"}
        )
