"""Make docs/img/mas_bolus_infusion.png: MAS and Penn after a 50 mcg bolus and after 100 mcg/day.

Run: .venv/bin/python docs/make_mas_figure.py   (the typical drug-naive adult, compact model)
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from itbtwin.patient import COMPACT, MAS_GRADES, BaclofenPk, EffectParams, effect_timing, respond
from itbtwin.sim import Regimen, bolus, infusion, output_grid, solve

CASES = (
    ("50 mcg intrathecal bolus", Regimen([bolus(50)]), 24.0),
    ("100 mcg/day continuous infusion from 0 h", Regimen([infusion(100, duration_h=72)]), 72.0),
)


def main(path: Path = Path(__file__).parent / "img" / "mas_bolus_infusion.png") -> Path:
    effect = EffectParams.typical()
    fig, axes = plt.subplots(2, 2, figsize=(12, 6), sharex="col", height_ratios=(2, 1))
    for column, (title, regimen, hours) in enumerate(CASES):
        times = output_grid(hours, 0.05)
        result = solve(
            COMPACT,
            BaclofenPk.adult(),
            regimen,
            times,
            effect_sites={"csf_lumbar": effect},
        )
        response = respond(times, result.effect_site_ng_ml("csf_lumbar"), effect)
        timing = effect_timing(response)
        onset, end = timing.onset_h[0], timing.end_h[0]
        mas, penn = axes[0][column], axes[1][column]
        mas.step(times, response.scores.mas_code[0], where="post", color="C3", lw=2, label="MAS")
        mas.set_yticks(range(len(MAS_GRADES)), MAS_GRADES)
        mas.set_ylim(-0.3, 5.3)
        mas.set_ylabel("MAS grade")
        mas.set_title(title, fontsize=10)
        ce = mas.twinx()
        ce.plot(times, response.ce_ng_ml[0], color="C0", alpha=0.6)
        ce.set_ylabel("effect site (ng/mL)", color="C0")
        penn.step(times, response.scores.penn_frequency[0], where="post", color="C4", lw=2)
        penn.set_yticks(range(5))
        penn.set_ylim(-0.3, 4.3)
        penn.set_ylabel("Penn frequency")
        penn.set_xlabel("time (h)")
        for ax in (mas, penn):
            ax.axvline(onset, color="grey", ls=":")
            ax.grid(True, alpha=0.3)
        mas.text(onset, 4.6, f" onset {onset:.1f} h", color="grey", fontsize=8)
        if end < hours:  # the visible effect ends within the run (the bolus)
            for ax in (mas, penn):
                ax.axvline(end, color="grey", ls="--")
            mas.text(end, 4.6, f" ends {end:.1f} h", color="grey", fontsize=8)
    fig.suptitle(
        "itbtwin: typical drug-naive adult, baseline MAS 3 (compact model, effect at lumbar CSF)"
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


if __name__ == "__main__":
    print(main())
