"""Withdrawal risk: the label's risk factors with the operational picture, ranked with reasons.

The boxed warning names the patients most at risk from an interruption (spinal cord injury at T6
or above, communication difficulties, prior withdrawal; `withdrawal_risk_factors`) and how
interruptions are prevented: refill scheduling, pump alarms, refill visits kept (label §1.2 in
pharmacology.md). The operational picture comes from the pump twin (`pump_dates`): days of drug
left, an alarm sounding now, ERI and end of service; faults the scenario records (catheter and pump
faults interrupt delivery; pharmacology.md §1.8) and missed visits. Each finding is a `Reason`;
the worst verdict, then the score (block 3, warn 1 [assumption]), then the fewest days of drug
left rank the patients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from itbtwin.clinic._pump_dates import PumpDates, pump_dates
from itbtwin.clinic._reasons import Reason, Verdict, worst
from itbtwin.display import format_date, format_datetime, format_days_left, in_words
from itbtwin.errors import ParameterError
from itbtwin.patient import Covariates, withdrawal_risk_factors
from itbtwin.pump import FAULT_KINDS
from itbtwin.sim import Scenario

DAYS_LEFT_BLOCK = 7.0
"""Days of drug left at or below which the patient needs a refill now (d) [assumption]."""
DAYS_LEFT_WARN = 14.0
"""Days of drug left at or below which a refill must be booked (d) [assumption]."""
ERI_NOTICE_DAYS = 90.0
"""Plan pump replacement at least 3 months ahead (d) (saulino2016-dosing; pharmacology.md §1.7)."""
CATHETER_FAULTS = tuple(k for k, v in FAULT_KINDS.items() if v.startswith("catheter:"))
"""Occlusion, kink, fracture, disconnection (`pump.FAULT_KINDS`)."""
INTERRUPTING_FAULTS = (*CATHETER_FAULTS, "battery_failure", "motor_stall", "low_battery_reset")
"""Faults that stop or cut delivery: withdrawal follows (pharmacology.md §1.8)."""
_WEIGHT = {Verdict.PASS: 0, Verdict.WARN: 1, Verdict.BLOCK: 3}


@dataclass(frozen=True)
class RiskRecord:
    """What the clinic knows beyond the scenario: boxed-warning factors, missed refill visits
    (the boxed warning's "refill scheduling"; the records count each ``missed_visit`` or
    ``missed_refill`` day, `store.missed_visit_count`) and faults found on the pump and not yet
    closed (kinds of `pump.FAULT_KINDS`; an open ``missed_refill`` is a refill not yet made
    up, its visit already counted in `missed_visits`)."""

    injury_level: str | None = None
    communication_difficulty: bool = False
    prior_withdrawal: bool = False
    missed_visits: int = 0
    recorded_faults: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        flags = (self.communication_difficulty, self.prior_withdrawal)
        if not all(isinstance(f, bool) for f in flags):
            raise ParameterError("communication_difficulty and prior_withdrawal are true or false")
        if self.injury_level is not None and not isinstance(self.injury_level, str):
            raise ParameterError("injury_level is a level such as 'T4'")
        if isinstance(self.missed_visits, bool) or not isinstance(self.missed_visits, int):
            raise ParameterError("missed_visits is a whole number")
        if self.missed_visits < 0:
            raise ParameterError("missed visits cannot be negative")
        unknown = [k for k in self.recorded_faults if k not in FAULT_KINDS]
        if unknown:
            raise ParameterError(
                f"unknown fault kind {unknown[0]!r}; use one of {', '.join(FAULT_KINDS)}"
            )


@dataclass(frozen=True)
class PatientRisk:
    """One patient's withdrawal risk: reasons, verdict, score and days of drug left (d)."""

    name: str
    reasons: tuple[Reason, ...]
    days_left: float | None
    dates: PumpDates = field(repr=False)

    @property
    def verdict(self) -> Verdict:
        """The worst finding."""
        return worst(list(self.reasons))

    @property
    def score(self) -> int:
        """Block findings count 3, warnings 1 [assumption]."""
        return sum(_WEIGHT[r.verdict] for r in self.reasons)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "verdict": self.verdict.value,
            "score": self.score,
            "days_left": self.days_left,
            "reasons": [r.as_dict() for r in self.reasons],
        }


def label_factors(record: RiskRecord, origin: str, age_years: float) -> list[Reason]:
    """The boxed warning's withdrawal risk factors present (label:boxed-warning)."""
    return clinic_label_factors([record], [origin], [age_years])[0]


def clinic_label_factors(
    records: list[RiskRecord], origins: list[str], ages_years: list[float]
) -> list[list[Reason]]:
    """`label_factors` of many patients as one batch of covariates (issue 13: one `Covariates`
    a patient took half a millisecond, most of a clinic overview read from the cache)."""
    if not records:
        return []
    levels = [r.injury_level for r in records]
    diagnosis = [
        "sci" if level else ("ms" if origin == "spinal" else "cp")
        for level, origin in zip(levels, origins, strict=True)
    ]
    covariates = Covariates(
        np.array(diagnosis, dtype=object),
        np.array(ages_years, dtype=float),
        70.0,
        injury_level=np.array(levels, dtype=object),
        communication_difficulty=np.array([r.communication_difficulty for r in records]),
        prior_withdrawal=np.array([r.prior_withdrawal for r in records]),
    )
    return [
        [
            Reason(
                "label_risk_factor",
                Verdict.WARN,
                "label:boxed-warning",
                f"{text}: at higher risk of withdrawal if delivery stops",
            )
            for text in found
        ]
        for found in withdrawal_risk_factors(covariates)
    ]


def operational_findings(scenario: Scenario, dates: PumpDates, record: RiskRecord) -> list[Reason]:
    """Days left, alarms now, ERI/EOS, faults (in the scenario or recorded) and missed visits."""
    return _findings(tuple(f.kind for f in scenario.therapy.faults), dates, record)


def _findings(faults: tuple[str, ...], dates: PumpDates, record: RiskRecord) -> list[Reason]:
    missed = record.missed_visits
    found: list[Reason] = []
    empty_in = dates.ahead_h(dates.empty_h)
    left = None if empty_in is None else empty_in / 24

    def add(rule: str, verdict: Verdict, source: str, text: str) -> None:
        found.append(Reason(rule, verdict, source, text))

    if left is not None and left <= DAYS_LEFT_WARN:
        verdict = Verdict.BLOCK if left <= DAYS_LEFT_BLOCK else Verdict.WARN
        text = f"{format_days_left(left)} days of drug left" if left > 0 else "no drug left"
        add("days_of_drug_left", verdict, "synchromed2:S23", text)
    if dates.empty_now:
        since = format_datetime(dates.local(dates.empty_h))  # type: ignore[arg-type]
        add(
            "alarm_empty_now",
            Verdict.BLOCK,
            "synchromed2:S23",
            f"the reservoir has been empty since {since}, {-left:.1f} days without drug so far: "  # type: ignore[operator]
            "refill now and assess the patient for withdrawal",
        )
    elif (low_in := dates.ahead_h(dates.low_reservoir_h)) is not None and low_in <= 0:
        add("alarm_low_reservoir_now", Verdict.WARN, "synchromed2:S25", "low-reservoir alarm now")
    for name, t in (("eos", dates.ahead_h(dates.eos_h)), ("eri", dates.ahead_h(dates.eri_h))):
        if t is not None and t <= 0:
            on = format_date(dates.local(getattr(dates, f"{name}_h")))  # type: ignore[arg-type]
            text = f"{name.upper()} reached on {on}: replace the pump"
            add(f"{name}_reached", Verdict.BLOCK, "synchromed2:S26", text)
            break
        if name == "eri" and t is not None and t / 24 <= ERI_NOTICE_DAYS:
            add(
                "eri_soon",
                Verdict.WARN,
                "saulino2016-dosing",
                f"ERI in {t / 24:.0f} days: plan the pump replacement now",
            )
    missed += faults.count("missed_refill")  # a scenario's missed refills are its missed visits
    for kind in (*(f for f in faults if f != "missed_refill"), *record.recorded_faults):
        if kind == "missed_refill":  # counted in the record's missed visits; open until a refill
            add(
                "fault_missed_refill",
                Verdict.WARN,
                "label:boxed-warning",
                "missed refill not yet made up (no refill recorded since)",
            )
        elif kind in INTERRUPTING_FAULTS:
            add(
                f"fault_{kind}",
                Verdict.BLOCK,
                "neurosurgerywiki",
                f"{in_words(kind)} recorded: delivery interrupted or reduced",
            )
        else:
            add(
                f"fault_{kind}",
                Verdict.WARN,
                "saulino2016-troubleshooting",
                f"{in_words(kind)} recorded",
            )
    if missed:
        add(
            "missed_visits",
            Verdict.BLOCK if missed >= 2 else Verdict.WARN,
            "label:boxed-warning",
            f"{missed} missed refill visit{'s' if missed > 1 else ''}",
        )
    return found


def assess_risk(
    name: str,
    scenario: Scenario,
    record: RiskRecord | None = None,
    dates: PumpDates | None = None,
) -> PatientRisk:
    """One patient's withdrawal risk from the scenario (hour 0 = now) and the clinic's record.

    `dates`: the scenario's `pump_dates` when the caller has them already (a schedule did).
    """
    patient, faults = scenario.patient, tuple(f.kind for f in scenario.therapy.faults)
    dates = dates or pump_dates(scenario.therapy)
    return risk_of(
        name, dates, record, origin=patient.origin, age_years=patient.age_years, faults=faults
    )


def risk_of(
    name: str,
    dates: PumpDates,
    record: RiskRecord | None = None,
    *,
    origin: str,
    age_years: float,
    faults: tuple[str, ...] = (),
    factors: list[Reason] | None = None,
) -> PatientRisk:
    """One patient's withdrawal risk from the pump's dates (`now_h` = now), origin, age (years),
    the fault kinds the twin runs and the clinic's record: what `assess_risk` reads off a scenario.
    `factors`: the record's `label_factors` when the caller has them (a clinic's, in one batch).
    """
    record = record or RiskRecord()
    reasons = list(factors) if factors is not None else label_factors(record, origin, age_years)
    reasons += _findings(faults, dates, record)
    if not reasons:
        reasons.append(
            Reason("no_risk_found", Verdict.PASS, "label:boxed-warning", "no risk factor found")
        )
    empty_in = dates.ahead_h(dates.empty_h)
    left = None if empty_in is None else round(empty_in / 24, 3)
    return PatientRisk(name, tuple(reasons), left, dates)


def rank_risks(risks: list[PatientRisk]) -> list[PatientRisk]:
    """Most at risk first: worst verdict, then score, then fewest days of drug left."""
    return sorted(
        risks,
        key=lambda r: (
            -_WEIGHT[r.verdict],
            -r.score,
            float("inf") if r.days_left is None else r.days_left,
            r.name,
        ),
    )
