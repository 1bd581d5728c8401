"""Concentration-time plots of one simulated patient: PNG (matplotlib) or interactive HTML (Plotly).

Following the field's habits: one panel per sampling site, linear and log concentration axes, ng/mL
on every concentration axis and hours on the time axis.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from itbtwin.errors import ItbError
from itbtwin.files import not_a_link, writable
from itbtwin.patient import MAS_GRADES, Response
from itbtwin.sim import SimulationResult


def _series(result: SimulationResult, patient: int) -> list[tuple[str, np.ndarray]]:
    return [
        (output.label, result.concentration_ng_ml(output.name)[patient])
        for output in result.model.outputs
    ]


def _effect_axes(ax, times: np.ndarray, response: Response, patient: int) -> None:  # type: ignore[no-untyped-def]
    """MAS grade (steps, left) and, with a Penn baseline, Penn spasm frequency (steps, right)."""
    from itbtwin.report._twin_figures import align_penn  # matplotlib, only when plotting

    scores = response.scores
    assert scores is not None  # plotted only for a response from a baseline
    ax.step(times, scores.mas_code[patient], where="post", color="C3", label="MAS")
    ax.set_yticks(range(len(MAS_GRADES)), MAS_GRADES)
    ax.set_ylim(-0.3, len(MAS_GRADES) - 0.7)
    ax.set_ylabel("MAS grade")
    ax.grid(True, alpha=0.3)
    if scores.penn_frequency is None:
        return
    twin = ax.twinx()
    twin.step(times, scores.penn_frequency[patient], where="post", color="C4", ls="--")
    align_penn(ax, twin)
    twin.set_ylabel("Penn frequency (dashed)")


def _png(
    result: SimulationResult, path: Path, title: str, patient: int, response: Response | None
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = _series(result, patient)
    rows = len(series) + (response is not None)
    fig, axes = plt.subplots(rows, 2, figsize=(11, 2.8 * rows), squeeze=False)
    for row, (label, conc) in enumerate(series):
        for col, scale in enumerate(("linear", "log")):
            ax = axes[row][col]
            shown = np.where(conc > 0, conc, np.nan) if scale == "log" else conc
            ax.plot(result.times_h, shown, color=f"C{row}")
            ax.set_yscale(scale)
            ax.set_ylabel(f"{label} (ng/mL)")
            ax.grid(True, alpha=0.3, which="both")
            ax.set_title(f"{label}, {scale} axis", fontsize=9)
        axes[row][0].set_ylim(bottom=0)
    if response is not None:
        _effect_axes(axes[-1][0], result.times_h, response, patient)
        axes[-1][0].set_title("muscle tone and spasms (ordinal scores)", fontsize=9)
        axes[-1][1].plot(result.times_h, response.ce_ng_ml[patient], color="C5")
        axes[-1][1].set_ylabel("effect site (ng/mL)")
        axes[-1][1].grid(True, alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("time (h)")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _html(
    result: SimulationResult, path: Path, title: str, patient: int, response: Response | None
) -> None:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    series = _series(result, patient)
    rows = len(series) + (response is not None)
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True)
    for row, (label, conc) in enumerate(series, start=1):
        fig.add_trace(go.Scatter(x=result.times_h, y=conc, name=label), row=row, col=1)
        fig.update_yaxes(title_text=f"{label} (ng/mL)", row=row, col=1)
    if response is not None and response.scores is not None:  # scores: checked by the caller
        grades = response.scores.mas_grade[patient]
        codes = response.scores.mas_code[patient]
        fig.add_trace(
            go.Scatter(x=result.times_h, y=codes, text=grades, name="MAS", line_shape="hv"),
            row=rows,
            col=1,
        )
        fig.update_yaxes(
            title_text="MAS grade",
            tickvals=list(range(len(MAS_GRADES))),
            ticktext=list(MAS_GRADES),
            row=rows,
            col=1,
        )
    fig.update_xaxes(title_text="time (h)", row=rows, col=1)
    fig.update_layout(title=title, height=280 * rows)
    fig.write_html(path, include_plotlyjs=True, full_html=True)


def plot_concentrations(
    result: SimulationResult,
    path: str | Path,
    *,
    title: str = "",
    patient: int = 0,
    response: Response | None = None,
) -> Path:
    """Write the concentration plot to ``path``; the suffix picks the format (.png or .html).

    With a `response` with scores (from a baseline), a last panel shows the MAS grade and, with a
    Penn baseline, the Penn spasm frequency over time.
    """
    if response is not None and response.scores is None:
        response = None  # no baseline, no scores to plot
    target = Path(path)
    writers = {".png": _png, ".html": _html}
    if target.suffix.lower() not in writers:
        raise ItbError(f"cannot write a plot to {target.name!r}: use a .png or .html file name")
    not_a_link(writable(target, "plot"))
    try:
        writers[target.suffix.lower()](result, target, title, patient, response)
    except OSError as err:
        raise ItbError(f"cannot write the plot {str(target)!r}: {err.strerror or err}") from None
    return target
