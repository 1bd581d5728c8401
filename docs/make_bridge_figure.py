"""Make docs/img/bridge_bolus.png: lumbar CSF through a 500 → 2000 and a 2000 → 500 mcg/mL change
with a bridge bolus, as the twin ran it before issue 14 and now.

Before: the bridge pushed the whole pump + catheter volume (0.31 mL) out within one hour at the
bolus rate. Now: the old solution runs at the old rate until the new one reaches the tip
(`pump.bridge_plan`). 250 mcg/day throughout, SynchroMed II 20 mL, 50 cm 8709SC, a typical
75 kg adult.

Run: .venv/bin/python docs/make_bridge_figure.py
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from itbtwin.pump import Bolus, Fill, Program, Refill
from itbtwin.sim import run_twin, typical_scenario

CHANGE_H = 24.0
RUNS = (
    (True, "before issue 14: path out in 1 h", ":"),
    (False, "now: old rate until the new solution reaches the tip", "-"),
)


def change(old_c: float, new_c: float, *, fast: bool):
    """The twin's outcome of an old_c → new_c change at `CHANGE_H` with a bridge bolus."""
    base = typical_scenario(
        "bridge",
        duration="4 day",
        concentration="500 mcg/mL",
        program={"mode": "continuous", "daily_dose": "250 mcg/day"},
        output_step="0.1 h",
        patient={"weight": "75 kg", "age": "42 year"},
    )
    therapy = dataclasses.replace(
        base.therapy,
        fill=Fill(20, old_c),
        programs=(
            (0.0, Program.continuous(250, old_c)),
            (CHANGE_H, Program.continuous(250, new_c)),
        ),
        refills=(Refill(CHANGE_H, Fill(20, new_c)),),
    )
    hours = 1.0 if fast else therapy.bridge_plan(CHANGE_H).duration_h
    therapy = dataclasses.replace(therapy, boluses=(Bolus(CHANGE_H, "bridge", hours),))
    return run_twin(dataclasses.replace(base, therapy=therapy))


def main(path: Path = Path(__file__).parent / "img" / "bridge_bolus.png") -> Path:
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
    for ax, (old_c, new_c) in zip(axes, ((500.0, 2000.0), (2000.0, 500.0)), strict=True):
        for fast, label, style in RUNS:
            outcome = change(old_c, new_c, fast=fast)
            t, csf = outcome.series["time_h"] - CHANGE_H, outcome.series["csf_lumbar_ng_ml"]
            ax.plot(t, csf, style, lw=2, label=f"{label} (peak {csf[t >= 0].max():.0f} ng/mL)")
        ax.set_yscale("log")
        ax.set_title(f"{old_c:g} → {new_c:g} mcg/mL at 250 mcg/day, bridge bolus", fontsize=10)
        ax.set_xlabel("hours after the refill")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_ylabel("lumbar CSF (ng/mL, log)")
    fig.suptitle("itbtwin: the bridge bolus keeps the old dose rate (typical 75 kg adult)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


if __name__ == "__main__":
    print(main())
