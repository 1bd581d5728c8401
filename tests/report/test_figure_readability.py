"""Figures a person can read (issue 16, point 2): legends beside or below the plot, never over
its data or its date labels (even with one pump on the calendar), and the MAS and Penn axes of
one panel lined up (MAS 0 and 4 on the heights of Penn 0 and 4)."""

from __future__ import annotations

from datetime import date

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from itbtwin.clinic import refill_schedule
from itbtwin.patient import MAS_GRADES
from itbtwin.report import refill_calendar, response_figure, scenario_timeline, twin_overview


def _drawn(fig: Figure) -> Figure:
    FigureCanvasAgg(fig).draw()  # lays the figure out as savefig does
    return fig


def _overlap(a: Bbox, b: Bbox) -> bool:
    return a.overlaps(b) and a.intersection(a, b).width > 1 and a.intersection(a, b).height > 1


def test_calendar_of_one_pump_keeps_its_legend_off_the_axis_and_its_dates(missed_refill):
    scenario, _ = missed_refill
    entries = refill_schedule([("missed", scenario.therapy)], time_zone="Europe/London")
    fig = _drawn(refill_calendar(entries, today=date(2024, 1, 29)))
    (ax,) = fig.axes
    legend = fig.legends[0].get_window_extent()
    renderer = fig.canvas.get_renderer()
    assert not _overlap(legend, ax.get_window_extent())
    for label in [*ax.get_xticklabels(), ax.xaxis.label]:
        assert not _overlap(legend, label.get_window_extent(renderer))
    assert legend.y1 <= ax.xaxis.label.get_window_extent(renderer).y0 + 1


@pytest.mark.parametrize("build", [response_figure, twin_overview])
def test_twin_figure_legends_sit_beside_the_plots_not_on_their_data(missed_refill, build):
    scenario, outcome = missed_refill
    fig = _drawn(build(outcome, scenario_timeline(scenario)))
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert legends
    plots = [ax.get_window_extent() for ax in fig.axes]
    for legend in legends:
        box = legend.get_window_extent()
        assert not any(_overlap(box, plot) for plot in plots)
        assert box.x1 <= fig.bbox.x1 + 1  # inside the figure, not cut off


def test_mas_and_penn_axes_of_a_panel_line_up(missed_refill):
    scenario, outcome = missed_refill
    fig = _drawn(response_figure(outcome, scenario_timeline(scenario)))
    mas, penn = fig.axes
    top = len(MAS_GRADES) - 1  # grade "4" sits at position 5 (0, 1, 1+, 2, 3, 4)
    for grade_at, penn_score in ((0, 0), (top, 4)):
        mas_y = mas.transData.transform((0, grade_at))[1]
        penn_y = penn.transData.transform((0, penn_score))[1]
        assert mas_y == pytest.approx(penn_y, abs=0.01)
