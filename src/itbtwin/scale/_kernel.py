"""The fast exact kernel: per-patient propagators on a planned grid, marched by a chosen backend.

Same mathematics as `itbtwin.sim.solve` (exact for piecewise-constant inputs), organised for
populations: the plan (`_plan`) finds the distinct step lengths and the live states once, the
backend computes Φ and Γ once per patient per distinct step, the input terms Γ·u once per
(step, input segment), and the march costs r² multiply-adds per patient per grid step.
Backends: "numba" (compiled, default), "numpy" (SciPy expm + einsum), "jax" (optional extra).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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


@lru_cache(maxsize=32)
def _compiled(model: LinearModel, regimen: Regimen) -> InputSchedule:
    return compile_regimen(model, regimen)


def _schedule(model: LinearModel, inputs: Regimen | InputSchedule) -> InputSchedule:
    """The inputs as a schedule; a shared regimen is compiled once per (model, regimen)."""
    if isinstance(inputs, InputSchedule):
        return inputs
    try:
        return _compiled(model, inputs)
    except TypeError:  # an unhashable model: compile every time
        return compile_regimen(model, inputs)


@dataclass(frozen=True)
class Propagation:
    """A batch ready to march: propagators, input terms and the plan's index arrays.

    `march(lo, hi, out)` writes patients [lo, hi) into ``out`` (O, T, hi − lo): a caller can
    march a large batch a slice at a time into one small, cache-resident buffer (a patient's
    numbers do not depend on the slice it is marched in).
    """

    module: ModuleType
    n_patients: int
    shape: tuple[int, int]
    phi: np.ndarray
    g: np.ndarray
    bolus: np.ndarray
    indices: tuple[np.ndarray, ...]
    factors: np.ndarray

    def march(
        self, lo: int = 0, hi: int | None = None, out: np.ndarray | None = None
    ) -> np.ndarray:
        """Outputs (O, T, hi − lo) of patients [lo, hi), into ``out`` when given."""
        hi = self.n_patients if hi is None else hi
        shape = (*self.shape, hi - lo)
        if out is None:
            out = np.empty(shape)
        elif out.shape != shape or out.dtype != np.float64 or not out.flags.c_contiguous:
            raise ParameterError(f"the output buffer must be a C-contiguous float64 array {shape}")
        if self.phi.shape[1] == 0:
            out[:] = 0.0
        elif hasattr(self.module, "march_patients"):
            self.module.march_patients(
                self.phi, self.g, self.bolus, *self.indices, self.factors, out, lo, hi
            )
        else:
            window = slice(lo, hi)
            self.module.march(
                self.phi[..., window],
                self.g[..., window],
                self.bolus[..., window],
                *self.indices,
                self.factors[:, window],
                out,
            )
        return out


def propagation(
    model: LinearModel,
    params: Any,
    inputs: Regimen | InputSchedule,
    times_h: np.ndarray,
    wanted: list[int],
    scale: np.ndarray | None,
    backend: str,
) -> Propagation:
    """Plan and propagators; output o will read state wanted[o] times scale[o] (None: amounts)."""
    module = backend_module(backend)
    schedule = _schedule(model, inputs)
    k = model.matrix(params)
    n = k.shape[0]
    if schedule.batched and schedule.rates.shape[0] != n:
        raise ParameterError(
            f"the inputs are for {schedule.rates.shape[0]} patients, the parameters for {n}"
        )
    plan = make_plan(schedule, times_h, k, wanted)
    live = plan.states
    position = {int(state): i for i, state in enumerate(live)}
    select = np.array([position.get(state, -1) for state in wanted], dtype=np.int64)
    indices = (plan.step_of, plan.pair_of, plan.bolus_at, plan.record, select)
    factors = np.ones((len(wanted), n)) if scale is None else np.ascontiguousarray(scale, float)
    shape = (len(wanted), plan.record.size)
    if live.size == 0:
        empty = np.zeros((0, 0, 0, n))
        return Propagation(module, n, shape, empty, empty, empty, indices, factors)
    k_live = np.ascontiguousarray(np.moveaxis(k, 0, -1)[live][:, live])  # patients last
    phi, gamma = module.propagators(k_live, plan.steps_h)
    g = np.empty((plan.pairs.shape[0], live.size, n))
    if schedule.batched:
        rates = np.moveaxis(schedule.rates[..., live], 0, -1)
        for c, (d, segment) in enumerate(plan.pairs):
            g[c] = np.einsum("imn,mn->in", gamma[d], rates[segment])
    else:
        rates = schedule.rates[:, live]
        for c, (d, segment) in enumerate(plan.pairs):
            g[c] = np.einsum("imn,m->in", gamma[d], rates[segment])
    boluses = schedule.boluses[..., live]
    bolus = (
        np.ascontiguousarray(np.moveaxis(boluses, 0, -1))
        if schedule.batched
        else np.broadcast_to(boluses[:, :, None], (*boluses.shape, n))
    )
    return Propagation(module, n, shape, phi, g, bolus, indices, factors)


def output_scale(model: LinearModel, params: Any, outputs: tuple[str, ...] | None) -> tuple:
    """(names, wanted states, ng/mL per mcg of each output (O, n)) of the outputs asked for."""
    by_name = {o.name: o for o in model.outputs}
    names = tuple(by_name) if outputs is None else tuple(outputs)
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ParameterError(f"unknown outputs {unknown}; the model has {', '.join(by_name)}")
    chosen = [by_name[name] for name in names]
    wanted = [model.states.index(o.state) for o in chosen]
    scale = np.stack([NG_PER_ML_PER_MCG_PER_ML / model.volume(params, o) for o in chosen]).reshape(
        len(chosen), -1
    )
    return names, wanted, scale


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
    out = propagation(model, params, inputs, times_h, wanted, None, backend).march()
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
    _, wanted, scale = output_scale(model, params, outputs)
    prepared = propagation(model, params, inputs, times_h, wanted, scale, backend)
    return prepared.march(0, prepared.n_patients, out)
