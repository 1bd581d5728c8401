"""The self-describing result of a simulation (diffrax's Solution, mrgsolve's mrgsims)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from itbtwin.errors import RegimenError
from itbtwin.patient import LinearModel, Output
from itbtwin.units import NG_PER_ML_PER_MCG_PER_ML


def find_output(model: LinearModel, name: str) -> Output:
    """The output of ``model`` called ``name``; an unknown name raises `RegimenError`."""
    for output in model.outputs:
        if output.name == name:
            return output
    names = ", ".join(o.name for o in model.outputs)
    raise RegimenError(f"no output {name!r} in the {model.name} model; outputs: {names}")


@dataclass(frozen=True)
class SimulationResult:
    """Amounts in every state at the output times, with what produced them.

    - `times_h` (T,): output times, h.
    - `amounts` (n, T, S): mcg in each state of `model.states` (a bolus at t is included at t).
    - `auc_amounts` (n, T, O) or None: ∫ amount dt (mcg·h) of each output, when asked for.
    - `volumes` {output name: (n,)}: mL.
    - `given_mcg` (n, T): drug put in up to each output time.
    - `effect_sites` {output name: (n, T)}: effect-site concentration, mcg/mL, when asked for.
    """

    model: LinearModel
    params: Any
    inputs: Any
    times_h: np.ndarray
    amounts: np.ndarray
    volumes: dict[str, np.ndarray]
    given_mcg: np.ndarray
    auc_amounts: np.ndarray | None = None
    effect_sites: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_patients(self) -> int:
        """Number of patients (axis 0 of every array)."""
        return int(self.amounts.shape[0])

    def output(self, name: str) -> Output:
        """The model output called ``name`` (``csf_lumbar``, ``csf_cisternal``, ``plasma``)."""
        return find_output(self.model, name)

    def amount(self, state: str) -> np.ndarray:
        """Amount (mcg) in one state, shape (n, T)."""
        return self.amounts[:, :, self.model.states.index(state)]

    def concentration_ng_ml(self, name: str) -> np.ndarray:
        """Concentration of an output, ng/mL, shape (n, T)."""
        output = self.output(name)
        mcg_per_ml = self.amount(output.state) / self.volumes[name][:, None]
        return mcg_per_ml * NG_PER_ML_PER_MCG_PER_ML

    def auc_ng_h_ml(self, name: str) -> np.ndarray:
        """Exact cumulative AUC of an output from 0 to each time, ng·h/mL, shape (n, T)."""
        if self.auc_amounts is None:
            raise RegimenError("this simulation was run without auc=True")
        index = [o.name for o in self.model.outputs].index(name)
        mcg_h_per_ml = self.auc_amounts[:, :, index] / self.volumes[name][:, None]
        return mcg_h_per_ml * NG_PER_ML_PER_MCG_PER_ML

    def effect_site_ng_ml(self, name: str) -> np.ndarray:
        """Effect-site concentration linked to output ``name``, ng/mL, shape (n, T)."""
        if name not in self.effect_sites:
            raise RegimenError(f"this simulation tracked no effect site for {name!r}")
        return self.effect_sites[name] * NG_PER_ML_PER_MCG_PER_ML

    def mass_balance_error(self) -> np.ndarray:
        """Relative error of drug in = drug in every state (eliminated included), shape (n,)."""
        inside = self.amounts.sum(axis=2)
        scale = np.maximum(self.given_mcg.max(axis=1), 1e-300)
        return np.abs(inside - self.given_mcg).max(axis=1) / scale
