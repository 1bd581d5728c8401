"""A small self-contained HTML report of a virtual trial: what was asked, plots, numbers."""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure

from itbtwin.display import format_number, human_label
from itbtwin.files import writable, write_private
from itbtwin.scale._spec import Trial
from itbtwin.scale._stream import TrialResult

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem}"
    "img{max-width:100%}"
)


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode()
    return f'<img alt="plot" src="data:image/png;base64,{encoded}">'


LOG_AXIS_RATIO = 20.0
"""A concentration axis is logarithmic when the upper band spans more than this many times its
lowest positive value (a rise from zero over decades); otherwise linear, read in plain ng/mL."""


def _concentration_axis(axis: Any, values: np.ndarray) -> None:
    """Log axis (plain-number ticks) for values over decades, else a linear axis from 0."""
    positive = values[values > 0]
    if positive.size and positive.max() / positive.min() > LOG_AXIS_RATIO:
        axis.set_yscale("log")
        axis.set_ylim(max(positive.min(), positive.max() / 1e4), positive.max() * 1.5)
        axis.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    else:
        axis.set_ylim(0, (positive.max() if positive.size else 1.0) * 1.15)
    axis.grid(True, which="major", alpha=0.3)


def _spread_note(values: Any) -> str:
    """Say so when the population's 5-95% band is too narrow to see at steady state."""
    last = np.asarray(values)[:, -1]
    if last.size >= 2 and last[-1] - last[0] <= 0.02 * max(abs(last[len(last) // 2]), 1e-12):
        return (
            f"<p>At the end the whole population lies within {last[0]:.3g}-{last[-1]:.3g} ng/mL: "
            "the bands are narrower than the median line.</p>"
        )
    return ""


def _fan(section: dict[str, Any]) -> str:
    """Median and 5–95 / 25–75 % bands of each output: the whole trial, then its last 48 h."""
    hours = section["time_h"]
    probabilities = section["probabilities"]
    parts = []
    for output, values in section["ng_ml"].items():
        figure = Figure(figsize=(10, 3.6), layout="constrained")
        whole, last = figure.subplots(1, 2, width_ratios=(2, 1), sharey=True)
        tail = hours >= hours[-1] - 48
        for axis, keep, scale in ((whole, hours >= 0, 24.0), (last, tail, 1.0)):
            x = hours[keep] / scale
            for low, high, alpha in ((0, -1, 0.25), (1, -2, 0.45)):
                if len(probabilities) >= 2 * (low + 1):
                    label = f"{probabilities[low]:.0%}–{probabilities[high]:.0%}"
                    axis.fill_between(
                        x, values[low][keep], values[high][keep], alpha=alpha, label=label
                    )
            median = values[len(probabilities) // 2][keep]
            axis.plot(x, median, color="k", lw=0.8, label="median")
            _concentration_axis(axis, np.asarray(values))
        whole.set(xlabel="day", ylabel=f"{human_label(output)} (ng/mL)")
        last.set(xlabel="hour (last 48 h)")
        handles, labels = whole.get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncol=3, fontsize="small")
        title = html.escape(human_label(output))
        parts.append(f"<h3>{title}</h3>{_png(figure)}{_spread_note(values)}")
    return "".join(parts)


_SHARE_LABELS = {"withdrawal": "patients in withdrawal (%)"}


def _share_over_time(section: dict[str, Any], times_h: Any) -> str:
    """The share of patients in the outcome's state at each output time."""
    share = np.asarray(section["share_over_time"], float)
    figure = Figure(figsize=(8, 2.6))
    axis = figure.subplots()
    axis.plot(np.asarray(times_h)[: share.size] / 24, 100 * share)
    ylabel = _SHARE_LABELS.get(section["kind"], "patients in range (%)")
    axis.set(xlabel="day", ylabel=ylabel)
    return _png(figure)


def _histogram(section: dict[str, Any]) -> str:
    """The distribution of a per-patient record (counts in its bins), with its label bands."""
    edges = np.asarray(section["histogram"]["edges"], float)
    counts = np.asarray(section["histogram"]["counts"], float)
    shown = counts > 0
    figure = Figure(figsize=(8, 2.8))
    axis = figure.subplots()
    axis.step(edges[shown], counts[shown] / counts.sum(), where="post")
    for band in section.get("share_in_band", {}):
        low, high = (float(x) for x in band.split("-"))
        axis.axvspan(low, high, alpha=0.12, label=f"label band {band} {section['unit']}")
    axis.set(xscale="log", xlabel=f"{section['label']}", ylabel="share of patients per bin")
    axis.legend(fontsize="small")
    return _png(figure)


def _table(rows: dict[str, Any], *, machine_keys: bool = False) -> str:
    """Rows of label and value; an outcome's machine keys read as human labels."""
    body = "".join(
        f"<tr><th>{html.escape(human_label(k) if machine_keys else str(k))}</th>"
        f"<td>{html.escape(_show(v))}</td></tr>"
        for k, v in rows.items()
    )
    return f"<table>{body}</table>"


def _show(value: Any) -> str:
    """A value in plain decimals (never scientific notation), lists and bands spelled out."""
    if isinstance(value, float):
        return format_number(value, digits=4)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    if hasattr(value, "tolist"):
        return ", ".join(_show(float(v)) for v in value.tolist())
    return str(value)


def _explains_alarm(trial: Trial) -> bool:
    """An alarm trial with a withdrawal outcome gets the mechanism section."""
    from itbtwin.scale._trials_pump import ReservoirAlarm
    from itbtwin.scale._withdrawal import Withdrawal

    return isinstance(trial.population.generator, ReservoirAlarm) and any(
        isinstance(o, Withdrawal) for o in trial.outcomes
    )


def write_report(result: TrialResult, path: str | Path) -> Path:
    """Write the HTML report of a finished trial to ``path`` and return the path."""
    report, trial = result.report(), result.trial
    times = trial.times_h()
    sections = []
    if _explains_alarm(trial):
        from itbtwin.scale._alarm_mechanism import explain

        sections.append(f"<h2>Mechanism: why the alarm volume matters</h2>{explain(trial)}")
    for outcome in report["outcomes"]:
        kind, title = outcome["kind"], html.escape(outcome["label"])
        if kind == "quantiles":
            body = _fan(outcome)
        else:
            plots = _share_over_time(outcome, times) if "share_over_time" in outcome else ""
            if "histogram" in outcome:
                plots += _histogram(outcome)
            hidden = ("kind", "label", "share_over_time", "histogram")
            shown = {k: v for k, v in outcome.items() if k not in hidden}
            body = plots + _table(shown, machine_keys=True)
        sections.append(f"<h2>{title}</h2>{body}")
    context = result.context()
    follow_up_days = (context.follow_up_h or float(times[-1])) / 24
    rows: dict[str, Any] = {
        "patients": report["patients"],
        "patient-years": report["patient_years"],
        "follow-up per patient (days)": round(follow_up_days, 2),
        "seed": trial.seed,
    }
    if not math.isclose(follow_up_days, trial.duration_days):
        rows["simulated concentrations (days)"] = trial.duration_days
    header = _table(rows | {"output step (h)": trial.output_step_h})
    page = (
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(trial.name)}</title>"
        f"<style>{_STYLE}</style><h1>{html.escape(trial.name)}</h1>"
        f"<p>{html.escape(trial.description)}</p>{header}{''.join(sections)}"
        "<p><small>Summaries are exact merges of integer counts: the same seed gives the same "
        "numbers for any chunk size, thread count or cluster. Quantiles are read from "
        "log-spaced bins (within 1.6% relative).</small></p>"
    )
    path = writable(path, "trial report")
    write_private(path, page)  # a write that fails (/proc, a full disk) is one line
    return path
