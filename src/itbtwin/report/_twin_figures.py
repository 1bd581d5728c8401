"""The report's figures of one twin outcome, drawn the way ITB clinics and modellers read them.

(a) reservoir volume (mL) with the low-reservoir threshold, alarm onsets and refills as markers;
(b) dose delivered at the catheter tip (mcg/day) against the programmed dose; (c) lumbar CSF
concentration (ng/mL) on a linear and a log axis with the prescription's steady state; (d) MAS
grade and Penn spasm frequency. Pump events (refills, alarms, faults, program changes) are vertical
lines on (b)-(d). Each `draw_*` takes an Axes, so `twin_overview` reuses them on one page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from itbtwin.patient import MAS_GRADES
from itbtwin.report._timeline import Timeline, mark_events
from itbtwin.sim import TwinOutcome

_WIDE = (10, 3.4)
MAS_TOP = len(MAS_GRADES) - 1
"""Axis position of the highest MAS grade (4): grades 0, 1, 1+, 2, 3, 4 sit at 0-5."""
PENN_TOP = 4
"""Highest Penn spasm frequency score (0-4, Penn 1989)."""
Observation = Mapping[str, Any]
"""A score observed at the clinic: ``time_h`` (h from the start), ``mas`` (muscle group → MAS
grade) and ``penn`` (Penn spasm frequency 0-4, or None), as `store.observed_scores` gives it."""
PLAIN = ticker.FuncFormatter(lambda value, _: f"{value:g}")
"""Tick labels as plain numbers (no scientific notation on a clinical axis)."""
LOG_DECADES = 4
"""Decades shown below the peak on the log concentration axis (a washout to zero is cut)."""


def _hours(outcome: TwinOutcome) -> np.ndarray:
    return outcome.series["time_h"]


def draw_reservoir(
    ax: Axes, outcome: TwinOutcome, timeline: Timeline, low_alarm_ml: float | None = None
) -> None:
    """Reservoir (mL): actual and pump-calculated, alarm onsets and refills as markers."""
    hours, series = _hours(outcome), outcome.series
    x = timeline.x(hours)
    ax.plot(x, series["reservoir_ml"], color="C0", lw=1.3, label="reservoir (actual)")
    ax.plot(x, series["pump_reservoir_ml"], "--", color="0.5", lw=1, label="pump-calculated")
    if low_alarm_ml is not None:
        ax.axhline(low_alarm_ml, color="C1", lw=0.8, ls=":", label="low-reservoir threshold")
    markers = (
        ("refill", "", "^", "C2", "refill"),
        ("alarm", "low_reservoir", "v", "C1", "low-reservoir alarm"),
        ("alarm", "empty_reservoir", "X", "C3", "empty-reservoir alarm"),
    )
    for kind, alarm, symbol, colour, label in markers:
        times = [e.time_h for e in outcome.events if e.kind == kind and e.alarm == alarm]
        if times:
            level = np.interp(times, hours, series["reservoir_ml"])
            ax.plot(timeline.x(times), level, symbol, color=colour, ms=8, ls="", label=label)
    ax.set_ylabel("reservoir volume (mL)")
    ax.set_ylim(bottom=0)
    ax.set_title("Reservoir and alarm dates", fontsize=10, loc="left")


def draw_dose(ax: Axes, outcome: TwinOutcome, timeline: Timeline) -> None:
    """Dose at the catheter tip (mcg/day) as delivered, and as programmed (dashed)."""
    hours = _hours(outcome)
    x = timeline.x(hours)
    ax.step(
        x,
        outcome.series["delivered_mcg_per_h"] * 24,
        where="post",
        color="C0",
        lw=1.3,
        label="delivered at the tip",
    )
    programmed = outcome.delivery.cumulative_mcg(hours, "programmed", at_time=False)
    if hours.size > 1:
        rate = np.append(np.diff(programmed) / np.diff(hours), np.nan) * 24
        ax.step(x, rate, where="post", color="0.5", ls="--", lw=1, label="programmed")
    mark_events(ax, outcome.events, timeline)
    ax.set_ylabel("dose (mcg/day)")
    ax.set_ylim(bottom=0)
    ax.set_title("Dose delivered at the catheter tip", fontsize=10, loc="left")


def draw_csf(ax: Axes, outcome: TwinOutcome, timeline: Timeline, scale: str) -> None:
    """Lumbar CSF concentration (ng/mL) on a ``linear`` or ``log`` axis, events marked."""
    csf = outcome.series["csf_lumbar_ng_ml"]
    shown = np.where(csf > 0, csf, np.nan) if scale == "log" else csf
    ax.plot(timeline.x(_hours(outcome)), shown, color="C0", lw=1.3, label="lumbar CSF")
    steady = outcome.summary.get("steady_state_ng_ml", {}).get("csf_lumbar")
    if steady:
        ax.axhline(steady, color="0.4", ls=":", lw=0.9, label="steady state of the prescription")
    mark_events(ax, outcome.events, timeline)
    if scale == "log" and np.any(csf > 0):
        ax.set_yscale("log")
        peak = float(np.nanmax(shown))
        low = max(float(np.nanmin(shown)), peak / 10**LOG_DECADES) / 1.5
        ax.set_ylim(low, peak * 2)
        # 1-2-5 steps over a couple of decades, one label per decade over more
        subs = (1.0, 2.0, 5.0) if np.log10(peak * 2 / low) <= 2.5 else (1.0,)
        ax.yaxis.set_major_locator(ticker.LogLocator(subs=subs))
        ax.yaxis.set_major_formatter(PLAIN)  # "200", never "2 × 10²"
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    elif scale == "linear":
        top = max(float(np.nanmax(csf)) if csf.size else 0.0, steady or 0.0)
        ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)
    ax.set_ylabel("lumbar CSF (ng/mL)")
    ax.grid(True, which="major", alpha=0.25)
    ax.set_title(f"Lumbar CSF concentration, {scale} axis", fontsize=10, loc="left")


OBSERVED_MARKERS = "osD^v<>"
"""Marker of each muscle group's observed MAS grade, in the order they first appear."""


def _draw_observed_mas(ax: Axes, observed: Sequence[Observation], timeline: Timeline) -> None:
    """Observed MAS grades (one marker per muscle group) beside the twin's prediction."""
    muscles = list(dict.fromkeys(m for o in observed for m in o["mas"]))
    for k, muscle in enumerate(muscles):
        seen = [(o["time_h"], o["mas"][muscle]) for o in observed if muscle in o["mas"]]
        hours = [h for h, _ in seen]
        grades = [MAS_GRADES.index(str(g)) for _, g in seen]
        marker = OBSERVED_MARKERS[k % len(OBSERVED_MARKERS)]
        ax.plot(timeline.x(hours), grades, marker, color="C3", mfc="none", ms=8, ls="",
                label=f"observed MAS, {muscle}")  # fmt: skip


def align_penn(mas: Axes, penn: Axes) -> None:
    """Put Penn 0 and 4 on the heights of MAS 0 and 4, so the two axes of a panel line up."""
    low, high = mas.get_ylim()
    penn.set_ylim(low * PENN_TOP / MAS_TOP, high * PENN_TOP / MAS_TOP)
    penn.set_yticks(range(PENN_TOP + 1))


def draw_response(
    ax: Axes, outcome: TwinOutcome, timeline: Timeline, observed: Sequence[Observation] = ()
) -> None:
    """MAS grade (steps, with a baseline) and, when present, Penn spasm frequency (dashed, right
    axis); the
    `observed` scores (time_h, MAS per muscle group, Penn frequency) as open markers beside them."""
    series, x = outcome.series, timeline.x(_hours(outcome))
    if "mas_grade" in series:  # only from the patient's baseline assessment (none is assumed)
        codes = np.array([MAS_GRADES.index(str(g)) for g in series["mas_grade"]], float)
        ax.step(x, codes, where="post", color="C3", lw=1.3, label="MAS grade (twin)")
    _draw_observed_mas(ax, observed, timeline)
    ax.set_yticks(range(len(MAS_GRADES)), MAS_GRADES)
    ax.set_ylim(-0.3, len(MAS_GRADES) - 0.7)
    ax.set_ylabel("MAS grade (0-4)")
    mark_events(ax, outcome.events, timeline)
    penn = [(o["time_h"], o["penn"]) for o in observed if o["penn"] is not None]
    if "penn_frequency" in series or penn:
        twin = ax.twinx()
        if "penn_frequency" in series:
            twin.step(x, series["penn_frequency"], where="post", color="C4", ls="--", lw=1,
                      label="Penn frequency (twin)")  # fmt: skip
        if penn:
            twin.plot(timeline.x([h for h, _ in penn]), [f for _, f in penn], "P", color="C4",
                      ms=8, ls="", label="observed Penn frequency")  # fmt: skip
        align_penn(ax, twin)
        twin.set_ylabel("Penn spasm frequency (0-4, dashed)")
    ax.set_title("Muscle tone (MAS) and spasms (Penn)", fontsize=10, loc="left")


def _finish(ax: Axes, timeline: Timeline, last: bool = True) -> None:
    """Grid, time axis, and one legend of the panel (its twin axis included) to the right of
    the plot, where it covers no data."""
    ax.grid(True, alpha=0.25)
    timeline.style(ax)
    if not last:
        ax.set_xlabel("")
    twins = [a for a in ax.figure.axes if a is not ax and a.bbox.bounds == ax.bbox.bounds]
    handles, labels = ax.get_legend_handles_labels()
    for twin in twins:
        more = twin.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(1.09 if twins else 1.01, 1.0),
        fontsize=7,
        frameon=False,
    )


def reservoir_figure(
    outcome: TwinOutcome, timeline: Timeline | None = None, low_alarm_ml: float | None = None
) -> Figure:
    """Figure (a): reservoir volume (mL) with alarm and refill markers."""
    timeline = timeline or Timeline()
    fig = Figure(figsize=_WIDE, layout="constrained")
    ax = fig.subplots()
    draw_reservoir(ax, outcome, timeline, low_alarm_ml)
    _finish(ax, timeline)
    return fig


def dose_figure(outcome: TwinOutcome, timeline: Timeline | None = None) -> Figure:
    """Figure (b): dose delivered at the catheter tip (mcg/day)."""
    timeline = timeline or Timeline()
    fig = Figure(figsize=_WIDE, layout="constrained")
    ax = fig.subplots()
    draw_dose(ax, outcome, timeline)
    _finish(ax, timeline)
    return fig


def concentration_figure(outcome: TwinOutcome, timeline: Timeline | None = None) -> Figure:
    """Figure (c): lumbar CSF (ng/mL), linear axis above and log axis below."""
    timeline = timeline or Timeline()
    fig = Figure(figsize=(10, 6), layout="constrained")
    linear, log = fig.subplots(2, 1, sharex=True)
    for ax, scale in ((linear, "linear"), (log, "log")):
        draw_csf(ax, outcome, timeline, scale)
        _finish(ax, timeline, last=ax is log)
    return fig


def response_figure(
    outcome: TwinOutcome, timeline: Timeline | None = None, observed: Sequence[Observation] = ()
) -> Figure:
    """Figure (d): MAS grade and Penn spasm frequency with the events marked, and the scores
    observed at the clinic (`observed`) beside the twin's prediction."""
    timeline = timeline or Timeline()
    fig = Figure(figsize=_WIDE, layout="constrained")
    ax = fig.subplots()
    draw_response(ax, outcome, timeline, observed)
    _finish(ax, timeline)
    return fig


def twin_overview(
    outcome: TwinOutcome, timeline: Timeline | None = None, low_alarm_ml: float | None = None
) -> Figure:
    """All four panels on one page (reservoir, dose, CSF linear and log, MAS): the README image."""
    timeline = timeline or Timeline()
    fig = Figure(figsize=(12, 11), layout="constrained")
    axes = fig.subplots(5, 1, sharex=True)
    draw_reservoir(axes[0], outcome, timeline, low_alarm_ml)
    draw_dose(axes[1], outcome, timeline)
    draw_csf(axes[2], outcome, timeline, "linear")
    draw_csf(axes[3], outcome, timeline, "log")
    draw_response(axes[4], outcome, timeline)
    for ax in axes:
        _finish(ax, timeline, last=ax is axes[-1])
    fig.suptitle(outcome.scenario, fontsize=13)
    return fig
