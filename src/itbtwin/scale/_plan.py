"""The work of one exact propagation, decided once for a batch: grid, distinct steps, live states.

The reference solver (`itbtwin.sim.solve`) steps over the union of input breakpoints and output
times. The plan keeps that grid but names each step by its length (a regular hourly grid with
breakpoints on it has one), so propagators are computed once per patient per distinct step, and
each step's input term Γ·u once per (step length, input segment) pair. It also keeps only the
states that matter: reachable from an input and feeding a wanted state. The others are identically
zero (never reached) or never read (elimination sinks when only concentrations are asked for).

Plans are cached (a few entries, keyed by the bytes of the breakpoints, output times, the rate
matrices' sparsity pattern and the dosed states): a population run or a single patient called
again on the same grid skips the set-up, which is most of the cost of a one-patient call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from itbtwin.errors import RegimenError
from itbtwin.sim import InputSchedule, step_key


def _step_lengths(steps_h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct step lengths (rounded as `itbtwin.sim.step_key`) and the index of every step."""
    raw, raw_of = np.unique(steps_h, return_inverse=True)
    keyed = np.array([step_key(h) for h in raw])
    lengths, key_of = np.unique(keyed, return_inverse=True)
    return lengths, key_of[raw_of]


@dataclass(frozen=True)
class Plan:
    """Index arrays that drive every backend's march over the grid (all int64).

    - `grid_h` (G,): union of breakpoints and output times, h.
    - `steps_h` (D,): distinct step lengths, h; `step_of` (G-1,) indexes it for step j → j+1.
    - `pairs` (P, 2): (step index, input segment) pairs; `pair_of` (G-1,) indexes them.
    - `bolus_at` (G,): the breakpoint whose boluses land at grid point j, or -1.
    - `record` (T,): grid index of each output time.
    - `states` (r,): model states propagated, in model order.
    """

    grid_h: np.ndarray
    steps_h: np.ndarray
    step_of: np.ndarray
    pairs: np.ndarray
    pair_of: np.ndarray
    bolus_at: np.ndarray
    record: np.ndarray
    states: np.ndarray


def _closure(edges: np.ndarray, start: Iterable[int]) -> set[int]:
    """States reachable from ``start`` along ``edges[target, source]``."""
    frontier = list(start)
    seen = set(frontier)
    while frontier:
        source = frontier.pop()
        for target in np.flatnonzero(edges[:, source]):
            if int(target) not in seen:
                seen.add(int(target))
                frontier.append(int(target))
    return seen


def live_states(k: np.ndarray, schedule: InputSchedule, wanted: Iterable[int]) -> np.ndarray:
    """States fed (directly or not) by an input that also feed a wanted state, in model order.

    ``k`` is the batch of rate matrices (n, S, S); an edge j → i exists where any patient has
    k[i, j] ≠ 0.
    """
    edges = np.any(k != 0, axis=0)
    dosed = np.any(schedule.rates != 0, axis=tuple(range(schedule.rates.ndim - 1))) | np.any(
        schedule.boluses != 0, axis=tuple(range(schedule.boluses.ndim - 1))
    )
    return _live(edges.shape[0], edges.tobytes(), dosed.tobytes(), tuple(int(i) for i in wanted))


@lru_cache(maxsize=64)
def _live(size: int, edge_bytes: bytes, dosed_bytes: bytes, wanted: tuple[int, ...]) -> np.ndarray:
    edges = np.frombuffer(edge_bytes, np.bool_).reshape(size, size).copy()
    np.fill_diagonal(edges, False)
    dosed = np.flatnonzero(np.frombuffer(dosed_bytes, np.bool_))
    reached = _closure(edges, [int(i) for i in dosed])
    feeding = _closure(edges.T, wanted)
    live = np.array(sorted(reached & feeding), dtype=np.int64)
    live.flags.writeable = False
    return live


def check_times(times_h: np.ndarray) -> np.ndarray:
    """Output times as a float array, refused unless non-empty, non-negative, non-decreasing."""
    times = np.asarray(times_h, float)
    if times.ndim != 1 or times.size == 0 or np.any(times < 0) or np.any(np.diff(times) < 0):
        raise RegimenError("output times must be a non-empty, non-decreasing list of times >= 0")
    return times


def make_plan(
    schedule: InputSchedule, times_h: np.ndarray, k: np.ndarray, wanted: Iterable[int]
) -> Plan:
    """Plan the march over the grid of ``schedule`` and ``times_h`` for rate matrices ``k``."""
    times = check_times(times_h)
    breakpoints = np.ascontiguousarray(schedule.breakpoints_h, float)
    grid = _grid(breakpoints.tobytes(), times.tobytes())
    return Plan(*grid, states=live_states(k, schedule, wanted))


@lru_cache(maxsize=32)
def _grid(breakpoint_bytes: bytes, time_bytes: bytes) -> tuple[np.ndarray, ...]:
    """Every field of the plan but the states (read-only arrays: the result is shared)."""
    breakpoints = np.frombuffer(breakpoint_bytes)
    times = np.frombuffer(time_bytes)
    grid = np.union1d(breakpoints, times)
    grid = grid[grid <= times[-1]]
    segment = np.searchsorted(breakpoints, grid, side="right") - 1
    bolus_at = np.where(breakpoints[segment] == grid, segment, -1)
    steps, step_of = _step_lengths(np.diff(grid))
    keys, pair_of = np.unique(step_of * breakpoints.size + segment[:-1], return_inverse=True)
    fields = (
        grid,
        steps,
        step_of.astype(np.int64),
        np.stack(np.divmod(keys, breakpoints.size), axis=1).astype(np.int64),
        pair_of.astype(np.int64),
        bolus_at.astype(np.int64),
        np.searchsorted(grid, times).astype(np.int64),
    )
    for array in fields:
        array.flags.writeable = False
    return fields
