"""The response model's signals as entries of the twin's event log: when they start, change, end.

Withdrawal (the tone effect below half of the controlled effect) and overdose (levels 1-3 of the
need ratio) are model-derived (`patient._signals`); their onset, every change of overdose level
and their end are logged on the output grid, so the event log, the reports and the exports say
when they start and end, not only how many hours they lasted.
"""

from __future__ import annotations

import numpy as np

from itbtwin.display import format_elapsed_h
from itbtwin.patient import EARLY_WITHDRAWAL_FRACTION, OVERDOSE
from itbtwin.pump import PumpEvent

SIGNAL_EVENT_KINDS = (
    "withdrawal_onset",
    "withdrawal_end",
    "overdose_onset",
    "overdose_level",
    "overdose_end",
)
"""Event kinds of the signals, in the order a run may log them."""

_EARLY = "return of spasticity, pruritus, hypotension, paresthesia"


def _level(level: int) -> str:
    signal = OVERDOSE[level - 1]
    return f"level {level}, {signal.name} ({signal.symptoms})"


def signal_events(
    times_h: np.ndarray, withdrawal: np.ndarray, level: np.ndarray
) -> list[PumpEvent]:
    """Onset, level changes and end of each signal on the output grid (h).

    **Arguments:**
    - `times_h`: output times (h); `withdrawal`: True where the withdrawal signal is on;
    - `level`: the overdose level (0-3) at each time.
    """
    events: list[PumpEvent] = []
    times = np.asarray(times_h, float)
    on = np.asarray(withdrawal, bool)
    starts = np.flatnonzero(on & ~np.concatenate(([False], on[:-1])))
    for i in starts:
        t = float(times[i])
        after = np.flatnonzero(~on[i:])
        events.append(
            PumpEvent(
                t,
                "withdrawal_onset",
                f"withdrawal signal: the tone effect is below "
                f"{EARLY_WITHDRAWAL_FRACTION:.0%} of the controlled effect (early signs: {_EARLY}; "
                "model-derived)",
            )
        )
        if after.size:
            end = float(times[i + after[0]])
            events.append(
                PumpEvent(
                    end,
                    "withdrawal_end",
                    f"withdrawal signal ends after {format_elapsed_h(end - t)}",
                )
            )
    levels = np.asarray(level, int)
    before, since, highest = 0, 0.0, 0
    for t, now in zip(times.tolist(), levels.tolist(), strict=True):
        if now == before:
            continue
        if before == 0:
            since, highest = t, now
            events.append(PumpEvent(t, "overdose_onset", f"overdose signal: {_level(now)}"))
        elif now == 0:
            events.append(
                PumpEvent(
                    t,
                    "overdose_end",
                    f"overdose signal ends after {format_elapsed_h(t - since)} "
                    f"(highest level {highest})",
                )
            )
        else:
            highest = max(highest, now)
            way = "rises" if now > before else "falls"
            events.append(PumpEvent(t, "overdose_level", f"overdose signal {way} to {_level(now)}"))
        before = now
    return sorted(events, key=lambda e: e.time_h)
