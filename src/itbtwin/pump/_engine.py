"""`deliver`: walk a therapy timeline and return what reached the catheter tip, hour by hour exact.

Between instants (refills, faults, program changes, command breakpoints) the commanded rate is
constant; inside such a stretch the walk stops exactly where the calculated reservoir crosses an
alarm level, where the reservoir runs dry, and where a new concentration reaches the tip. So every
time and volume is exact arithmetic on the inputs: 20 mL at 0.5 mL/day with a 2 mL alarm sounds at
hour (20 - 2) / 0.5 × 24 = 864 [pumps.md §8.1].
"""

from __future__ import annotations

import itertools

import numpy as np

from itbtwin.pump._alarms import PumpEvent, alarm_events
from itbtwin.pump._commands import Commands, compile_commands
from itbtwin.pump._delivery import Delivery
from itbtwin.pump._path import EPS_ML
from itbtwin.pump._pump_actions import schedule_actions
from itbtwin.pump._state import PumpState
from itbtwin.pump._therapy import Therapy

_SAME_H = 1e-9
"""Crossings closer than this to a segment end (h) happen at that end."""
Segment = tuple[float, float, float, float, float, float, float, float]
"""(start h, tip mcg/h, tissue mcg/h, programmed mcg/h, reservoir mL, slope, estimate, slope)."""


def deliver(therapy: Therapy, *, tones: bool = True) -> Delivery:
    """Run the pump over its therapy timeline (faults included) and return its `Delivery`.

    ``tones=False`` logs each alarm's onset and clearing but not its repeated tones (the same
    delivery, volumes and alarms; several times faster for a pump left to run empty)."""
    plan = therapy.resolved()
    commands = compile_commands(plan)
    state = PumpState(plan, np.random.default_rng(plan.seed))
    actions = schedule_actions(plan, commands, state)
    times = sorted({*commands.breakpoints_h.tolist(), *actions, plan.span_h})
    times = [t for t in times if t <= plan.span_h]
    segments: list[Segment] = []
    for a, b in itertools.pairwise(times):
        for _, act in sorted(actions.get(a, []), key=lambda item: item[0]):
            act(a)
        _integrate(state, commands, a, b, segments)
    state.close()
    return _assemble(plan, state, segments, commands, tones)


def _check_levels(state: PumpState, t: float) -> None:
    d = state.device
    if state.est <= d.low_reservoir_alarm_ml:
        state.alarm_on(
            "low_reservoir", t, f"low reservoir: pump calculates {state.est:.3g} mL left"
        )
    if state.est <= d.empty_alarm_ml:
        state.alarm_on("empty_reservoir", t, "empty reservoir: pump calculates no drug left")


def _integrate(state: PumpState, cmd: Commands, a: float, b: float, out: list[Segment]) -> None:
    """Advance the state from a to b under constant commands, splitting at exact crossings."""
    d = state.device
    i = int(np.searchsorted(cmd.breakpoints_h, a, side="right") - 1)
    q_cmd = d.reset_rate_ml_per_day if state.reset else float(cmd.ml_per_day[i])
    programmed = float(cmd.mcg_per_day[i]) / 24
    while a < b:
        _check_levels(state, a)
        running = not state.stalls
        q_est = q_cmd if running and "empty_reservoir" not in state.alarms else 0.0
        q_act = (
            q_cmd * state.flow_factor * (1 - state.occluded) if running and state.res_v > 0 else 0.0
        )
        stops: list[tuple[float, str]] = [(b, "")]
        if d.has_alarms and q_est > 0:
            for name, level in (("low", d.low_reservoir_alarm_ml), ("empty", d.empty_alarm_ml)):
                if state.est > level:
                    stops.append((a + (state.est - level) / q_est * 24, name))
        if q_act > 0:
            stops.append((a + state.res_v / q_act * 24, "dry"))
            path = state.path
            if path.outlet_ml > EPS_ML and (len(path.slugs) > 1 or path.outlet_c != state.res_c):
                arrival = a + state.path.outlet_ml / q_act * 24
                # a bridge ends as its last old solution leaves: the same instant, not float noise
                stops.append((b if abs(arrival - b) <= _SAME_H else arrival, "slug"))
        t, why = min(stops, key=lambda stop: (stop[0], stop[1] == "", stop[1]))
        t = min(t, b)
        dv = {"dry": state.res_v, "slug": min(state.path.outlet_ml, state.res_v)}.get(
            why, q_act * (t - a) / 24
        )
        c_tip = state.path.outlet_c
        out.append(
            (
                a,
                q_act / 24 * c_tip * (1 - state.leak),
                q_act / 24 * c_tip * state.leak,
                programmed,
                state.res_v,
                -q_act / 24,
                state.est,
                -q_est / 24,
            )
        )
        state.deliver_at_tip(t, state.path.push(dv, state.res_c), dv, instant=False)
        state.res_v = 0.0 if why == "dry" else state.res_v - dv
        state.est = {"low": d.low_reservoir_alarm_ml, "empty": d.empty_alarm_ml}.get(
            why, state.est - q_est * (t - a) / 24
        )
        if why == "dry":
            state.log(
                t,
                "reservoir_dry",
                f"the reservoir is empty: no drug flows (the pump "
                f"calculates {state.est:.3g} mL left)",
            )
        if why == "slug" and state.path.outlet_c != c_tip:
            state.log(
                t,
                "tip_concentration",
                f"{state.path.outlet_c:g} mcg/mL solution reaches "
                f"the catheter tip (was {c_tip:g} mcg/mL)",
            )
        a = t


def _assemble(
    plan: Therapy, state: PumpState, segments: list[Segment], cmd: Commands, tones: bool
) -> Delivery:
    cols = np.array(segments, float).reshape(-1, 8)
    starts = cols[:, 0]
    # a stretch shorter than _SAME_H is float noise between two stops (an empty reservoir a
    # 1e-13 h after a program step): it would merge with its neighbour once shifted in time
    keep = np.append(np.diff(starts) > _SAME_H, True)
    cols, starts = cols[keep], starts[keep]

    def at_breakpoints(instant: dict[float, float]) -> np.ndarray:
        out = np.zeros(starts.size)
        for t, mass in instant.items():
            out[min(int(np.searchsorted(starts, t)), starts.size - 1)] += mass
        return out

    alarms = alarm_events(state.spans, plan.device, plan.span_h, tones=tones)
    events = [*cmd.events, *state.events, *alarms]
    events += _stability_events(plan)
    return Delivery(
        span_h=plan.span_h,
        breakpoints_h=starts,
        intrathecal_mcg_per_h=cols[:, 1],
        tissue_mcg_per_h=cols[:, 2],
        intrathecal_bolus_mcg=at_breakpoints(state.instant_it),
        subcutaneous_bolus_mcg=at_breakpoints(state.instant_sc),
        programmed_mcg_per_h=cols[:, 3],
        reservoir_ml=cols[:, 4],
        reservoir_slope_ml_per_h=cols[:, 5],
        estimate_ml=cols[:, 6],
        estimate_slope_ml_per_h=cols[:, 7],
        events=tuple(sorted(events, key=lambda e: (e.time_h, e.kind == "tone"))),
        refills=tuple(state.refills),
        ledger=state.ledger(),
    )


def _stability_events(plan: Therapy) -> list[PumpEvent]:
    """A fill kept past the drug's stability limit (baclofen ~180 days [synchromed2:S2])."""
    fills = [0.0, *(r.at_h for r in plan.refills)]
    limit = plan.device.stability_h
    found = []
    for start, nxt in zip(fills, [*fills[1:], plan.span_h], strict=True):
        if start + limit < nxt:
            found.append(
                (
                    start + limit,
                    f"drug filled at {start / 24:g} d passes its "
                    f"{limit / 24:g}-day stability limit: refill was due",
                )
            )
    return [PumpEvent(t, "stability_expired", detail) for t, detail in found]
