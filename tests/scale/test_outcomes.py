"""The built-in outcomes count what their docs say, on hand-made series."""

from __future__ import annotations

import numpy as np

from itbtwin.scale import Chunk, Context, Episodes, SteadyState, TimeInRange

TIMES = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
# Two patients (columns): one dips below 100 twice, one starts below and rises.
LUMBAR = np.array([[0.0, 50.0], [200.0, 80.0], [90.0, 150.0], [210.0, 160.0], [95.0, 170.0]])
CHUNK = Chunk(TIMES, ("csf_lumbar",), LUMBAR[None, :, :].copy())
CONTEXT = Context(2, TIMES)


def collect(outcome):  # type: ignore[no-untyped-def]
    tally = outcome.empty(TIMES)
    outcome.collect(CHUNK, tally)
    return tally, outcome.report(tally, CONTEXT)


def test_episodes_count_entries_into_the_range_but_not_the_start() -> None:
    tally, report = collect(Episodes(output="csf_lumbar", below_ng_ml=100))
    assert tally["episodes"][0] == 2
    assert report["share_of_patients"] == 0.5


def test_time_in_range_counts_patients_in_range_at_each_time() -> None:
    tally, report = collect(TimeInRange(output="csf_lumbar", above_ng_ml=100, below_ng_ml=200))
    assert tally["patients"].tolist() == [0, 0, 1, 1, 1]
    assert np.isclose(report["hours_per_patient"], (1 + 1 + 0.5) / 2)  # trapezoid weights


def test_steady_state_averages_the_samples_of_the_final_window() -> None:
    tally, report = collect(SteadyState(output="csf_lumbar", window_h=1, thresholds_ng_ml=[160]))
    assert tally["above"].tolist() == [1]
    assert report["share_above"] == {"160": 0.5}  # means 152.5 and 165
