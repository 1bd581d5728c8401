"""What the pump delivered: piecewise-constant rates at the tip, the reservoir, refills, the ledger.

Every array has one entry per breakpoint; a rate holds from its breakpoint to the next (the last to
the end of the span), a bolus is given at its breakpoint. Reservoir volumes are linear in between.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itbtwin.pump._alarms import PumpEvent


@dataclass(frozen=True)
class Ledger:
    """Where the drug (mcg) and solution (mL) went; filled = the sum of the other accounts.

    `removed`: withdrawn at refills and old catheters taken out; `leaked`: out of a broken
    catheter into tissue; `pocket`: injected into the pocket at a refill; `delivered`: at the tip.
    """

    filled: tuple[float, float]
    reservoir: tuple[float, float]
    path: tuple[float, float]
    delivered: tuple[float, float]
    leaked: tuple[float, float]
    pocket: tuple[float, float]
    removed: tuple[float, float]

    def balance_error(self) -> tuple[float, float]:
        """filled − (reservoir + path + delivered + leaked + pocket + removed), (mcg, mL)."""
        accounts = (
            self.reservoir,
            self.path,
            self.delivered,
            self.leaked,
            self.pocket,
            self.removed,
        )
        return tuple(self.filled[i] - sum(a[i] for a in accounts) for i in (0, 1))  # type: ignore[return-value]


@dataclass(frozen=True)
class RefillReport:
    """One refill visit, as the programmer and the syringe see it [wesemann2014, maino2017].

    - `expected_ml`: residual the pump calculated; `withdrawn_ml`: residual actually aspirated.
    - `error_pct`: delivered volume versus programmed since the last fill, %.
    - `pocket_discrepancy_ml`: injected minus what reached the reservoir; `pocket_fill_flag` when
      it exceeds the device threshold.
    """

    time_h: float
    expected_ml: float
    withdrawn_ml: float
    error_pct: float
    injected_ml: float
    concentration_mcg_per_ml: float
    product: str
    pocket_discrepancy_ml: float
    pocket_fill_flag: bool

    @property
    def discrepancy_ml(self) -> float:
        """Withdrawn minus expected residual (mL): positive means the pump delivered less."""
        return self.withdrawn_ml - self.expected_ml


@dataclass(frozen=True)
class Delivery:
    """The pump's output over `span_h` hours (rates mcg/h, volumes mL)."""

    span_h: float
    breakpoints_h: np.ndarray
    intrathecal_mcg_per_h: np.ndarray
    tissue_mcg_per_h: np.ndarray
    intrathecal_bolus_mcg: np.ndarray
    subcutaneous_bolus_mcg: np.ndarray
    programmed_mcg_per_h: np.ndarray
    reservoir_ml: np.ndarray
    reservoir_slope_ml_per_h: np.ndarray
    estimate_ml: np.ndarray
    estimate_slope_ml_per_h: np.ndarray
    events: tuple[PumpEvent, ...]
    refills: tuple[RefillReport, ...]
    ledger: Ledger

    def _segment(self, times_h: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.breakpoints_h, np.asarray(times_h, float), side="right") - 1

    def reservoir_at(self, times_h: np.ndarray, estimate: bool = False) -> np.ndarray:
        """Actual (or pump-calculated) reservoir volume (mL) at elapsed hours."""
        times_h = np.asarray(times_h, float)
        i = self._segment(times_h)
        base, slope = (
            (self.estimate_ml, self.estimate_slope_ml_per_h)
            if estimate
            else (self.reservoir_ml, self.reservoir_slope_ml_per_h)
        )
        return base[i] + slope[i] * (times_h - self.breakpoints_h[i])

    def cumulative_mcg(
        self, times_h: np.ndarray, which: str = "intrathecal", at_time: bool = True
    ) -> np.ndarray:
        """Drug delivered up to each time, mcg; boluses exactly at a time count if ``at_time``.

        ``which``: ``intrathecal`` (at the tip), ``tissue`` (leaked + pocket) or ``programmed``.
        """
        rates, boluses = {
            "intrathecal": (self.intrathecal_mcg_per_h, self.intrathecal_bolus_mcg),
            "tissue": (self.tissue_mcg_per_h, self.subcutaneous_bolus_mcg),
            "programmed": (self.programmed_mcg_per_h, np.zeros_like(self.breakpoints_h)),
        }[which]
        spans = np.diff(self.breakpoints_h, append=self.span_h)
        before = np.concatenate(([0.0], np.cumsum(rates * spans + boluses)))
        times_h = np.asarray(times_h, float)
        i = self._segment(times_h)
        exact = at_time | (times_h != self.breakpoints_h[i])
        return before[i] + boluses[i] * exact + rates[i] * (times_h - self.breakpoints_h[i])

    def events_of(self, kind: str, alarm: str = "") -> list[PumpEvent]:
        """Events of one kind (and alarm), in time order."""
        return [e for e in self.events if e.kind == kind and (not alarm or e.alarm == alarm)]
