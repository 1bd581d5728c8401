"""The drug path from the pump to the catheter tip: plug flow of slugs of solution.

The reservoir is well mixed; what leaves it enters the pump's internal tubing, then the catheter,
first in first out. So after a concentration change the old solution still in the path reaches the
tip first, at the new rate, unless a bridge bolus clears it, and an empty (new or revised) catheter
delivers no drug until it is primed [synchromed2:S13, S15; pumps.md §8.8]. Volumes mL, mcg/mL.
"""

from __future__ import annotations

from collections import deque

from itbtwin.errors import DeviceError

EPS_ML = 1e-12
"""Slugs thinner than this (mL) are float noise and leave with their neighbour."""


class DrugPath:
    """Slugs [volume mL, concentration mcg/mL] from inlet (index 0) to outlet (index -1)."""

    def __init__(self, pump_ml: float, catheter_ml: float, pump_c: float, catheter_c: float):
        if pump_ml < 0 or catheter_ml <= 0:
            raise DeviceError("the drug path needs a pump volume >= 0 and a catheter volume > 0")
        self.catheter_ml = catheter_ml
        self.slugs: deque[list[float]] = deque()
        self._push_inlet(pump_ml, pump_c)
        self._push_inlet(catheter_ml, catheter_c)
        self.slugs.reverse()  # the catheter part sits at the outlet

    def _push_inlet(self, volume: float, concentration: float) -> None:
        if volume <= EPS_ML:
            return
        if self.slugs and self.slugs[0][1] == concentration:
            self.slugs[0][0] += volume
        else:
            self.slugs.appendleft([volume, concentration])

    @property
    def volume_ml(self) -> float:
        """Total volume of solution in the path (mL)."""
        return sum(v for v, _ in self.slugs)

    @property
    def mass_mcg(self) -> float:
        """Drug in the path (mcg)."""
        return sum(v * c for v, c in self.slugs)

    @property
    def outlet_c(self) -> float:
        """Concentration now reaching the tip (mcg/mL)."""
        return self.slugs[-1][1]

    @property
    def outlet_ml(self) -> float:
        """Volume of the slug at the tip: how much can leave before the concentration changes."""
        return self.slugs[-1][0]

    def push(self, volume: float, concentration: float) -> float:
        """Push ``volume`` mL at ``concentration`` in; return the drug (mcg) leaving at the tip."""
        if volume < 0:
            raise DeviceError("cannot push a negative volume through the drug path")
        self._push_inlet(volume, concentration)
        return self._pop(volume)

    def _pop(self, volume: float) -> float:
        out = 0.0
        while volume > 0 and self.slugs:
            slug = self.slugs[-1]
            take = min(volume, slug[0])
            out += take * slug[1]
            slug[0] -= take
            volume -= take
            if slug[0] <= EPS_ML and len(self.slugs) > 1:
                out += slug[0] * slug[1]
                self.slugs.pop()
        return out

    def replace_catheter(self, catheter_ml: float) -> tuple[float, float]:
        """Swap the catheter for a new, empty one; return the old catheter's (mL, mcg) removed."""
        if catheter_ml <= 0:
            raise DeviceError("a catheter needs a positive internal volume")
        removed_ml = min(self.catheter_ml, self.volume_ml)
        removed_mcg = self._pop(removed_ml)
        self.slugs.append([catheter_ml, 0.0])
        self.catheter_ml = catheter_ml
        return removed_ml, removed_mcg
