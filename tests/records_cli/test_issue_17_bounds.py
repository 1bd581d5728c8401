"""Issue 17 point 2: nothing physically or clinically impossible enters the clinic's records, and
a refused input changes nothing (every writing command, on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import shlex

import pytest

from itbtwin.errors import ItbError
from itbtwin.store._bounds import IDENTIFIER_RULE

from .conftest import IMPLANT

REFILL = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    '--concentration "500 mcg/mL" --product Lioresal --lot L2 --at "2026-11-12 10:00"'
)
P002 = 'patient add P002 --birth-date 1990-01-01 --weight "60 kg" --origin cerebral'
IMPLANT_P002 = (
    IMPLANT.replace("P001", "P002").replace("NGP001", "NGP002").split(" --at ")[0] + " --at "
)


def refused(clinic, command: str, message: str, value: str = "") -> str:
    """Run a command that must be refused with a one-line error holding `message`, and show
    that no table gained or lost a row; the word VALUE in `command` stands for `value` (text a
    shell line cannot hold: control codes, 100,000 characters)."""
    before = clinic.counts()
    argv = [value if word == "VALUE" else word for word in shlex.split(command)]
    result = (
        clinic.invoke(shlex.join(argv))
        if not value
        else clinic.cli(*argv, "--database", clinic.url)
    )
    if isinstance(result.exception, ItbError):
        text = str(result.exception)
    else:  # `itbtwin import` prints its error itself and exits with 2
        assert result.exit_code == 2, (result.output, result.exception)
        text = result.output.strip().removeprefix("error: ")
    assert message in text, text
    assert "\n" not in text
    assert clinic.counts() == before
    return text


HOSTILE = {
    "empty": "",
    "100,000 characters": "P" * 100_000,
    "a newline": "P001\nP002",
    "a terminal escape": "\x1b[31mP9",
    "Rich markup": "[bold red]P9[/]",
    "a path": "../x",
    "a spreadsheet formula": '=HYPERLINK("http://evil","x")',
    "a blank": "P 9",
}


@pytest.mark.parametrize("identifier", HOSTILE.values(), ids=HOSTILE.keys())
def test_issue_17_a_patient_identifier_outside_the_stated_characters_is_refused(clinic, identifier):
    add = 'patient add VALUE --birth-date 1980-01-01 --weight "70 kg" --origin spinal'
    text = refused(clinic, add, IDENTIFIER_RULE, identifier or " ")
    assert len(text) < 300


@pytest.mark.parametrize("serial", HOSTILE.values(), ids=HOSTILE.keys())
def test_issue_17_a_pump_serial_outside_the_stated_characters_is_refused(clinic, serial):
    clinic.run(P002)
    implant = IMPLANT_P002.replace("NGP002", "VALUE") + '"2026-11-03 10:00"'
    refused(clinic, implant, IDENTIFIER_RULE, serial or " ")


def test_issue_17_identifiers_and_serials_are_unique_whatever_the_case(clinic):
    refused(clinic, P002.replace("P002", "p001"), "already exists as 'P001'")
    clinic.run(P002)
    implant = IMPLANT_P002.replace("NGP002", "ngp001") + '"2026-11-03 10:00"'
    refused(clinic, implant, "already recorded as 'NGP001'")


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (P002.replace("1990-01-01", "1800-05-01"), "before 1900"),
        (P002.replace("1990-01-01", "2999-05-01"), "in the future"),
    ],
)
def test_issue_17_a_birth_date_before_1900_or_in_the_future_is_refused(clinic, command, message):
    refused(clinic, command, message)


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("1900-01-01 10:00", "before 1988"),
        ("1989-12-31 10:00", "before the patient's birth (1990-01-01)"),
        ("2999-01-01 10:00", "in the future"),
    ],
)
def test_issue_17_an_implant_before_1988_before_birth_or_in_the_future_is_refused(
    clinic, at, message
):
    clinic.run(P002)
    refused(clinic, IMPLANT_P002 + f'"{at}"', message)


def test_issue_17_an_assessment_before_birth_is_refused(clinic):
    refused(clinic, 'assess P001 --mas "hip adductors L=2" --at "1979-01-01 10:00"', "birth")


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ('pump event NGP001 --kind low_reservoir --at "2026-11-01 10:00"', "before the implant"),
        ('pump event NGP001 --kind banana --at "2026-11-12 10:00"', "unknown event kind"),
        (
            'pump revise NGP001 --catheter 8709SC --catheter-length "45 cm" --reason r '
            '--at "2026-10-01 10:00"',
            "before the implant",
        ),
        (
            'program set NGP001 --daily-dose "300 mcg/day" --reason r --at "2026-10-01 10:00"',
            "before the implant",
        ),
        (REFILL.replace("2026-11-12", "2026-10-12"), "not after the implant"),
    ],
)
def test_issue_17_a_record_before_the_pump_implant_or_of_an_unknown_kind_is_refused(
    clinic, command, message
):
    refused(clinic, command, message)


def test_issue_17_no_record_after_the_explant(clinic):
    clinic.run('pump explant NGP001 --at "2026-11-20 10:00" --reason infection')
    refused(clinic, 'pump event NGP001 --kind eri --at "2026-11-21 10:00"', "after the pump's")
    refused(clinic, REFILL.replace("2026-11-12", "2026-11-21"), "explanted")


def test_issue_17_a_second_refill_at_the_same_minute_is_refused(clinic):
    clinic.run(REFILL)
    again = REFILL.replace('--withdrawn "4.6 mL"', '--withdrawn "0 mL"')
    refused(clinic, again, "already has a refill at Thu 12 Nov 2026 10:00")


def test_issue_17_a_back_dated_implant_never_rewrites_the_current_pump(clinic):
    clinic.run(REFILL)
    implant = IMPLANT.replace("NGP001", "NGP009").split(" --at ")[0]
    refused(clinic, implant + ' --at "2026-11-05 10:00"', "not after the last record of pump")
    refused(clinic, implant + ' --at "2026-11-01 10:00"', "not after the last record of pump")
    pump = clinic.data("pump show NGP001")
    assert pump["explanted_at"] is None
    clinic.run(implant + ' --at "2026-11-13 10:00"')
    assert clinic.data("pump show NGP001")["explanted_at"] == "2026-11-13T10:00:00"


def test_issue_17_a_time_the_clocks_skipped_is_refused(clinic):
    clinic.run(P002)
    refused(clinic, IMPLANT_P002 + '"2026-03-29 01:30"', "did not happen in Europe/London")


def test_issue_17_a_time_in_the_repeated_hour_needs_its_utc_offset(clinic):
    clinic.run(P002)
    refused(clinic, IMPLANT_P002 + '"2026-10-25 01:30"', '"2026-10-25 01:30+01:00"')
    clinic.run(IMPLANT_P002 + '"2026-10-25 00:30+00:00"')  # 01:30 BST, the first 01:30
    pump = clinic.data("pump show NGP002")
    assert pump["implanted_at"] == "2026-10-25T01:30:00"


def test_issue_17_a_time_in_the_second_repeated_hour_is_refused_not_stored_an_hour_early(clinic):
    clinic.run(P002)
    clinic.run(IMPLANT_P002 + '"2026-10-25 00:30+00:00"')  # 01:30 BST, the first 01:30
    # the second 01:30 (GMT) would be stored as wall time 01:30, which reads as the first
    refused(
        clinic,
        'pump event NGP002 --kind eri --at "2026-10-25 01:30+00:00"',
        "2026-10-25 01:30+00:00 is in the second of the two repeated hours in Europe/London "
        "(the clocks went back): the records keep the pump's wall-clock time and read a repeated "
        "hour as the first, so this time would be taken an hour early; give 2026-10-25 02:00",
    )
    event = clinic.data('pump event NGP002 --kind eri --at "2026-10-25 02:00+00:00"')
    assert event["occurred_at"] == "2026-10-25T02:00:00"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('"50 cm"', '"50000 cm"'), "a catheter length of 50000 cm is impossible"),
        (('"50 cm"', '"0.5 cm"'), "expected 1-200 cm"),
        (('--fill "20 mL"', '--fill "0 mL"'), "a fill of 0 mL is impossible"),
        (('--fill "20 mL"', '--fill "0.0001 mL"'), "expected at least 0.1 mL"),
        (('--fill "20 mL"', '--fill "25 mL"'), "larger than the 20 mL reservoir"),
        (("--lot L1", "--lot VALUE"), "control character"),
    ],
)
def test_issue_17_an_implant_outside_physical_bounds_is_refused(clinic, change, message):
    clinic.run(P002)
    implant = IMPLANT_P002.replace(*change) + '"2026-11-03 10:00"'
    refused(clinic, implant, message, "L1\nforged" if "VALUE" in implant else "")


def test_issue_17_a_refill_of_almost_nothing_is_refused(clinic):
    refused(clinic, REFILL.replace('--injected "20 mL"', '--injected "0.0001 mL"'), "0.1 mL")


def test_issue_17_a_flex_program_of_10000_steps_is_refused(clinic, tmp_path):
    step = '[[program.step]]\nstart = "00:00"\nduration = "1 h"\nrate = "10 mcg/day"\n'
    path = tmp_path / "flex.toml"
    path.write_text('[program]\nmode = "flex"\n' + step * 10_000)
    set_program = f'program set NGP001 --program {path} --reason r --at "2026-11-12 10:00"'
    refused(clinic, set_program, "step")


WRITES = [
    (P002.replace("P002", "../P2"), IDENTIFIER_RULE),
    ('patient update P001 --weight "720 kg"', "impossible"),
    ('pump event NGP001 --kind "=cmd" --at "2026-11-12 10:00"', "unknown event kind"),
    (
        'pump revise NGP001 --catheter 8709SC --catheter-length "10 km" --reason r '
        '--at "2026-11-12 10:00"',
        "is impossible",
    ),
    ('pump explant NGP001 --at "2026-11-01 10:00" --reason r', "before the pump's last record"),
    ('program set NGP001 --daily-dose "300 mcg/day" --reason r --at "2026-03-29 01:30"', "did not"),
    (REFILL.replace("--lot L2", "--lot VALUE"), "control character"),
    ('assess P001 --mas "hip adductors L=2" --penn-frequency 9', "0-4"),
    ("clinic set --name VALUE", "control character"),
]


@pytest.mark.parametrize(("command", "message"), WRITES, ids=[w[0].split()[1] for w in WRITES])
def test_issue_17_a_refused_write_changes_nothing(clinic, command, message):
    refused(clinic, command, message, "St\x1b[31mX" if "VALUE" in command else "")


def test_issue_17_refused_corrections_change_nothing(clinic):
    clinic.run(REFILL)
    at = '--at "2026-11-12 10:00"'
    refused(clinic, f'refill amend NGP001 {at} --injected "0.0001 mL" --reason r', "0.1 mL")
    refused(clinic, f'refill amend NGP001 {at} --new-at "2026-10-01 10:00" --reason r', "implant")
    refused(clinic, 'refill void NGP001 --at "2026-11-13 10:00" --reason r', "no refill")


def test_issue_17_an_import_with_a_case_twin_or_impossible_value_changes_nothing(clinic, tmp_path):
    path = tmp_path / "clinic.json"
    clinic.run(f"export {path}")
    document = json.loads(path.read_text())
    document["patients"][0]["identifier"] = "p001"
    document["audit"], document["corrections"] = [], []
    document["patients"][0]["pumps"][0]["serial"] = "NGP777"
    path.write_text(json.dumps(document))
    refused(clinic, f"import {path}", "'P001' is already in this database")
    document["patients"][0]["identifier"] = "P777"
    document["patients"][0]["pumps"][0]["catheter_length_cm"] = 50_000.0
    path.write_text(json.dumps(document))
    refused(clinic, f"import {path}", "catheter length of 50000 cm is impossible")
    document["patients"][0]["pumps"][0]["catheter_length_cm"] = 50.0
    document["patients"][0]["pumps"][0]["events"] = [
        {"occurred_at": "2026-11-03T10:00:00", "kind": "banana", "detail": "", "fraction": None}
    ]
    path.write_text(json.dumps(document))
    refused(clinic, f"import {path}", "unknown event kind")
    event = document["patients"][0]["pumps"][0]["events"][0]
    event |= {"kind": "eri", "occurred_at": "2027-03-28T01:30:00"}
    path.write_text(json.dumps(document))
    refused(clinic, f"import {path}", "did not happen in Europe/London")


def test_issue_17_a_lookup_in_the_wrong_case_names_the_recorded_spelling(clinic):
    refused(
        clinic, 'assess p001 --mas "hip adductors L=2"', "no patient 'p001' (did you mean 'P001'?)"
    )
    refused(clinic, "pump event ngp001 --kind eri", "no pump with serial 'ngp001' (did you mean")
    text = refused(clinic, "pump show VALUE", "no pump with serial", "S" * 100_000)
    assert len(text) < 120
