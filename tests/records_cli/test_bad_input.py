"""Bad input gives a one-line error naming the problem, changes nothing, and exits with 2."""

from __future__ import annotations

import sys

import pytest

import itbtwin.cli
from itbtwin.errors import ItbError

REFILL = (
    'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
    '--concentration "500 mcg/mL" --at "2026-11-12 10:00"'
)
IMPLANT_P001 = (
    "pump implant P001 --serial NGP009 --time-zone Europe/London --catheter 8709SC "
    '--catheter-length "50 cm" --fill "20 mL" --concentration "500 mcg/mL" '
    '--daily-dose "250 mcg/day" --at "2026-11-20 10:00"'
)

BAD = [
    ('assess NOPE --mas "hip adductors L=2"', "no patient 'NOPE'"),
    ("pump show XX1", "no pump with serial 'XX1'"),
    (REFILL.replace('--injected "20 mL"', '--injected "25 mL"'), "larger than the 20 mL reservoir"),
    (REFILL.replace("2026-11-12 10:00", "2999-01-01 10:00"), "is in the future"),
    (REFILL.replace('"4.6 mL"', "4.6"), "'4.6' has no unit"),
    (REFILL.replace("2026-11-12 10:00", "yesterday"), "is not a date and time"),
    (REFILL.replace("2026-11-12 10:00", "2026-11-12"), "needs a time of day"),
    (REFILL.replace("2026-11-12 10:00", "2026-10-01 10:00"), "is not after the implant"),
    ('program set NGP001 --daily-dose "500 mcg/L" --reason r', "never per litre"),
    ('program set NGP001 --daily-dose "300" --reason r', "has no unit"),
    (IMPLANT_P001 + " --device synchromed9", "unknown pump 'synchromed9'"),
    (IMPLANT_P001.replace("8709SC", "9999XX") + " --device synchromed2-20", "unknown catheter"),
    (IMPLANT_P001.replace('"50 cm"', "50") + " --device synchromed2-20", "not a length"),
    (IMPLANT_P001.replace("Europe/London", "Mars/Olympus") + " --device synchromed2-20", "zone"),
    (
        'patient add P001 --birth-date 1980-05-01 --weight "75 kg" --origin spinal',
        "already exists",
    ),
    ('patient add P9 --birth-date 2999-05-01 --weight "75 kg" --origin spinal', "in the future"),
    ('patient add P9 --birth-date 1980-05-01 --weight "75 mL" --origin spinal', "wrong unit"),
    ('patient add P9 --birth-date 1980-05-01 --weight "75 kg" --origin lumbar', "lumbar"),
    ('pump event NGP001 --kind " " --at "2026-11-12 10:00"', "needs a kind"),
    (
        'patient update P001 --weight "72 mg"',
        "'72 mg' is impossible for a body weight (expected 1-400 kg): check the unit",
    ),
    ('patient update P001 --weight "-72 kg"', "is negative"),
    ('patient add P9 --birth-date 1980-05-01 --weight "75 g" --origin spinal', "check the unit"),
    ("patient update P001 --missed-visits -1", "cannot be negative"),
    ('patient update P001 --weight "75 kg"', "nothing to change"),
    ("patient update P001", "nothing to update"),
    ('patient update P404 --weight "70 kg"', "no patient 'P404'"),
]


@pytest.mark.parametrize(("command", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_input_is_refused_with_one_line_and_changes_nothing(clinic, command, message):
    before = clinic.counts()
    result = clinic.invoke(command)
    assert isinstance(result.exception, ItbError), (result.output, result.exception)
    assert message in str(result.exception)
    assert "\n" not in str(result.exception)
    assert clinic.counts() == before


def test_main_prints_one_error_line_and_exits_2(clinic, monkeypatch, capsys):
    argv = ["itbtwin", "assess", "NOPE", "--mas", "hip adductors L=2", "--database", clinic.url]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exited:
        itbtwin.cli.main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "error: no patient 'NOPE' (itbtwin patient list shows who is recorded)"
    ]
