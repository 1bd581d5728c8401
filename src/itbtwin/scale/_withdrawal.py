"""Withdrawal episodes from the response model, per 1,000 patient-years (`kind = "withdrawal"`).

Each patient's tone reduction is read from their lumbar CSF concentration with the effect model
(`patient.tone_reduction`, Hill with the typical Emax and Hill coefficient, EC50 x rise factor in
use: the need the generator records as `need_ec50_ng_ml`). The lumbar level stands for the effect
site (assumption: the effect-site lag, hours, is short beside the days a reservoir takes to run
down). A patient is in withdrawal while the reduction is below `EARLY_WITHDRAWAL_FRACTION` (0.5,
model-derived from the label's "return of baseline spasticity") of the maintenance reduction
(`MAINTENANCE_TARGET_REDUCTION`, creedon1997). An episode is an entry into withdrawal between
two output times (time 0 is not an entry). The pump starts at hour 0 with no drug in CSF, but the
trial's patients are on maintenance: the first `settle_h` hours (lumbar CSF reaches steady state
in ~5 half-lives of 1.5 h, label:12.3) are counted as controlled, not as withdrawal.
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
from itbtwin.scale._counting import range_counts
from itbtwin.scale._records import field_of, records_for
from itbtwin.scale._summaries import Chunk, Context, Outcome, Tally, register_outcome


@register_outcome
class Withdrawal(Outcome):
    """Entries into model-derived withdrawal, time spent in it, and the pump's alarm counts."""

    kind: Literal["withdrawal"] = "withdrawal"
    output: str = "csf_lumbar"
    fraction_of_maintenance: float = Field(EARLY_WITHDRAWAL_FRACTION, gt=0, lt=1)
    pump_counts: list[str] = Field(default_factory=lambda: ["alarms", "refills", "falter_days"])
    settle_h: float = Field(24.0, ge=0)

    def needs(self) -> tuple[str, ...]:
        return (self.output,)

    def threshold(self) -> float:
        """Tone reduction (fraction of baseline tone) below which a patient is in withdrawal."""
        return self.fraction_of_maintenance * MAINTENANCE_TARGET_REDUCTION

    def empty(self, times_h: np.ndarray) -> Tally:
        return Tally(
            episodes=np.zeros(1, np.int64),
            patients=np.zeros(1, np.int64),
            in_withdrawal=np.zeros(times_h.size, np.int64),
            pump=np.zeros(len(self.pump_counts), np.int64),
        )

    def collect(self, chunk: Chunk, tally: Tally) -> None:
        records = records_for(chunk)
        need = np.asarray(field_of(records, "need_ec50_ng_ml"), float)
        effect = EffectParams.typical().replace(ec50_ng_ml=need, tolerance=np.ones_like(need))
        reduction = tone_reduction(np.maximum(chunk.of(self.output).T, 0.0), effect)
        reduction[:, chunk.times_h < self.settle_h] = 1.0  # start-up of the pump: controlled
        per_time, entries, patients = range_counts(
            np.ascontiguousarray(reduction.T), -np.inf, self.threshold()
        )
        tally["in_withdrawal"] += per_time
        tally["episodes"] += entries
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
            "threshold_tone_reduction": self.threshold(),
        }
