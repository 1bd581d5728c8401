"""Piecewise-constant inputs: the one form of dosing the exact solver integrates.

A regimen of dose events, or a pump's delivery log, compiles into breakpoints with a constant input
rate (mcg/h) into each state between them and boluses (mcg) at them. Arrays may carry the patient on
axis 0, so every patient of a batch can have their own delivery.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itbtwin.errors import RegimenError
from itbtwin.patient import LinearModel
from itbtwin.sim._events import Regimen


@dataclass(frozen=True)
class InputSchedule:
    """Inputs between breakpoints.

    - `breakpoints_h` (B,): increasing times, h; the first is 0.
    - `rates` (B, S) or (n, B, S): mcg/h into each state from breakpoint b to b + 1 (the last
      rate holds to the end of the simulation).
    - `boluses` (B, S) or (n, B, S): mcg added to each state at breakpoint b.
    """

    breakpoints_h: np.ndarray
    rates: np.ndarray
    boluses: np.ndarray

    def __post_init__(self) -> None:
        b = self.breakpoints_h
        if b.ndim != 1 or b.size == 0 or b[0] != 0 or np.any(np.diff(b) <= 0):
            raise RegimenError("breakpoints must start at 0 h and increase strictly")
        if self.rates.shape != self.boluses.shape or self.rates.shape[-2] != b.size:
            raise RegimenError("rates and boluses must have one row per breakpoint")
        if np.any(self.rates < 0) or np.any(self.boluses < 0):
            raise RegimenError("input rates and boluses must not be negative")

    @property
    def batched(self) -> bool:
        """True when the inputs differ per patient (patient on axis 0)."""
        return self.rates.ndim == 3

    def total_mcg(self, times_h: np.ndarray | float) -> np.ndarray:
        """Drug put in over [0, t] for each time t (boluses at t included), mcg.

        Shape ``(..., T)`` for T times (patient axis first when batched); a scalar time gives
        ``(...,)``. Exact: the cumulative sum of boluses plus the integral of the rates.
        """
        b = self.breakpoints_h
        t = np.asarray(times_h, float)
        rate = self.rates.sum(axis=-1)  # (..., B) mcg/h
        infused_at = np.concatenate(
            [np.zeros((*rate.shape[:-1], 1)), np.cumsum(rate[..., :-1] * np.diff(b), axis=-1)],
            axis=-1,
        )
        given_at = np.cumsum(self.boluses.sum(axis=-1), axis=-1)
        k = np.searchsorted(b, t, side="right") - 1
        if np.any(k < 0):
            raise RegimenError("times before 0 h have no inputs")
        return given_at[..., k] + infused_at[..., k] + rate[..., k] * (t - b[k])

    @classmethod
    def from_routes(
        cls,
        model: LinearModel,
        breakpoints_h: np.ndarray,
        rates: dict[str, np.ndarray] | None = None,
        boluses: dict[str, np.ndarray] | None = None,
    ) -> InputSchedule:
        """Build a schedule from per-route arrays of shape (B,) or (n, B) (mcg/h and mcg)."""
        rates, boluses = rates or {}, boluses or {}
        arrays = [np.asarray(a, float) for a in (*rates.values(), *boluses.values())]
        lead = arrays[0].shape[:-1] if arrays else ()
        shape = (*lead, len(breakpoints_h), len(model.states))
        rate_out, bolus_out = np.zeros(shape), np.zeros(shape)
        for source, target in ((rates, rate_out), (boluses, bolus_out)):
            for route, values in source.items():
                target[..., _state_index(model, route)] += np.asarray(values, float)
        return cls(np.asarray(breakpoints_h, float), rate_out, bolus_out)


def _state_index(model: LinearModel, route: str) -> int:
    try:
        return model.states.index(model.routes[route])
    except KeyError:
        raise RegimenError(
            f"the {model.name} model has no route {route!r}; routes: {', '.join(model.routes)}"
        ) from None


def compile_regimen(model: LinearModel, regimen: Regimen) -> InputSchedule:
    """Turn dose events into breakpoints, constant rates and boluses for ``model``."""
    events = regimen.expand().events
    times = {0.0}
    for e in events:
        times.add(e.time_h)
        if e.is_infusion:
            times.add(e.time_h + e.duration_h)
    breakpoints = np.array(sorted(times))
    rates = np.zeros((breakpoints.size, len(model.states)))
    boluses = np.zeros_like(rates)
    for e in events:
        state = _state_index(model, e.route)
        start = np.searchsorted(breakpoints, e.time_h)
        if e.is_bolus:
            boluses[start, state] += e.amount_mcg
        else:
            stop = np.searchsorted(breakpoints, e.time_h + e.duration_h)
            rates[start:stop, state] += e.rate_mcg_per_h
    return InputSchedule(breakpoints, rates, boluses)
