"""The patient page's MAS/Penn plot labels the Penn axis with whole grades (issue 15): Penn
spasm frequency is 0-4 in whole steps (Penn 1989, reference pharmacology.md §6.2); Plotly's own
ticks on the padded range read -0.3, 1.16, 2.61, 4.07."""

from __future__ import annotations

from itbtwin.sim import run_twin, typical_scenario
from itbtwin.web._plots import twin_figures


def test_issue_15_the_penn_axis_shows_whole_grades_zero_to_four():
    scenario = typical_scenario(
        "penn axis",
        duration="3 day",
        concentration="500 mcg/mL",
        program={"mode": "continuous", "daily_dose": "200 mcg/day"},
        patient={
            "baseline_mas": "3",
            "baseline_penn_frequency": 3,
            "baseline_penn_severity": 2,
        },
    )
    mas_and_penn = twin_figures(scenario, run_twin(scenario), [])[-1]
    assert mas_and_penn["layout"]["yaxis2"]["tickvals"] == [0, 1, 2, 3, 4]
    assert any(trace.get("yaxis") == "y2" for trace in mas_and_penn["data"])
