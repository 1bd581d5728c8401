"""Steady state of a linear model under a constant input, straight from its rate matrix."""

from __future__ import annotations

from typing import Any

import numpy as np

from itbtwin.errors import RegimenError
from itbtwin.patient._model import LinearModel


def steady_state_gain(model: LinearModel, params: Any, route: str, output: str) -> np.ndarray:
    """Steady-state concentration of ``output`` per unit input rate on ``route``, (n,).

    Units: mcg/mL per mcg/h (= h/mL). Exact: the non-sink states solve K a = −u [derived].
    """
    gains = steady_state_gains(model, params, route)
    if output not in gains:
        raise RegimenError(f"no output {output!r} in the {model.name} model")
    return gains[output]


def steady_state_gains(model: LinearModel, params: Any, route: str) -> dict[str, np.ndarray]:
    """`steady_state_gain` of every output, from one solve (the twin reads all three at each
    run: issue 13)."""
    if route not in model.routes:
        raise RegimenError(f"the {model.name} model has no route {route!r}")
    k = model.matrix(params)
    live = [i for i, s in enumerate(model.states) if s not in model.sinks]
    u = np.zeros(len(live))
    u[live.index(model.states.index(model.routes[route]))] = 1.0
    block = k[:, live][:, :, live]
    amounts = -np.linalg.solve(block, np.broadcast_to(u, (k.shape[0], len(live)))[..., None])
    return {
        o.name: amounts[:, live.index(model.states.index(o.state)), 0] / model.volume(params, o)
        for o in model.outputs
    }
