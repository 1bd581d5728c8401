"""Hand-computed clinical cases on a small clinic made with the CLI: the records fixtures of
`tests/records_cli` (P001, spinal, T4, with NGP001: 20 mL of 500 mcg/mL at 250 mcg/day,
implanted Mon 2 Nov 2026 10:00 Europe/London), and the builders the cases share."""

from __future__ import annotations

from typing import Any

from records_cli.conftest import (
    IMPLANT_AT,
    Records,
    clinic,  # noqa: F401  (a fixture these tests use)
    records,  # noqa: F401  (a fixture these tests use)
)


def implanted(
    cli: Records,
    patient: str,
    serial: str,
    *,
    concentration: str = "500 mcg/mL",
    daily_dose: str = "250 mcg/day",
) -> Records:
    """Add (through `cli`) `patient` (spinal, born 1970, 80 kg) with pump `serial` implanted
    at `IMPLANT_AT` (Mon 2 Nov 2026 10:00 GMT): a SynchroMed II 20 mL on an 8709SC catheter
    of 50 cm, filled with 20 mL of `concentration` running `daily_dose`."""
    cli.run(f'patient add {patient} --birth-date 1970-01-01 --weight "80 kg" --origin spinal')
    cli.run(
        f"pump implant {patient} --device synchromed2-20 --serial {serial} --time-zone "
        'Europe/London --catheter 8709SC --catheter-length "50 cm" --fill "20 mL" '
        f'--concentration "{concentration}" --daily-dose "{daily_dose}" --at "{IMPLANT_AT}"'
    )
    return cli


def revision(at: str, reason: str) -> str:
    """The command that replaces NGP001's catheter (8709SC, 50 cm, tip at T10) at `at`."""
    return (
        'pump revise NGP001 --catheter 8709SC --catheter-length "50 cm" --tip-level T10 '
        f'--at "{at}" --reason "{reason}"'
    )


def risk_reasons(cli: Records, as_of: str) -> list[list[dict[str, Any]]]:
    """P001's risk reasons at `as_of` as `risk NGP001` reads them (the patient's records) and
    as `schedule` does (the clinic overview's SELECTs): the two must agree."""
    risk = cli.data(f'risk NGP001 --as-of "{as_of}"')["patients"][0]
    schedule = cli.data(f'schedule --as-of "{as_of}"')["risks"][0]
    return [risk["reasons"], schedule["reasons"]]
