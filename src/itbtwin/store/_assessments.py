"""Clinical assessments: MAS grade per muscle group, Penn spasm scores, adverse effects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from itbtwin.errors import RecordError
from itbtwin.patient import mas_code
from itbtwin.store._audit import audit
from itbtwin.store._bounds import check_text
from itbtwin.store._schema import Assessment, Patient
from itbtwin.store._times import require_past, wall_time

PENN_FREQUENCY = range(5)
"""Penn spasm frequency 0 (none) - 4 (> 10 per hour) (pharmacology.md §6.2)."""
PENN_SEVERITY = range(1, 4)
"""Penn spasm severity 1 (mild) - 3 (severe), rated only when there are spasms."""


def check_scores(mas: dict[str, str], frequency: int | None, severity: int | None) -> None:
    """Every MAS grade names its muscle group and is a grade; Penn scores are in range."""
    for muscle, grade in mas.items():
        if not muscle.strip():
            raise RecordError("a MAS grade needs the muscle group it was measured on")
        check_text(muscle, "the muscle group")
        mas_code(grade)
    if frequency is not None and frequency not in PENN_FREQUENCY:
        raise RecordError(f"Penn spasm frequency is 0-4, got {frequency}")
    if severity is not None and severity not in PENN_SEVERITY:
        raise RecordError(f"Penn spasm severity is 1-3, got {severity}")


def patient_wall_time(patient: Patient, at: datetime, what: str) -> datetime:
    """A patient's record time (an assessment, a discharge) as the clinic's wall time: in the
    time zone of the patient's last pump (a time with a UTC offset is converted; one in a
    daylight-saving gap refused); with no pump, a time given with an offset is taken as the wall
    time it names. A time before the patient's birth is refused."""
    at = (
        at.replace(tzinfo=None)
        if not patient.pumps
        else wall_time(at, patient.pumps[-1].time_zone, what)
    )
    if at.date() < patient.birth_date:
        raise RecordError(
            f"{what} {at:%Y-%m-%d} is before the patient's birth ({patient.birth_date})"
        )
    return at


def _penn(frequency: int | None, severity: int | None) -> None:
    if severity is not None and frequency == 0:
        raise RecordError("Penn severity is rated only when there are spasms (frequency > 0)")


def assess(session: Session, actor: str, patient: Patient, **fields: Any) -> Assessment:
    """Record an assessment with its audit entry: `fields` are `new_assessment`'s (its time, MAS
    grades, the clinic's `now`, Penn scores, adverse effects), checked there."""
    assessment, what = new_assessment(session, actor, patient, **fields)
    audit(session, actor, "assessment.record", "assessment", assessment.id, what)
    return assessment


def new_assessment(
    session: Session,
    actor: str,
    patient: Patient,
    *,
    assessed_at: datetime,
    mas: dict[str, str],
    now: datetime,
    penn_frequency: int | None = None,
    penn_severity: int | None = None,
    adverse_effects: str = "",
) -> tuple[Assessment, dict[str, object]]:
    """Check and add an assessment row (no audit entry: the caller writes it); returns the row
    and the audit trail's description of it. `mas` maps a muscle group ("hip adductors L") to a
    grade ("1+")."""
    assessed_at = patient_wall_time(patient, assessed_at, "the assessment")
    require_past(assessed_at, now, "the assessment")
    check_text(adverse_effects, "the adverse effects")
    if not mas and penn_frequency is None and not adverse_effects:
        raise RecordError("an assessment needs a MAS grade, a Penn score or an adverse effect")
    check_scores(mas, penn_frequency, penn_severity)
    _penn(penn_frequency, penn_severity)
    grades = {muscle.strip(): str(grade).strip() for muscle, grade in mas.items()}
    assessment = Assessment(
        assessed_at=assessed_at,
        mas=grades,
        penn_frequency=penn_frequency,
        penn_severity=penn_severity,
        adverse_effects=adverse_effects,
        assessed_by=actor,
    )
    patient.assessments.append(assessment)
    session.flush()
    what = {
        "patient": patient.identifier,
        "assessed_at": assessed_at.isoformat(),
        "mas": grades,
        "penn_frequency": penn_frequency,
        "penn_severity": penn_severity,
        "adverse_effects": adverse_effects,
    }
    return assessment, what
