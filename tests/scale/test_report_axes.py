"""Trial report concentration panels are readable (issue 16, point 2): a level that rises over
decades gets a log axis with plain-number ticks at 1-2-5 steps (not "0" and "10⁰"), a narrow range
a linear axis from 0, and a population band too narrow to see is said in words."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from itbtwin.scale._report import _concentration_axis, _spread_note


def _axis(values: np.ndarray):  # type: ignore[no-untyped-def]
    axis = Figure().subplots()
    axis.plot(np.arange(values.shape[1]), values[len(values) // 2])
    _concentration_axis(axis, values)
    axis.figure.canvas.draw()
    return axis


def test_a_plasma_rise_over_decades_has_a_log_axis_with_plain_tick_labels():
    rise = np.array([[0.0, 0.05, 0.5, 1.9, 1.93]] * 5)
    axis = _axis(rise)
    low, high = axis.get_ylim()
    shown = [t for t in axis.get_yticks() if low <= t <= high]
    labels = [t.get_text() for t in axis.get_yticklabels() if t.get_text()]
    assert axis.get_yscale() == "log" and len(shown) >= 4
    assert {"0.1", "0.2", "0.5", "1", "2"} <= set(labels)
    assert not any("10^" in label or "\\mathdefault" in label for label in labels)


def test_a_level_within_one_decade_has_a_linear_axis_from_zero():
    steady = np.array([[400.0, 500.0, 600.0], [600.0, 700.0, 800.0], [900.0, 1000.0, 1100.0]])
    axis = _axis(steady)
    assert axis.get_yscale() == "linear" and axis.get_ylim()[0] == 0


def test_a_band_narrower_than_the_line_is_said_in_words():
    same = np.array([[1.0, 1.93]] * 5)
    assert "1.93-1.93 ng/mL" in _spread_note(same)
    assert _spread_note(np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])) == ""


def test_issue_16_outcome_tables_read_in_words_and_plain_numbers():
    from itbtwin.scale._report import _show, _table

    html = _table(
        {"episodes_per_1000_patient_years": 0.000123, "time_in_range_h": 12345.678},
        machine_keys=True,
    )
    assert "episodes_per_1000_patient_years" not in html and "Episodes per 1000" in html
    assert "Time in range (h)" in html
    assert "0.000123" in html and "12346" in html and "e-" not in html and "e+" not in html
    assert _show(np.array([1.5e-7, 2.0e6])) == "0.00000015, 2000000"
