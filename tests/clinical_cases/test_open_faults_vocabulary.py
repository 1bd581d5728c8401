"""Open faults are read through the event kind vocabulary (`store.fault_kind`): a fault recorded
as "Occlusion" or "catheter_occlusion" is the same open fault as "occlusion" (known problem 2 of
the hand-computed cases: the risk rules counted exact names only, so a recorded catheter
occlusion written the way `pump event --help` suggests was missed)."""

from __future__ import annotations

import pytest

from clinical_cases.conftest import revision, risk_reasons
from itbtwin.store._bounds import check_event_kind, fault_kind

AS_OF = "2026-11-20 09:00"


def _risk_rules(clinic) -> dict[str, str]:
    patients = clinic.data(f'risk NGP001 --as-of "{AS_OF}"')["patients"]
    return {r["rule"]: r["verdict"] for r in patients[0]["reasons"]}


@pytest.mark.parametrize(
    ("typed", "fault"),
    [
        ("occlusion", "occlusion"),
        ("Occlusion", "occlusion"),
        ("catheter_occlusion", "occlusion"),
        ("CATHETER_Fracture", "fracture"),
        (" kink ", "kink"),
        ("motor_stall", "motor_stall"),
    ],
)
def test_a_recorded_fault_in_any_spelling_is_an_open_fault_in_the_risk(clinic, typed, fault):
    clinic.run(f'pump event NGP001 --kind "{typed}" --at "2026-11-10 10:00"')
    assert _risk_rules(clinic)[f"fault_{fault}"] == "block"


def test_an_event_kind_is_stored_in_its_canonical_spelling(clinic):
    shown = clinic.data('pump event NGP001 --kind "Catheter_Occlusion" --at "2026-11-10 10:00"')
    assert shown["kind"] == "catheter_occlusion"
    events = clinic.data("pump show NGP001")
    assert "catheter_occlusion" in str(events) and "Catheter_Occlusion" not in str(events)


def test_a_fault_before_the_last_catheter_revision_is_no_longer_open(clinic):
    clinic.run('pump event NGP001 --kind catheter_kink --at "2026-11-10 10:00"')
    clinic.run(revision("2026-11-12 10:00", "kinked catheter replaced"))
    assert "fault_kink" not in _risk_rules(clinic)


def test_an_alarm_or_a_clinic_event_is_not_a_fault():
    assert [fault_kind(k) for k in ("low_reservoir", "missed_visit", "interrogation")] == [
        None,
        None,
        None,
    ]


def test_catheter_prefix_names_only_catheter_faults():
    assert fault_kind("catheter_mri") is None
    assert fault_kind("Catheter_Disconnection") == "disconnection"
    assert check_event_kind("  Low_Reservoir ") == "low_reservoir"


def test_the_schedule_ranks_a_fault_in_any_spelling_as_risk_does(clinic):
    clinic.run('pump event NGP001 --kind "Catheter_Occlusion" --at "2026-11-10 10:00"')
    risks = clinic.data(f'schedule --as-of "{AS_OF}"')["risks"]
    assert {r["rule"]: r["verdict"] for r in risks[0]["reasons"]} == _risk_rules(clinic)
    assert _risk_rules(clinic)["fault_occlusion"] == "block"


def test_a_fault_recorded_after_the_as_of_time_is_not_open_then(clinic):
    """An occlusion found on 10 Nov, the catheter revised on 12 Nov: read on 5 Nov neither has
    happened (no fault); on 11 Nov the fault is open; on 20 Nov the revision has closed it."""
    clinic.run('pump event NGP001 --kind occlusion --at "2026-11-10 10:00"')
    clinic.run(revision("2026-11-12 10:00", "occluded catheter replaced"))
    for as_of, open_now in (("2026-11-05 09:00", False), ("2026-11-11 09:00", True)):
        for command, reasons in zip(("risk", "schedule"), risk_reasons(clinic, as_of), strict=True):
            rules = {r["rule"] for r in reasons}
            assert ("fault_occlusion" in rules) is open_now, (command, as_of)
    assert "fault_occlusion" not in _risk_rules(clinic)
