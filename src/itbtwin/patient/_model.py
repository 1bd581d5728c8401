"""What the exact solver needs to know about a linear PK model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True)
class Output:
    """An observed concentration: the state it reads and the volume (mL) that divides it."""

    name: str
    state: str
    label: str
    disposition: tuple[str, ...]
    """States whose slowest eigenvalue sets this output's terminal half-life; empty for a segment
    of a chain (spatial model), whose half-life is read from the decline after a bolus."""


class LinearModel(Protocol):
    """A linear compartment model dA/dt = K A + u; amounts mcg, time h.

    `states` names every compartment (including cumulative elimination sinks, so drug mass is
    conserved); `routes` maps a route of administration to the state it doses.
    """

    name: str
    states: tuple[str, ...]
    routes: dict[str, str]
    outputs: tuple[Output, ...]
    sinks: tuple[str, ...]

    def matrix(self, params: Any) -> np.ndarray:
        """The rate matrix K, shape (n_patients, S, S), 1/h."""
        ...

    def volume(self, params: Any, output: Output) -> np.ndarray:
        """The volume (mL) of an output, shape (n_patients,)."""
        ...
