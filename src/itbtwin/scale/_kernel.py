"""The fast exact kernel: per-patient propagators on a planned grid, marched by a chosen backend.

Same mathematics as `itbtwin.sim.solve` (exact for piecewise-constant inputs), organised for
populations: the plan (`_plan`) finds the distinct step lengths and the live states once, the
backend computes Φ and Γ once per patient per distinct step, the input terms Γ·u once per
(step, input segment), and the march costs r² multiply-adds per patient per grid step.
Backends: "numba" (compiled, default), "numpy" (SciPy expm + einsum), "jax" (optional extra).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Literal

import numpy as np

from itbtwin.errors import ParameterError
from itbtwin.patient import LinearModel
from itbtwin.scale._plan import make_plan
from itbtwin.sim import InputSchedule, Regimen, compile_regimen
from itbtwin.units import NG_PER_ML_PER_MCG_PER_ML

Backend = Literal["numpy", "numba", "jax"]
BACKENDS: tuple[Backend, ...] = ("numba", "numpy", "jax")


def backend_module(name: str) -> ModuleType:
    """The module implementing ``propagators`` and ``march`` for a backend name."""
    if name == "numba":
        from itbtwin.scale import _kernel_numba as module
    elif name == "numpy":
        from itbtwin.scale import _kernel_numpy as module
    elif name == "jax":
        from itbtwin.scale import _kernel_jax as module
    else:
        raise ParameterError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    return module


def _march(
    model: LinearModel,
    params: Any,
    inputs: Regimen | InputSchedule,
    times_h: np.ndarray,
    wanted: list[int],
    scale: np.ndarray | None,
    backend: str,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Run the kernel; output o reads state wanted[o], times scale[o] (O, n; None: amounts)."""
    module = backend_module(backend)
    schedule = compile_regimen(model, inputs) if isinstance(inputs, Regimen) else inputs
    k = model.matrix(params)
    n = k.shape[0]
    if schedule.batched and schedule.rates.shape[0] != n:
        raise ParameterError(
            f"the inputs are for {schedule.rates.shape[0]} patients, the parameters for {n}"
        )
    plan = make_plan(schedule, times_h, k, wanted)
    shape = (len(wanted), plan.record.size, n)
    if out is None:
        out = np.empty(shape)
    elif out.shape != shape or out.dtype != np.float64 or not out.flags.c_contiguous:
        raise ParameterError(f"the output buffer must be a C-contiguous float64 array {shape}")
    live = plan.states
    if live.size == 0:
        out[:] = 0.0
        return out
    k_live = np.ascontiguousarray(np.moveaxis(k[:, live][:, :, live], 0, -1))
    phi, gamma = module.propagators(k_live, plan.steps_h)
    rates = np.moveaxis(schedule.rates[..., live], 0, -1) if schedule.batched else None
    g = np.empty((plan.pairs.shape[0], live.size, n))
    for c, (d, segment) in enumerate(plan.pairs):
        if rates is None:
            g[c] = np.einsum("imn,m->in", gamma[d], schedule.rates[segment, live])
        else:
            g[c] = np.einsum("imn,mn->in", gamma[d], rates[segment])
    boluses = schedule.boluses[..., live]
    bolus = (
        np.ascontiguousarray(np.moveaxis(boluses, 0, -1))
        if schedule.batched
        else np.broadcast_to(boluses[:, :, None], (*boluses.shape, n))
    )
    position = {int(state): i for i, state in enumerate(live)}
    select = np.array([position.get(state, -1) for state in wanted], dtype=np.int64)
    args = (plan.step_of, plan.pair_of, plan.bolus_at, plan.record, select)
    factors = np.ones((len(wanted), n)) if scale is None else np.ascontiguousarray(scale, float)
    module.march(phi, g, bolus, *args, factors, out)
    return out


def amounts(
    model: LinearModel,
    params: Any,
    inputs: Regimen | InputSchedule,
    times_h: np.ndarray,
    *,
    backend: Backend = "numba",
) -> np.ndarray:
    """Amount (mcg) in every state at the output times, shape (n, T, S), as `sim.solve` gives.

    **Arguments:** as `itbtwin.sim.solve`: model, parameters (a batch, patients on axis 0),
    a shared `Regimen` or an `InputSchedule` (per patient when batched), output times in h.
    `backend` is "numba" (default), "numpy" or "jax".
    """
    wanted = list(range(len(model.states)))
    out = _march(model, params, inputs, times_h, wanted, None, backend)
    return np.moveaxis(out, -1, 0).transpose(0, 2, 1).copy()


def concentrations(
    model: LinearModel,
    params: Any,
    inputs: Regimen | InputSchedule,
    times_h: np.ndarray,
    *,
    outputs: tuple[str, ...] | None = None,
    backend: Backend = "numba",
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Concentrations (ng/mL) of model outputs, shape (O, T, n): outputs × times × patients.

    The kernel's own layout (patients contiguous), so summaries read it without a copy; use
    ``result[o].T`` for one output as (n, T). ``outputs`` names them, in that order (default: all).
    Only the states these outputs depend on are propagated (never the elimination sinks).
    ``out``, a C-contiguous float64 (O, T, n) buffer, is filled and returned instead of a new
    array (streaming runs reuse one buffer per chunk: fresh large arrays cost page faults).
    """
    by_name = {o.name: o for o in model.outputs}
    names = tuple(by_name) if outputs is None else outputs
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ParameterError(f"unknown outputs {unknown}; the model has {', '.join(by_name)}")
    chosen = [by_name[name] for name in names]
    wanted = [model.states.index(o.state) for o in chosen]
    scale = np.stack([NG_PER_ML_PER_MCG_PER_ML / model.volume(params, o) for o in chosen]).reshape(
        len(chosen), -1
    )
    return _march(model, params, inputs, times_h, wanted, scale, backend, out)
