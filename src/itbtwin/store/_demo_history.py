"""One demo patient's history, recorded through the store: implant, titration, refills with
reconciliation numbers, a maintenance change, assessments and the trouble case's records.

What is withdrawn at a refill is drawn around what the pump calculates is left (`DELIVERY_SD`);
the pump's calculation is the programmed volume, doses (mcg/day) over concentration (mcg/mL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from itbtwin.clinic import RefillVisit
from itbtwin.pump import find_device
from itbtwin.store._assessments import assess
from itbtwin.store._patients import add_patient
from itbtwin.store._programs import set_program
from itbtwin.store._pumps import implant, record_event
from itbtwin.store._refills import record_refill
from itbtwin.store._schema import Patient, Pump

DELIVERY_SD = 0.04
"""Relative SD of the volume delivered between refills [assumption; inside the ±14.5% labelled
accuracy, synchromed2:S19, so few reconciliations warn]."""
FAULT_DELIVERY = 0.7
"""Share of the programmed volume an occluded catheter let through (catheter fault) [assumption]."""
TIME_ZONE = "America/New_York"
"""The demo clinic's wall clock (IANA zone) [assumption]."""
MAS_GRADES = ("0", "1", "1+", "2", "3", "4")
PRODUCT = "Lioresal"


@dataclass
class History:
    """A demo patient being recorded: who, which pump and dose (mcg/day), which trouble case."""

    identifier: str
    group: str
    origin: str
    diagnosis: str
    injury_level: str | None
    birth_date: date
    weight_kg: float
    dose_mcg: float
    device: str
    mas_baseline: str
    penn_baseline: int
    communication_difficulty: bool
    catheter_cm: float
    tip_level: str
    serial: str = ""
    concentration: float = 500.0
    case: str | None = None
    missed_visits: int = 0
    new_dose_mcg: float | None = None
    """A maintenance change at the next-to-last refill (mcg/day), or None."""
    programs: list[tuple[datetime, float, float]] = field(default_factory=list)
    """(effective, mcg/day, mcg/mL) as recorded, for the pump's volume arithmetic."""


def clinic_time(day: date, rng: np.random.Generator) -> datetime:
    """A weekday visit (a weekend moves back to Friday) between 09:00 and 15:30."""
    while day.weekday() > 4:
        day -= timedelta(days=1)
    return datetime.combine(day, time(9)) + timedelta(minutes=30 * int(rng.integers(0, 14)))


def days_between(later: datetime, earlier: datetime) -> float:
    """Elapsed days (d)."""
    return (later - earlier).total_seconds() / 86400


def holiday_alarm(holidays: tuple[date, ...]) -> datetime:
    """When the holiday case's low-reservoir alarm sounds: 18:00 a week after the last holiday,
    so the window's last day (7-day margin, `clinic.refill_window`) falls on a holiday."""
    return datetime.combine(holidays[-1] + timedelta(days=7), time(18))


def delivered_ml(
    programs: list[tuple[datetime, float, float]], start: datetime, end: datetime
) -> float:
    """Volume the programs deliver from `start` to `end` (mL): doses (mcg/day) / mcg/mL."""
    total = 0.0
    for i, (at, dose, conc) in enumerate(programs):
        until = programs[i + 1][0] if i + 1 < len(programs) else end
        lo, hi = max(at, start), min(until, end)
        if hi > lo:
            total += days_between(hi, lo) * dose / conc
    return total


@dataclass
class _Recorder:
    """The store calls of one demo history, with who records, the clinic's now and the draws."""

    session: Session
    actor: str
    today: datetime
    rng: np.random.Generator
    p: History
    alarm: datetime
    """The holiday case's low-reservoir alarm (`holiday_alarm`)."""

    def lot(self) -> str:
        return f"L{self.rng.integers(10000, 99999)}"

    def assess(self, patient: Patient, at: datetime, worse: bool = False) -> None:
        """MAS of both hip adductors and Penn spasm frequency: baseline when `worse`."""
        base, rng = MAS_GRADES.index(self.p.mas_baseline), self.rng
        left = base if worse else max(base - int(rng.integers(1, 3)), 0)
        right = min(max(left + int(rng.integers(-1, 2)), 0), len(MAS_GRADES) - 1)
        freq = self.p.penn_baseline if worse else int(rng.integers(0, 3))
        grades = {"hip adductors L": MAS_GRADES[left], "hip adductors R": MAS_GRADES[right]}
        severity = None if freq == 0 else (2 if worse else 1)
        assess(self.session, self.actor, patient, assessed_at=at, mas=grades, now=self.today,
               penn_frequency=freq, penn_severity=severity)  # fmt: skip

    def program(self, pump: Pump, at: datetime, dose: float, conc: float, **kw: Any) -> None:
        """A continuous program (mcg/day, mcg/mL) through the safety check; kept for the sums."""
        document = {"mode": "continuous", "daily_dose": f"{dose:g} mcg/day"}
        if conc != self.p.concentration:
            document["concentration"] = f"{conc:g} mcg/mL"
        set_program(self.session, self.actor, pump, document, effective_at=at, now=self.today, **kw)
        self.p.programs.append((at, dose, conc))

    def start(self, first: datetime) -> tuple[Patient, Pump]:
        """The patient, a baseline assessment, the implant (full fill) and the titration."""
        p, spec = self.p, find_device(self.p.device)
        step = 0.2 if p.origin == "spinal" and p.group != "paediatric" else 0.1  # < 30%/15% a day
        dose = 5.0 * round(p.dose_mcg / (1 + step) / 5.0)
        patient = add_patient(
            self.session, self.actor, identifier=p.identifier, birth_date=p.birth_date,
            weight_kg=p.weight_kg, origin=p.origin, today=self.today.date(),
            diagnosis=p.diagnosis, injury_level=p.injury_level,
            communication_difficulty=p.communication_difficulty, missed_visits=p.missed_visits,
        )  # fmt: skip
        self.assess(patient, first - timedelta(days=1), worse=True)
        pump = implant(
            self.session, self.actor, patient, device=p.device, serial=p.serial,
            implanted_at=first, time_zone=TIME_ZONE, catheter_model="8709SC",
            catheter_length_cm=p.catheter_cm, tip_level=p.tip_level,
            fill=RefillVisit(0.0, 0.0, spec.reservoir_ml, PRODUCT, p.concentration),
            lot=self.lot(), program={"mode": "continuous", "daily_dose": f"{dose:g} mcg/day"},
            now=self.today,
        )  # fmt: skip
        p.programs.append((first, dose, p.concentration))
        self.program(pump, first + timedelta(days=2), p.dose_mcg, p.concentration,
                     why="titration to the maintenance dose")  # fmt: skip
        return patient, pump

    def refill(
        self, pump: Pump, at: datetime, since: datetime, fill: float, case: str | None
    ) -> float:
        """A refill visit reconciled by the store; returns the volume now in the pump (mL)."""
        p, spec = self.p, find_device(self.p.device)
        programmed = delivered_ml(p.programs, since, at)
        share = FAULT_DELIVERY if case == "catheter_fault" else 1 + DELIVERY_SD * self.rng.normal()
        conc = 2000.0 if case == "concentration_change" else p.concentration
        injected = spec.reservoir_ml
        if case == "holiday":  # filled so the low-reservoir alarm sounds at `holiday_alarm`
            need = days_between(self.alarm, at) * p.dose_mcg / conc
            injected = math.floor(100 * (spec.low_reservoir_alarm_ml + need)) / 100
        visit = RefillVisit(max(0.0, round(fill - programmed * share, 1)),
                            round(fill - programmed, 1), injected, PRODUCT, conc)  # fmt: skip
        record_refill(self.session, self.actor, pump, visit, performed_at=at, lot=self.lot(),
                      now=self.today)  # fmt: skip
        if case == "concentration_change":
            why = "refill 500 -> 2000 mcg/mL: same dose, longer interval; bridge bolus given"
            self.program(
                pump, at, p.dose_mcg, conc, phase="maintenance", bridge_bolus=True, why=why
            )
        return injected


def record_history(
    session: Session,
    actor: str,
    p: History,
    visits: list[datetime],
    *,
    today: datetime,
    holidays: tuple[date, ...],
    rng: np.random.Generator,
) -> dict[str, int]:
    """Record the patient's history at `visits` (implant, then refills); return the counts."""
    pen = _Recorder(session, actor, today, rng, p, holiday_alarm(holidays))
    patient, pump = pen.start(visits[0])
    fill, last = find_device(p.device).reservoir_ml, len(visits) - 1
    for j, at in enumerate(visits[1:], start=1):
        case = p.case if j == last else None
        fill = pen.refill(pump, at, visits[j - 1], fill, case)
        if p.new_dose_mcg is not None and j == last - 1:
            why = "spasms at night" if p.new_dose_mcg > p.dose_mcg else "daytime leg weakness"
            pen.program(pump, at + timedelta(minutes=20), p.new_dose_mcg, p.concentration,
                        phase="maintenance", why=why)  # fmt: skip
        if j >= last - 1:
            pen.assess(patient, at + timedelta(minutes=15), worse=case == "catheter_fault")
    if p.case == "catheter_fault":
        detail = ("30% less delivered than programmed and spasms back for a week: suspected "
                  "catheter occlusion, contrast study booked")  # fmt: skip
        record_event(session, actor, pump, occurred_at=visits[-1] + timedelta(minutes=30),
                     kind="occlusion", detail=detail, now=today)  # fmt: skip
    if p.case == "empty_soon":
        missed = clinic_time((today - timedelta(days=3)).date(), rng)
        detail = "did not come to the booked refill; not rebooked yet"
        record_event(session, actor, pump, occurred_at=missed, kind="missed_visit",
                     detail=detail, now=today)  # fmt: skip
    return {"refills": last, "programs": len(p.programs), "assessments": 1 + min(last, 2)}
