"""A demo clinic: virtual patients with months of history, recorded through the store functions.

Covariates and maintenance doses come from the virtual populations (`patient.generate_population`,
the label's dose groups); every implant, program change, refill and assessment goes through
`implant`, `set_program`, `record_refill` and `assess`, so the clinic rules judge it and the audit
trail is real. Five patients carry trouble ahead on purpose (`TROUBLE`). The same seed and `today`
give the same records (only the audit trail's UTC timestamps differ).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.patient import VirtualPopulation, generate_population
from itbtwin.pump import find_device
from itbtwin.store._demo_history import (
    History,
    clinic_time,
    days_between,
    holiday_alarm,
    record_history,
)

MIN_SIZE = 8
"""Fewest patients a demo clinic can hold: the five trouble cases and a few more."""
MAX_SIZE = 10_000
"""Most patients a demo clinic can hold: far more pump patients than any clinic follows (a few
hundred), while each is recorded and simulated, so the demo ends in minutes, not days."""
TROUBLE = ("holiday", "catheter_fault", "concentration_change", "empty_soon", "eri")
"""The trouble cases, one patient each: a refill due during a clinic holiday, a suspected
catheter occlusion, a 500 → 2000 mcg/mL concentration change, a reservoir nearly empty after a
missed visit, a pump near its elective replacement indicator (ERI)."""
MAX_INTERVAL_DAYS = 170.0
"""Longest refill interval (d): inside baclofen's 180-day stability in the pump (synchromed2:S2)."""
EMPTY_SOON_DAYS = 4.0
"""Days of drug left at `today` for the missed-visit case (d): under the 7-day block of
`clinic.assess_risk`."""
DOSE_LIMITS = (60.0, 1200.0)
"""Maintenance doses outside this range (mcg/day) are clipped to it [assumption: inside the
label's observed ranges, so the pumps' refill intervals stay workable]."""
_SHARES = {"paediatric": 0.2, "cerebral": 0.35}
"""Shares of the clinic by dose group; the rest is spinal [assumption]."""
_DIAGNOSES = {
    "sci": "spinal cord injury",
    "ms": "multiple sclerosis",
    "cp": "cerebral palsy",
    "brain_injury": "acquired brain injury",
    "stroke": "stroke",
}


@dataclass(frozen=True)
class DemoClinic:
    """What `build_demo_clinic` recorded: counts, the holidays planned for, who has trouble."""

    seed: int
    today: datetime
    holidays: tuple[date, ...]
    patients: int
    refills: int
    programs: int
    assessments: int
    trouble: dict[str, str] = field(default_factory=dict)
    """Trouble case (`TROUBLE`) → patient identifier."""


def demo_holidays(today: date) -> tuple[date, date]:
    """Two consecutive weekdays closed for a holiday, 5-6 days (or the Monday after) from today."""
    first = today + timedelta(days=5)
    while first.weekday() > 3:  # Friday to Sunday: the next Monday-Tuesday
        first += timedelta(days=1)
    return first, first + timedelta(days=1)


def _person(
    group: str, pop: VirtualPopulation, k: int, rng: np.random.Generator, today: date
) -> History:
    """Virtual patient `k` of a population: covariates, maintenance dose (mcg/day), a pump."""
    cov = pop.covariates
    diagnosis, age = str(cov.diagnosis[k]), float(cov.age_years[k])
    level = cov.injury_level[k]
    tips = ["T6", "T8", "T10"] if group == "spinal" else ["C6", "T2", "T4"]
    return History(
        identifier="", group=group, origin="spinal" if group == "spinal" else "cerebral",
        diagnosis=_DIAGNOSES[diagnosis], injury_level=None if level is None else str(level),
        birth_date=today - timedelta(days=round(age * 365.25)),
        weight_kg=round(float(cov.weight_kg[k]), 1),
        dose_mcg=float(np.clip(pop.maintenance_dose_mcg_per_day[k], *DOSE_LIMITS)),
        device="synchromed2-40" if age >= 12 and rng.random() < 0.6 else "synchromed2-20",
        mas_baseline=str(cov.baseline.mas[k]), penn_baseline=int(cov.baseline.penn_frequency[k]),
        communication_difficulty=diagnosis == "brain_injury" and rng.random() < 0.5,
        catheter_cm=round(float(rng.uniform(35, 50) if age < 12 else rng.uniform(50, 70))),
        tip_level=str(rng.choice(tips)),
    )  # fmt: skip


def _draw(rng: np.random.Generator, size: int, today: date) -> list[History]:
    """Everyone's covariates and dose from the population model, one `History` each."""
    children = max(1, round(_SHARES["paediatric"] * size))
    cerebral = max(2, round(_SHARES["cerebral"] * size))
    counts = {"spinal": size - children - cerebral, "cerebral": cerebral, "paediatric": children}
    people = []
    for group, n in counts.items():
        pop = generate_population(n, group, rng)
        people += [_person(group, pop, k, rng, today) for k in range(n)]
    return people


def _pick(people: list[History], rng: np.random.Generator) -> dict[str, int]:
    """Who carries which trouble case: adults, spinal where the story needs it."""
    spinal = [i for i, p in enumerate(people) if p.group == "spinal"]
    cerebral = [i for i, p in enumerate(people) if p.group == "cerebral"]
    chosen = rng.permutation(spinal)[:3].tolist() + rng.permutation(cerebral)[:2].tolist()
    return dict(zip(TROUBLE, chosen, strict=True))


def _concentration(dose_mcg: float, device: str) -> float:
    """500 mcg/mL when a fill lasts at least 40 days, else 2000 mcg/mL (label products)."""
    spec = find_device(device)
    lasts = (spec.reservoir_ml - spec.low_reservoir_alarm_ml) / (dose_mcg / 500.0)
    return 500.0 if lasts >= 40 else 2000.0


def _set_up(person: History, case: str | None, rng: np.random.Generator) -> None:
    """Pump, concentration and dose bounds each trouble case needs, then the refill interval."""
    bounds = {
        "holiday": (150.0, 360.0, "synchromed2-20", 500.0),
        "concentration_change": (400.0, 600.0, "synchromed2-20", 500.0),
        "empty_soon": (100.0, 400.0, "synchromed2-20", 500.0),
        "eri": (150.0, 400.0, "synchromed2-40", 2000.0),
    }
    person.case = case
    if case in bounds:
        low, high, person.device, person.concentration = bounds[case]
        person.dose_mcg = float(np.clip(person.dose_mcg, low, high))
    else:
        person.concentration = _concentration(person.dose_mcg, person.device)
    if case == "catheter_fault":
        person.injury_level = "T4"
    person.dose_mcg = 5.0 * round(person.dose_mcg / 5.0)
    if case is None and rng.random() < 0.5:  # within the maintenance step (saulino2016-dosing)
        person.new_dose_mcg = 5.0 * round(person.dose_mcg * rng.uniform(0.9, 1.1) / 5.0)


def visit_times(
    p: History, today: datetime, holidays: tuple[date, ...], rng: np.random.Generator
) -> list[datetime]:
    """Implant and refill times: refills a week or more before the low-reservoir alarm (the
    window's margin), at most `MAX_INTERVAL_DAYS` apart; the last one placed by the trouble case."""
    spec = find_device(p.device)
    rate = max(p.dose_mcg, p.new_dose_mcg or 0.0) / p.concentration  # mL/day
    life = (spec.reservoir_ml - spec.low_reservoir_alarm_ml) / rate  # to the low-reservoir alarm
    interval = min(max(life - 7 - rng.uniform(0, 5), 0.6 * life), MAX_INTERVAL_DAYS)
    back = {
        "holiday": days_between(today, holiday_alarm(holidays)) + life - 3,
        "empty_soon": (spec.reservoir_ml - spec.empty_alarm_ml) / rate - EMPTY_SOON_DAYS,
        "catheter_fault": float(rng.integers(7, 12)),
        "concentration_change": float(rng.integers(7, 12)),
    }.get(p.case or "", rng.uniform(0.05, 0.85) * interval)
    last = clinic_time((today - timedelta(days=back)).date(), rng)
    if p.case == "eri":  # ERI 60 days ahead: plan the replacement (saulino2016-dosing)
        age_days = (spec.eos_h - spec.eri_to_stop_h) / 24 - 60
        first = clinic_time((today - timedelta(days=age_days)).date(), rng)
    else:
        first = clinic_time((last - timedelta(days=interval * rng.uniform(1.0, 3.2))).date(), rng)
    k = max(1, math.ceil(days_between(last, first) / interval))
    middle = [clinic_time((first + j * (last - first) / k).date(), rng) for j in range(1, k)]
    return [first, *middle, last]


def check_size(size: int) -> None:
    """Refuse a demo clinic of fewer than `MIN_SIZE` or more than `MAX_SIZE` patients: checked
    by the command before it makes any folder or file (issue 17)."""
    if size < MIN_SIZE:
        raise RecordError(f"a demo clinic needs at least {MIN_SIZE} patients, not {size}")
    if size > MAX_SIZE:
        raise RecordError(
            f"a demo clinic holds at most {MAX_SIZE:,} patients, not {size:,}: the demo records "
            "and simulates each one, and no clinic has more (docs/limits.md)"
        )


def build_demo_clinic(
    session: Session,
    *,
    seed: int,
    today: datetime,
    size: int = 50,
    actor: str = "demo",
    on_progress: Callable[[int], None] | None = None,
) -> DemoClinic:
    """Record a demo clinic of `size` virtual patients, everything before `today` (clinic time).

    **Arguments:** `seed` for `numpy.random.default_rng`; `today` the clinic's now; `size`
    patients (at least `MIN_SIZE`); `actor` in the audit trail; `on_progress(done)` after each.

    **Returns:** a `DemoClinic` with the counts and the identifier of each trouble case.
    """
    check_size(size)
    rng = np.random.default_rng(seed)
    holidays = demo_holidays(today.date())
    people = _draw(rng, size, today.date())
    cases = {i: case for case, i in _pick(people, rng).items()}
    counts = {"refills": 0, "programs": 0, "assessments": 0}
    for i, person in enumerate(people):
        person.identifier = f"DEMO-{i + 1:03d}"
        person.serial = f"NGV{seed % 1000:03d}{i + 1:03d}"
        _set_up(person, cases.get(i), rng)
        visits = visit_times(person, today, holidays, rng)
        done = record_history(
            session, actor, person, visits, today=today, holidays=holidays, rng=rng
        )
        for key in counts:
            counts[key] += done[key]
        if on_progress is not None:
            on_progress(i + 1)
    trouble = {case: people[i].identifier for i, case in sorted(cases.items())}
    return DemoClinic(seed, today, holidays, len(people), **counts, trouble=trouble)
