"""Withdrawal syndrome episodes from the response model, per 1,000 patient-years (`kind =
"withdrawal"`).

Each patient's tone reduction is read from their lumbar CSF concentration with the effect model
(`patient.tone_reduction`, Hill with the typical Emax and Hill coefficient, EC50 x rise factor in
use: the need the generator records as `need_ec50_ng_ml`). The lumbar level stands for the effect
site (assumption: the effect-site lag, hours, is short beside the days a reservoir takes to run
down).

Two levels, as the label and the boxed warning describe them (issue 14):

- *loss of effect* (early signs: return of baseline spasticity, pruritus; label, lioresal-isi):
  the reduction is below `fraction_of_maintenance` (0.5, `EARLY_WITHDRAWAL_FRACTION`) of the
  maintenance reduction (`MAINTENANCE_TARGET_REDUCTION`, creedon1997);
- *withdrawal syndrome* (the boxed warning's high fever, altered mental status, rebound
  spasticity, rigidity): that loss of effect *sustained* for at least `sustained_h` hours
  (24 h: the advanced syndrome evolves over 24-72 h without drug, `SEVERE_WINDOW_H`,
  neurosurgerywiki), measured from the first to the last output time in loss of effect (a lower
  bound of the true duration). Only sustained runs count as withdrawal episodes; a brief dip
  (one output time, or hours of partial delivery) is reported as loss of effect only.

The pump starts at hour 0 with no drug in CSF, but the trial's patients are on maintenance: the
first `settle_h` hours (lumbar CSF reaches steady state in ~5 half-lives of 1.5 h, label:12.3)
are counted as controlled, not as withdrawal.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field

from itbtwin.patient import (
    EARLY_WITHDRAWAL_FRACTION,
    MAINTENANCE_TARGET_REDUCTION,
    EffectParams,
    tone_reduction,
)
from itbtwin.patient._signals import SEVERE_WINDOW_H
from itbtwin.scale._counting import range_counts, sustained_counts
from itbtwin.scale._records import field_of, records_for
from itbtwin.scale._summaries import Calibration, Chunk, Context, Outcome, Tally, register_outcome

CALIBRATION: dict[str, Calibration] = {
    "output": Calibration(
        "-",
        "the concentration read as the effect site",
        "assumption",
        "lumbar CSF: the effect-site lag (hours) is short beside a reservoir's run-down (days)",
    ),
    "fraction_of_maintenance": Calibration(
        "1",
        "withdrawal: tone reduction below this share of the maintenance reduction",
        "derived",
        "EARLY_WITHDRAWAL_FRACTION, model-derived from the label's return of baseline "
        "spasticity; maintenance reduction from creedon1997",
    ),
    "sustained_h": Calibration(
        "h",
        "withdrawal syndrome: the loss of effect lasts at least this long (first to last output)",
        "neurosurgerywiki+label",
        "the boxed warning's syndrome evolves over 24-72 h without drug (SEVERE_WINDOW_H); "
        "the lower edge, so a dip shorter than a day is loss of effect, not the syndrome",
    ),
    "settle_h": Calibration(
        "h",
        "start-up hours counted as controlled (patients are on maintenance at hour 0)",
        "derived",
        "lumbar CSF steady in about 5 half-lives of 1.5 h (label:12.3)",
    ),
}
"""Every setting of `withdrawal` that calibrates the episode count (a test keeps it complete)."""


@register_outcome
class Withdrawal(Outcome):
    """Entries into model-derived withdrawal, time spent in it, and the pump's alarm counts."""

    kind: Literal["withdrawal"] = "withdrawal"
    output: str = "csf_lumbar"
    fraction_of_maintenance: float = Field(EARLY_WITHDRAWAL_FRACTION, gt=0, lt=1)
    pump_counts: list[str] = Field(default_factory=lambda: ["alarms", "refills", "falter_days"])
    sustained_h: float = Field(SEVERE_WINDOW_H[0], ge=0)
    settle_h: float = Field(24.0, ge=0)

    def needs(self) -> tuple[str, ...]:
        return (self.output,)

    def calibration(self) -> list[dict[str, Any]]:
        """Declared settings with this trial's values: name, value, unit, help, source, basis."""
        return [
            {"name": name, "value": getattr(self, name), **row._asdict()}
            for name, row in CALIBRATION.items()
        ]

    def threshold(self) -> float:
        """Tone reduction (fraction of baseline tone) below which a patient is in withdrawal."""
        return self.fraction_of_maintenance * MAINTENANCE_TARGET_REDUCTION

    def empty(self, times_h: np.ndarray) -> Tally:
        return Tally(
            episodes=np.zeros(1, np.int64),
            patients=np.zeros(1, np.int64),
            in_withdrawal=np.zeros(times_h.size, np.int64),
            loss_episodes=np.zeros(1, np.int64),
            loss_patients=np.zeros(1, np.int64),
            pump=np.zeros(len(self.pump_counts), np.int64),
        )

    def reduction(self, series: np.ndarray, need: np.ndarray, times_h: np.ndarray) -> np.ndarray:
        """Tone reduction (T, n) from concentrations ``series`` (T, n, ng/mL) of patients whose
        EC50 in use is ``need`` (n,, ng/mL); the first `settle_h` hours read as controlled (1)."""
        need = np.asarray(need, float)
        effect = EffectParams.typical().replace(ec50_ng_ml=need, tolerance=np.ones_like(need))
        reduction = tone_reduction(np.maximum(series.T, 0.0), effect).T
        reduction[times_h < self.settle_h] = 1.0  # start-up of the pump: controlled
        return np.ascontiguousarray(reduction)

    def threshold_ng_ml(self, need: float) -> float:
        """The concentration (ng/mL) at which a patient with EC50 in use ``need`` crosses the
        threshold (bisection on the effect model itself: the reduction rises with concentration)."""
        low, high = 0.0, 1e6
        effect = EffectParams.typical().replace(ec50_ng_ml=need, tolerance=1.0)
        for _ in range(100):
            middle = (low + high) / 2
            below = tone_reduction(np.array(middle), effect) < self.threshold()
            low, high = (middle, high) if below else (low, middle)
        return high

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        records = records_for(chunk)
        need = field_of(records, "need_ec50_ng_ml")
        reduction = self.reduction(chunk.of(self.output), need, chunk.times_h)
        _, entries, patients = range_counts(reduction, -np.inf, self.threshold())
        tally["loss_episodes"] += entries
        tally["loss_patients"] += patients
        below = reduction < self.threshold()
        per_time, runs, patients = sustained_counts(below, chunk.times_h, self.sustained_h)
        tally["in_withdrawal"] += per_time
        tally["episodes"] += runs
        tally["patients"] += patients
        for i, name in enumerate(self.pump_counts):
            tally["pump"][i] += np.asarray(field_of(records, name), np.int64).sum()

    def report(self, tally: Tally, context: Context) -> dict[str, Any]:
        share = tally["in_withdrawal"] / context.n_patients
        episodes = int(tally["episodes"][0])
        return {
            "episodes": episodes,
            "per_1000_patient_years": 1000 * episodes / context.patient_years,
            "share_of_patients": int(tally["patients"][0]) / context.n_patients,
            "withdrawal_days_per_patient_year": float(share @ context.hours_weights())
            / 24
            / (context.patient_years / context.n_patients),
            "share_over_time": share,
            "pump_per_1000_patient_years": {
                name: 1000 * int(n) / context.patient_years
                for name, n in zip(self.pump_counts, tally["pump"], strict=True)
            },
            "loss_of_effect_episodes": int(tally["loss_episodes"][0]),
            "loss_of_effect_share_of_patients": int(tally["loss_patients"][0]) / context.n_patients,
            "threshold_tone_reduction": self.threshold(),
            "criterion": (
                f"tone reduction below {self.fraction_of_maintenance:.0%} of the maintenance "
                f"reduction for at least {self.sustained_h:g} h (withdrawal syndrome)"
            ),
        }
