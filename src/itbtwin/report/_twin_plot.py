"""The twin's multi-panel figure: reservoir, delivery at the tip, lumbar CSF and plasma over days.

Events are markers: refills on the reservoir panel, alarm onsets, faults and programming changes on
every panel as thin vertical lines with a legend. Units on every axis; PNG or PDF via matplotlib.
"""

from __future__ import annotations

from pathlib import Path

from itbtwin.errors import ItbError
from itbtwin.files import not_a_link, writable
from itbtwin.sim import TwinOutcome

_PANELS = (
    (("reservoir_ml", "actual"), ("pump_reservoir_ml", "pump-calculated"), "reservoir (mL)"),
    (("delivered_mcg_per_h", "at the tip"), None, "delivered (mcg/h)"),
    (("csf_lumbar_ng_ml", "lumbar CSF"), None, "lumbar CSF (ng/mL)"),
    (("plasma_ng_ml", "plasma"), None, "plasma (ng/mL)"),
)
_MARKED = {"refill": "C2", "alarm": "C3", "fault": "C1", "program": "C4", "mri": "C5"}


def plot_twin(outcome: TwinOutcome, path: str | Path, title: str | None = None) -> Path:
    """Write the figure of one twin outcome to ``path`` (.png, .pdf, .svg); return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    target = not_a_link(writable(path, "plot"))  # before the figure, which `finally` closes
    days = outcome.series["time_h"] / 24
    fig, axes = plt.subplots(len(_PANELS), 1, figsize=(11, 2.4 * len(_PANELS)), sharex=True)
    for ax, (main, second, label) in zip(axes, _PANELS, strict=True):
        ax.plot(days, outcome.series[main[0]], color="C0", label=main[1], lw=1.2)
        if second is not None:
            ax.plot(days, outcome.series[second[0]], "--", color="C7", label=second[1], lw=1)
        ax.set_ylabel(label)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
    shown: set[str] = set()
    for event in outcome.events:
        color = _MARKED.get(event.kind)
        if color is None:
            continue
        for ax in axes:
            ax.axvline(
                event.time_h / 24,
                color=color,
                lw=0.8,
                alpha=0.6,
                label=event.kind if event.kind not in shown and ax is axes[0] else None,
            )
        shown.add(event.kind)
    refills = [e.time_h / 24 for e in outcome.events if e.kind == "refill"]
    if refills:
        top = max(float(outcome.series["reservoir_ml"].max()), 1.0)
        axes[0].plot(refills, [top] * len(refills), "v", color="C2", ms=7)
    axes[0].legend(loc="upper right", fontsize=8, ncol=4)
    axes[-1].set_xlabel("time (days)")
    fig.suptitle(title or outcome.scenario)
    fig.tight_layout()
    try:
        fig.savefig(target, dpi=110)
    except OSError as err:
        raise ItbError(f"cannot write the plot {str(path)!r}: {err.strerror or err}") from None
    except ValueError as err:  # a suffix matplotlib cannot write (.txt)
        raise ItbError(f"cannot write the plot {str(path)!r}: {err}") from None
    finally:
        plt.close(fig)
    return path
