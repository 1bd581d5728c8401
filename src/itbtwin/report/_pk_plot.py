"""Concentration-time plots of one simulated patient: PNG (matplotlib) or interactive HTML (Plotly).

Following the field's habits: one panel per sampling site, linear and log concentration axes, ng/mL
on every concentration axis and hours on the time axis.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from itbtwin.errors import ItbError
from itbtwin.sim import SimulationResult


def _series(result: SimulationResult, patient: int) -> list[tuple[str, np.ndarray]]:
    return [
        (output.label, result.concentration_ng_ml(output.name)[patient])
        for output in result.model.outputs
    ]


def _png(result: SimulationResult, path: Path, title: str, patient: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = _series(result, patient)
    fig, axes = plt.subplots(len(series), 2, figsize=(11, 2.8 * len(series)), squeeze=False)
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
    for ax in axes[-1]:
        ax.set_xlabel("time (h)")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _html(result: SimulationResult, path: Path, title: str, patient: int) -> None:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    series = _series(result, patient)
    fig = make_subplots(rows=len(series), cols=1, shared_xaxes=True)
    for row, (label, conc) in enumerate(series, start=1):
        fig.add_trace(go.Scatter(x=result.times_h, y=conc, name=label), row=row, col=1)
        fig.update_yaxes(title_text=f"{label} (ng/mL)", row=row, col=1)
    fig.update_xaxes(title_text="time (h)", row=len(series), col=1)
    fig.update_layout(title=title, height=280 * len(series))
    fig.write_html(path, include_plotlyjs=True, full_html=True)


def plot_concentrations(
    result: SimulationResult, path: str | Path, *, title: str = "", patient: int = 0
) -> Path:
    """Write the concentration plot to ``path``; the suffix picks the format (.png or .html)."""
    target = Path(path)
    writers = {".png": _png, ".html": _html}
    if target.suffix.lower() not in writers:
        raise ItbError(f"cannot write a plot to {target.name!r}: use a .png or .html file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    writers[target.suffix.lower()](result, target, title, patient)
    return target
