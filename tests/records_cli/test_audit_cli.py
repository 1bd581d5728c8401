"""The audit trail records every change made through the CLI: one entry per write command, with
the actor from --by and the reason given; `itbtwin audit` filters it by patient or pump."""

from __future__ import annotations

from itbtwin.errors import RecordError

WRITES = [
    (
        'patient add P001 --birth-date 1980-05-01 --weight "75 kg" --origin spinal '
        '--reason "new referral"',
        "patient.add",
        "new referral",
    ),
    (
        "pump implant P001 --device synchromed2-20 --serial NGP001 --time-zone Europe/London "
        '--catheter 8709SC --catheter-length "50 cm" --fill "20 mL" '
        '--concentration "500 mcg/mL" --daily-dose "250 mcg/day" --at "2026-11-02 10:00" '
        '--reason "planned implant"',
        "pump.implant",
        "planned implant",
    ),
    (
        'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
        '--concentration "500 mcg/mL" --at "2026-11-12 10:00" --reason "routine"',
        "refill.record",
        "routine",
    ),
    (
        'program set NGP001 --daily-dose "275 mcg/day" --at "2026-11-13 10:00" '
        '--reason "spasms at night"',
        "program.set",
        "spasms at night",
    ),
    (
        'pump revise NGP001 --catheter 8709SC --catheter-length "45 cm" '
        '--at "2026-11-14 10:00" --reason "fracture"',
        "pump.revise",
        "fracture",
    ),
    ('pump event NGP001 --kind low_reservoir --at "2026-11-15 10:00"', "event.record", ""),
    ('assess P001 --mas "hip adductors L=2" --at "2026-11-16 10:00"', "assessment.record", ""),
]


def test_every_write_command_adds_one_audit_entry_with_actor_and_reason(records):
    for n, (command, action, why) in enumerate(WRITES):
        records.run(command, "--by", f"user{n}")
        entries = records.audit()
        assert len(entries) == n + 1, command
        last = entries[-1]
        assert (last["action"], last["actor"], last["why"]) == (action, f"user{n}", why)
        assert last["at"].endswith("Z")


def test_without_by_the_actor_is_itbtwin_user(records):
    records.run(WRITES[0][0])
    assert records.audit()[0]["actor"] == "test-nurse"


def test_reading_commands_write_no_audit_entry(clinic):
    before = clinic.counts()
    for command in ("patient list", "patient show P001", "pump show NGP001", "audit"):
        clinic.run(command)
    clinic.run('schedule --as-of "2026-11-20 09:00"')
    assert clinic.counts() == before


def test_audit_filters_by_patient_and_by_pump(clinic):
    clinic.run('patient add P002 --birth-date 2000-01-01 --weight "60 kg" --origin cerebral')
    clinic.run('assess P001 --mas "hip adductors L=2" --at "2026-11-16 10:00"')
    everything = clinic.data("audit")["entries"]
    assert [e["action"] for e in everything] == [
        "patient.add",
        "pump.implant",
        "patient.add",
        "assessment.record",
    ]
    mine = clinic.data("audit --patient P001")["entries"]
    assert [e["action"] for e in mine] == ["patient.add", "pump.implant", "assessment.record"]
    pump = clinic.data("audit --serial NGP001")["entries"]
    assert [e["action"] for e in pump] == ["pump.implant"]
    assert set(pump[0]) == {"id", "at", "actor", "action", "entity", "entity_id", "what", "why"}
    both = clinic.invoke("audit --patient P001 --serial NGP001")
    assert isinstance(both.exception, RecordError)


def test_audit_prints_who_when_what_and_why(clinic, wide_console):
    text = clinic.run("audit").stdout
    for part in (
        "When",
        " UTC ",
        "nurse.jones",
        "dr.smith",
        "Pump implanted",
        "Pump serial: NGP001",
    ):
        assert part in text
