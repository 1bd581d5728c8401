"""Tolerance through the twin's timeline: it fades while no drug reaches the tip, and builds back
slowly once delivery resumes.

During an interruption (no intrathecal drug: an empty reservoir, a stalled motor, a blocked or
broken catheter) tolerance fades towards 1 (drug-naive) with `DriftModel.holiday_tau_d` = 7 days
(`patient._drift.after_interruption`, assumption; heetla2009: a drug holiday lowered the dose).
Once delivery resumes it builds back towards the patient's settled value with the rise time
constant `DriftModel.rise_tau_y` (heetla2009: the rise is 95% complete at 18 months). So a
full-dose restart after a long interruption meets a lower need, the overdose the label warns of at
re-introduction (overdose1991: ~6 h after restarting 27-55 mcg/h after a drug holiday).
"""

from __future__ import annotations

import numpy as np

from itbtwin.patient import DriftModel
from itbtwin.pump import Delivery

HOURS_PER_DAY = 24.0
HOURS_PER_YEAR = 365.25 * 24


def interruptions(delivery: Delivery) -> list[tuple[float, float]]:
    """Spans (start h, end h) in which no drug reaches the catheter tip."""
    ends = np.append(delivery.breakpoints_h[1:], delivery.span_h)
    dry = (delivery.intrathecal_mcg_per_h <= 0) & (delivery.intrathecal_bolus_mcg <= 0)
    spans: list[tuple[float, float]] = []
    for start, end, off in zip(delivery.breakpoints_h, ends, dry, strict=True):
        if not off or end <= start:
            continue
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], float(end))
        else:
            spans.append((float(start), float(end)))
    return spans


def tolerance_course(
    delivery: Delivery, times_h: np.ndarray, settled: float, drift: DriftModel | None = None
) -> np.ndarray:
    """The tolerance factor at each output time (h), from ``settled`` at hour 0.

    **Arguments:**
    - `delivery`: the pump's output (its interruptions).
    - `times_h`: output times (h from the scenario start, ascending).
    - `settled`: the patient's tolerance on the prescription (≥ 1).
    - `drift`: fade (`holiday_tau_d`, days) and rebuild (`rise_tau_y`, years) time constants.
    """
    drift = drift or DriftModel()
    fade_h = drift.holiday_tau_d * HOURS_PER_DAY
    rise_h = drift.rise_tau_y * HOURS_PER_YEAR
    times = np.asarray(times_h, float)
    spans = interruptions(delivery)
    if settled <= 1 or not spans:
        return np.full(times.shape, float(settled))
    edges = np.array(sorted({0.0, *(t for span in spans for t in span), *times.tolist()}))
    starts, ends = np.array(spans).T
    middle = (edges[:-1] + edges[1:]) / 2
    k = np.searchsorted(starts, middle, side="right") - 1
    off = (k >= 0) & (middle < ends[np.maximum(k, 0)])
    decay = np.exp(-np.diff(edges) / np.where(off, fade_h, rise_h))
    values = np.empty(edges.size)
    values[0] = value = float(settled)
    for i, (fading, factor) in enumerate(zip(off.tolist(), decay.tolist(), strict=True)):
        target = 1.0 if fading else settled  # fade towards 1, rebuild towards the settled value
        value = target + (value - target) * factor
        values[i + 1] = value
    return values[np.searchsorted(edges, times)]
