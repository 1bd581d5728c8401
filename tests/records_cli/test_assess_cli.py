"""`itbtwin assess`: MAS per muscle group, Penn scores and adverse effects."""

from __future__ import annotations

from itbtwin.errors import ItbError


def test_assess_stores_mas_per_muscle_group_and_penn_scores(clinic):
    out = clinic.data(
        'assess P001 --mas "hip adductors L=1+" --mas "hip adductors R=2" '
        '--penn-frequency 2 --penn-severity 2 --adverse drowsiness --at "2026-11-15 11:00" '
        "--by dr.smith"
    )
    assert out == {
        "patient": "P001",
        "assessed_at": "2026-11-15T11:00:00",
        "mas": {"hip adductors L": "1+", "hip adductors R": "2"},
        "penn_frequency": 2,
        "penn_severity": 2,
        "adverse_effects": "drowsiness",
        "assessed_by": "dr.smith",
    }
    entry = clinic.audit()[-1]
    assert (entry["action"], entry["actor"]) == ("assessment.record", "dr.smith")


def test_assess_refuses_a_grade_that_is_not_mas_and_a_malformed_option(clinic):
    before = clinic.counts()
    grade = clinic.invoke('assess P001 --mas "hip adductors L=5+" --at "2026-11-15 11:00"')
    assert isinstance(grade.exception, ItbError) and "Modified Ashworth" in str(grade.exception)
    shape = clinic.invoke('assess P001 --mas "hip adductors 2" --at "2026-11-15 11:00"')
    assert "MUSCLE=GRADE" in str(shape.exception)
    penn = clinic.invoke('assess P001 --penn-frequency 0 --penn-severity 2 --at "2026-11-15 11:00"')
    assert "only when there are spasms" in str(penn.exception)
    assert clinic.counts() == before
