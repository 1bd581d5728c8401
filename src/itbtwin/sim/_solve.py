"""The one entry point of the exact solver."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy._core.multiarray import c_einsum

from itbtwin.errors import RegimenError
from itbtwin.patient import LinearModel, effect_observer
from itbtwin.sim._block_steps import MIN_RUN, advance, block_size, drive_sums, powers, run_lengths
from itbtwin.sim._events import Regimen
from itbtwin.sim._propagate import PropagatorCache, step_key
from itbtwin.sim._result import SimulationResult, find_output
from itbtwin.sim._schedule import InputSchedule, compile_regimen


def output_grid(end_h: float, step_h: float = 0.25) -> np.ndarray:
    """Times 0, step, 2 step, ... up to and including ``end_h`` (h)."""
    if not (end_h > 0 and step_h > 0):
        raise RegimenError("the simulation end and the output step must be positive")
    count = int(np.floor(end_h / step_h + 1e-9))
    grid = np.arange(count + 1) * step_h
    return grid if np.isclose(grid[-1], end_h) else np.append(grid, end_h)


def _augment(
    model: LinearModel, params: Any, k: np.ndarray, auc: bool, effect_sites: dict[str, Any]
) -> tuple[np.ndarray, dict[str, tuple[slice, np.ndarray]]]:
    """Append observer states after the drug states; none feeds back, so mass balance is exact.

    - with ``auc``, one integrator per output: d(AUC amount)/dt = amount in its state;
    - per effect site, the link's states (`effect_observer`: the two-pathway link of an
      `EffectParams`, or one compartment for a bare ke0), driven by the output's concentration
      (mcg/mL).

    Returns the augmented matrix and, per site, the slice of its states and their weights (n, m).
    """
    n, s, _ = k.shape
    o = len(model.outputs) if auc else 0
    links = {name: effect_observer(link, n) for name, link in effect_sites.items()}
    size = s + o + sum(a.shape[1] for a, _, _ in links.values())
    big = np.zeros((n, size, size))
    big[:, :s, :s] = k
    for j in range(o):
        big[:, s + j, model.states.index(model.outputs[j].state)] = 1.0
    readers: dict[str, tuple[slice, np.ndarray]] = {}
    start = s + o
    for name, (a, b, c) in links.items():
        block = slice(start, start + a.shape[1])
        output = find_output(model, name)
        big[:, block, block] = a
        big[:, block, model.states.index(output.state)] = b / model.volume(params, output)[:, None]
        readers[name] = (block, c)
        start = block.stop
    return big, readers


def solve(
    model: LinearModel,
    params: Any,
    inputs: Regimen | InputSchedule,
    times_h: np.ndarray,
    *,
    auc: bool = False,
    effect_sites: dict[str, Any] | None = None,
) -> SimulationResult:
    """Simulate a linear PK model exactly at the requested times.

    **Arguments:**
    - `model`: the structure (e.g. `itbtwin.patient.COMPACT`).
    - `params`: its parameters, one patient or a batch (patients on axis 0).
    - `inputs`: a `Regimen` of dose events shared by the batch, or an `InputSchedule` (per patient
      when batched).
    - `times_h`: output times, h, non-negative.

    **Other arguments:**
    - `auc`: also integrate each output's amount exactly (for AUC), default False.
    - `effect_sites`: {output name: `EffectParams` (its two-pathway link) or a bare ke0 (1/h,
      float or (n,): one compartment)}: also track an effect-site concentration linked to that
      output (`SimulationResult.effect_site_ng_ml`).

    **Returns:** a `SimulationResult`. Between breakpoints and output times the state moves by
    exact propagators (`_propagate`), so the result is exact up to floating point.
    """
    schedule = compile_regimen(model, inputs) if isinstance(inputs, Regimen) else inputs
    times = np.asarray(times_h, float)
    if times.ndim != 1 or times.size == 0 or np.any(times < 0) or np.any(np.diff(times) < 0):
        raise RegimenError("output times must be a non-empty, non-decreasing list of times >= 0")
    k = model.matrix(params)
    n, s = k.shape[0], k.shape[1]
    if schedule.batched and schedule.rates.shape[0] != n:
        raise RegimenError(
            f"the inputs are for {schedule.rates.shape[0]} patients, the parameters for {n}"
        )
    sites = dict(effect_sites or {})
    augmented, readers = _augment(model, params, k, auc, sites) if auc or sites else (k, {})
    o = augmented.shape[1] - s
    cache = PropagatorCache(augmented)

    grid = np.union1d(schedule.breakpoints_h, times)
    grid = grid[grid <= max(times[-1], 0.0)]
    segment = np.searchsorted(schedule.breakpoints_h, grid, side="right") - 1
    at_breakpoint = np.isin(grid, schedule.breakpoints_h)
    record = np.searchsorted(grid, times)

    rates = (
        schedule.rates
        if schedule.batched
        else np.broadcast_to(schedule.rates, (n, *schedule.rates.shape))
    )
    boluses = (
        schedule.boluses if schedule.batched else np.broadcast_to(schedule.boluses, rates.shape)
    )
    state = np.zeros((n, s + o))
    saved = np.empty((grid.size, n, s + o))  # time first: each step writes one contiguous block
    # each distinct step length looked up once, not at every step (issue 13: a replay's loop)
    lengths, which = np.unique(np.diff(grid), return_inverse=True)
    keys = [step_key(float(step)) for step in lengths]
    which = np.unique(keys, return_inverse=True)[1][which]  # equal to 12 digits: one length
    keys = sorted(set(keys))
    pairs = [cache(step) for step in keys]
    segments, kicks, which = segment.tolist(), at_breakpoint.tolist(), which.tolist()
    drives: dict[tuple[int, float], np.ndarray] = {}  # Γ u, once per segment and step length
    # a run of equal steps under one input is advanced BLOCK steps per product (_block_steps)
    ahead, block = run_lengths(segments, which, kicks), block_size(n, s + o)
    stacked: dict[int, np.ndarray] = {}  # Φ's powers, once per step length
    sums: dict[tuple[int, float], np.ndarray] = {}  # their drives, once per segment and length
    j, steps = 0, len(which)
    while True:
        seg = segments[j]
        if kicks[j]:
            state[:, :s] += boluses[:, seg]
        saved[j] = state
        if j == steps:
            break
        phi, gamma = pairs[which[j]]
        key = (seg, keys[which[j]])
        drive = drives.get(key)
        if drive is None:
            drive = drives[key] = c_einsum("nij,nj->ni", gamma[:, :, :s], rates[:, seg])
        if ahead[j] < MIN_RUN or block < MIN_RUN:
            state = c_einsum("nij,nj->ni", phi, state) + drive  # np.einsum's own kernel
            j += 1
            continue
        if which[j] not in stacked:
            stacked[which[j]] = powers(phi, block)
        if key not in sums:
            sums[key] = drive_sums(stacked[which[j]], drive)
        for first in range(0, ahead[j], block):
            count = min(block, ahead[j] - first)
            states = advance(stacked[which[j]][:count], sums[key][:count], state)
            saved[j + first + 1 : j + first + count + 1] = states
            state = states[-1].copy()
        j += ahead[j]
    out = saved[record].transpose(1, 0, 2)
    given = np.broadcast_to(schedule.total_mcg(times), (n, times.size))
    return SimulationResult(
        model=model,
        params=params,
        inputs=inputs,
        times_h=times,
        amounts=out[:, :, :s],
        volumes={output.name: model.volume(params, output) for output in model.outputs},
        given_mcg=given,
        auc_amounts=out[:, :, s : s + len(model.outputs)] if auc else None,
        effect_sites={
            name: np.einsum("ntm,nm->nt", out[:, :, block], c)
            for name, (block, c) in readers.items()
        },
    )
