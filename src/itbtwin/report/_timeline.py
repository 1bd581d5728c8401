"""The time axis of the report's twin figures, and the pump events marked on every panel.

Elapsed hours become calendar dates when the scenario has a start (local wall time at the start,
elapsed hours added, so a daylight-saving night shifts the axis by at most an hour), else days.
Events follow the field's habit: thin vertical lines in one colour per kind, one legend entry each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes

from itbtwin.pump import PumpEvent

MARKED_KINDS = {
    "refill": ("refill", "C2"),
    "alarm": ("alarm onset", "C3"),
    "fault": ("fault", "C1"),
    "reservoir_dry": ("fault", "C1"),
    "pocket_fill_suspected": ("fault", "C1"),
    "no_bridge_bolus": ("fault", "C1"),
    "program": ("program change", "C4"),
    "catheter_revision": ("procedure", "C5"),
    "mri": ("procedure", "C5"),
}
"""Event kind → (legend label, colour) of the vertical event lines."""


@dataclass(frozen=True)
class Timeline:
    """Maps elapsed hours to the x axis: dates from `start` (naive local time) or days."""

    start: datetime | None = None
    zone: str = ""

    @property
    def label(self) -> str:
        """The x axis label, with its unit or time zone."""
        if self.start is None:
            return "time (days)"
        return f"date ({self.zone})" if self.zone else "date"

    def x(self, hours: np.ndarray | float) -> np.ndarray:
        """x values of elapsed hours (h): datetime64 from the start, or days."""
        hours = np.asarray(hours, float)
        if self.start is None:
            return hours / 24
        seconds = np.round(hours * 3600).astype("timedelta64[s]")
        return np.datetime64(self.start.replace(tzinfo=None), "s") + seconds

    def at(self, hours: float) -> np.datetime64 | np.floating:
        """The x value of one elapsed hour (h), as a scalar."""
        return self.x(hours)[()]

    def style(self, ax: Axes) -> None:
        """Concise date ticks (or plain days) and the axis label."""
        if self.start is not None:
            locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel(self.label)


def marked(events: tuple[PumpEvent, ...]) -> list[tuple[PumpEvent, str, str]]:
    """(event, label, colour) of the events worth a line; the program at hour 0 is no change."""
    out = []
    for event in events:
        if event.kind in MARKED_KINDS and not (event.kind == "program" and event.time_h == 0):
            label, colour = MARKED_KINDS[event.kind]
            out.append((event, label, colour))
    return out


def mark_events(ax: Axes, events: tuple[PumpEvent, ...], timeline: Timeline) -> None:
    """Draw each marked event as a thin vertical line, one legend label per kind."""
    seen: set[str] = set()
    for event, label, colour in marked(events):
        ax.axvline(
            timeline.at(event.time_h),
            color=colour,
            lw=0.9,
            alpha=0.7,
            ls="-" if label != "program change" else "--",
            label=None if label in seen else label,
        )
        seen.add(label)
