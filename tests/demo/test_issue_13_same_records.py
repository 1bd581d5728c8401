"""Issue 13 §4: making `itbtwin demo --size 500` fast changed nothing the demo records. A seed
and a day give the same patients, records, verdicts and audit trail as the code before the work
(514d49d, the start of 6 Dec 2026)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date

from .conftest import built, records

BEFORE_ISSUE_13_4 = "6f7350518f3d041b6a8c0dae582239f89155230ae691fac6d8dc71e5b011c458"
"""SHA-256 of `records()` (JSON, sorted keys, `default=str`) for seed 7, 12 patients, at
`conftest.TODAY`. From the code at 514d49d (the start of the speed work) it was
b03a0c982d41448d20f45712cefe3b14db5fbca45caa27e702afc58e07748eb0, computed with
`git archive 514d49d src | tar -x -C /tmp/base514` then
`PYTHONPATH=/tmp/base514/src .venv/bin/python -c "import hashlib, json;
from tests.demo.conftest import built, records; e, _ = built(seed=7, size=12);
print(hashlib.sha256(json.dumps(records(e), sort_keys=True, default=str).encode()).hexdigest())"`;
566fda3 (faults close by kind) meant to record the missed-visit patient's count as 0 (the
missed visit is its event); this is the same command run after it (cf44f79..HEAD), whose
records differ from 514d49d's in that one field only (the patient's and its `patient.add`
audit entry's), checked with a diff of the two JSON dumps.
A change that means to record something else updates it the same way, and says so."""


def test_issue_13_seed_7_records_the_same_twelve_patients_as_before():
    engine, clinic = built(seed=7, size=12)
    assert (clinic.patients, clinic.refills, clinic.programs, clinic.assessments) == (
        12,
        45,
        28,
        36,
    )
    assert clinic.trouble == {
        "catheter_fault": "DEMO-002",
        "concentration_change": "DEMO-003",
        "holiday": "DEMO-004",
        "empty_soon": "DEMO-009",
        "eri": "DEMO-010",
    }
    assert clinic.holidays == (date(2026, 3, 9), date(2026, 3, 10))
    found = records(engine)
    audit = found.pop("audit")
    verdicts = Counter(
        version[3]
        for patient in found.values()
        for pump in patient["pumps"]
        for version in pump["programs"]
    )
    assert verdicts == {"initial": 12, "pass": 16}
    assert Counter(entry[1] for entry in audit) == {
        "refill.record": 45,
        "assessment.record": 36,
        "program.set": 16,
        "patient.add": 12,
        "pump.implant": 12,
        "event.record": 2,
    }
    engine.dispose()


def test_issue_13_seed_7_records_match_the_fingerprint_from_before_the_speed_work():
    engine, _ = built(seed=7, size=12)
    text = json.dumps(records(engine), sort_keys=True, default=str)
    engine.dispose()
    assert hashlib.sha256(text.encode()).hexdigest() == BEFORE_ISSUE_13_4, (
        "the demo's records for seed 7 changed: if a change means to record something else, "
        "update BEFORE_ISSUE_13_4 with the command in its docstring run on the new code"
    )
