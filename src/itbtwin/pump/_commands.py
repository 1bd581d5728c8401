"""What the pump is told to pump: programs on the clock, boluses and demand requests, compiled into
a piecewise-constant commanded volume rate (mL/day) with the programmed dose rate (mcg/day).

A bridge bolus replaces the basal rate while it runs (the old rate, `pump._bridge`); clinician,
priming, periodic and demand boluses add to it.

Demand boluses are refused inside the lockout or past the maximum per 24 h [prometra:S57].
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from itbtwin.display import format_elapsed_h
from itbtwin.pump._alarms import PumpEvent
from itbtwin.pump._safety import dose_change_warnings
from itbtwin.pump._therapy import Therapy

Piece = tuple[float, float, float, float]
"""(start h, end h, volume rate mL/day, programmed dose rate mcg/day)."""


@dataclass(frozen=True)
class Commands:
    """Commanded rates between breakpoints (the last holds to the end of the span)."""

    breakpoints_h: np.ndarray
    ml_per_day: np.ndarray
    mcg_per_day: np.ndarray
    program_starts: tuple[float, ...]
    demand_starts: tuple[float, ...]
    events: tuple[PumpEvent, ...]


def _basal(therapy: Therapy) -> list[Piece]:
    pieces = []
    starts = [t for t, _ in therapy.programs]
    for (start, program), end in zip(therapy.programs, [*starts[1:], therapy.span_h], strict=True):
        c = program.concentration_mcg_per_ml
        if program.clock_free:
            rate = program.steps[0].rate_mcg_per_day
            pieces.append((start, end, rate / c, rate))
            continue
        cuts = [start, *therapy.clock.boundaries(program.clock_hours, start, end), end]
        cuts = sorted(set(cuts))
        for a, b in itertools.pairwise(cuts):
            local = therapy.clock.local((a + b) / 2)
            clock_h = local.hour + local.minute / 60 + local.second / 3600
            rate = program.rate_mcg_per_day(local.weekday(), clock_h)
            pieces.append((a, b, rate / c, rate))
    return pieces


def _program_events(therapy: Therapy) -> list[PumpEvent]:
    events, before = [], None
    for start, program in therapy.programs:
        dose = program.daily_dose_mcg()
        detail = (
            f"{program.mode} program: {dose:g} mcg/day = {program.daily_volume_ml():.4g} mL/day "
            f"at {program.concentration_mcg_per_ml:g} mcg/mL"
        )
        if program.note:
            detail += f" ({program.note})"
        if before is not None:
            warnings = dose_change_warnings(before, dose, therapy.origin)
            detail += f"; was {before:g} mcg/day" + "".join(f"; WARNING {w}" for w in warnings)
        events.append(PumpEvent(start, "program", detail))
        before = dose
    return events


def _bridges(therapy: Therapy) -> tuple[list[Piece], list[PumpEvent]]:
    """Bridge boluses: the old rate replaces the basal until the new solution reaches the tip."""
    pieces, events = [], []
    for bolus in therapy.boluses:
        if bolus.kind != "bridge":
            continue
        volume = therapy.bolus_volume_ml(bolus)
        ml_per_day = volume / bolus.duration_h * 24
        c_old = therapy.program_before(bolus.at_h).concentration_mcg_per_ml
        pieces.append((bolus.at_h, bolus.at_h + bolus.duration_h, ml_per_day, ml_per_day * c_old))
        events.append(
            PumpEvent(
                bolus.at_h,
                "bolus",
                f"bridge bolus: {volume:.3g} mL (pump + catheter) at {ml_per_day:.4g} mL/day "
                f"for {format_elapsed_h(bolus.duration_h)}: the old {c_old:g} mcg/mL solution at "
                "the old dose rate until the new solution reaches the tip, then the new program "
                "(from memory, verify)",
            )
        )
    return pieces, events


def _boluses(therapy: Therapy) -> tuple[list[Piece], list[PumpEvent], list[float]]:
    pieces, events, demand_starts = [], [], []
    for bolus in therapy.boluses:
        if bolus.kind == "bridge":
            continue
        volume = therapy.bolus_volume_ml(bolus)
        c = therapy.program_at(bolus.at_h).concentration_mcg_per_ml
        end = bolus.at_h + bolus.duration_h
        pieces.append(
            (bolus.at_h, end, volume / bolus.duration_h * 24, volume * c / bolus.duration_h * 24)
        )
        events.append(
            PumpEvent(
                bolus.at_h,
                "bolus",
                f"{bolus.kind} bolus: {volume:.4g} mL over {bolus.duration_h:g} h",
            )
        )
    accepted: list[float] = []
    for t in sorted(therapy.demands):
        settings = therapy.program_at(t).demand
        if settings is None:
            events.append(PumpEvent(t, "demand_refused", "no patient bolus is programmed"))
            continue
        if accepted and t - accepted[-1] < settings.lockout_h:
            reason = f"inside the {settings.lockout_h:g} h lockout"
            events.append(PumpEvent(t, "demand_refused", f"patient bolus refused: {reason}"))
            continue
        if sum(1 for a in accepted if t - a < 24) >= settings.max_per_day:
            reason = f"{settings.max_per_day} boluses already given in 24 h"
            events.append(PumpEvent(t, "demand_refused", f"patient bolus refused: {reason}"))
            continue
        accepted.append(t)
        demand_starts.append(t)
        c = therapy.program_at(t).concentration_mcg_per_ml
        per_day = 24 / settings.duration_h
        pieces.append(
            (
                t,
                t + settings.duration_h,
                settings.dose_mcg / c * per_day,
                settings.dose_mcg * per_day,
            )
        )
        events.append(PumpEvent(t, "demand_bolus", f"patient bolus: {settings.dose_mcg:g} mcg"))
    return pieces, events, demand_starts


def compile_commands(therapy: Therapy) -> Commands:
    """Compile a resolved therapy's programs, boluses and demands over its span."""
    basal = _basal(therapy)
    bridges, bridge_events = _bridges(therapy)
    extra, events, demand_starts = _boluses(therapy)
    events += bridge_events
    ends = {t for piece in (*basal, *bridges, *extra) for t in piece[:2]}
    breakpoints = np.array(sorted(t for t in ends | {0.0} if t < therapy.span_h))
    ml, mcg = np.zeros(breakpoints.size), np.zeros(breakpoints.size)
    for a, b, vol, dose in (*basal, *bridges):
        i, j = np.searchsorted(breakpoints, [a, b])
        ml[i:j], mcg[i:j] = vol, dose
    for a, b, vol, dose in extra:
        i, j = np.searchsorted(breakpoints, [a, b])
        ml[i:j] += vol
        mcg[i:j] += dose
    clock = [
        PumpEvent(c.time_h, "clock_change", c.detail)
        for c in therapy.clock.changes(0, therapy.span_h)
    ]
    return Commands(
        breakpoints,
        ml,
        mcg,
        tuple(t for t, _ in therapy.programs),
        tuple(demand_starts),
        tuple(sorted([*_program_events(therapy), *events, *clock], key=lambda e: e.time_h)),
    )
