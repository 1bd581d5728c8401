"""A drug concentration is 1 to 10,000 mcg/mL at every edge (issue 17): 1e300 mcg/mL was stored
by `refill record` and crashed `check-program` (IndexError in the MAS grade of an infinite dose)."""

from __future__ import annotations

import pytest

from itbtwin.errors import UnitError
from itbtwin.units import parse_quantity
from records_cli.conftest import clinic, records  # noqa: F401


@pytest.mark.parametrize("text", ["1e300 mcg/mL", "20 g/mL", "0.5 mcg/mL", "0.0001 mg/mL"])
def test_issue_17_a_concentration_no_pump_solution_has_is_refused(text):
    with pytest.raises(UnitError, match=r"impossible for a drug concentration \(expected 1-10,000"):
        parse_quantity(text, "concentration")


@pytest.mark.parametrize(("text", "mcg_per_ml"), [("50 mcg/mL", 50), ("2 mg/mL", 2000)])
def test_issue_17_the_products_concentrations_are_read(text, mcg_per_ml):
    assert parse_quantity(text, "concentration") == pytest.approx(mcg_per_ml)


def test_issue_17_check_program_refuses_an_impossible_refill_concentration(cli):
    result = cli(
        "check-program",
        "examples/stable_sci_three_refills.toml",
        "--daily-dose",
        "300 mcg/day",
        "--refill-volume",
        "20 mL",
        "--refill-concentration",
        "1e300 mcg/mL",
    )
    assert isinstance(result.exception, UnitError), result.output
    assert "impossible for a drug concentration" in str(result.exception)


def test_issue_17_a_refill_at_an_impossible_concentration_changes_nothing(clinic):  # noqa: F811
    before = clinic.counts()
    result = clinic.invoke(
        'refill record NGP001 --withdrawn "4.6 mL" --expected "5 mL" --injected "20 mL" '
        '--concentration "1e300 mcg/mL" --product Lioresal --lot L2 --at "2026-11-12 10:00"'
    )
    assert isinstance(result.exception, UnitError), result.output
    assert "impossible for a drug concentration" in str(result.exception)
    assert clinic.counts() == before
