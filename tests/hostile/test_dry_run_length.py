"""Issue 17, h36 sweep: `check-program --hours 1e-300` was run as a dry run of one row at 0 h,
with every signal "0 h" (a dry run shows a row every 6 hours, `clinic._dry_run.REPORT_EVERY_H`),
and `--hours 87600` ran for over a minute."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.errors import RegimenError

STABLE = str(Path(__file__).parents[2] / "examples" / "missed_refill.toml")


@pytest.mark.parametrize("hours", ["1e-300", "0.5", "5.9"])
def test_issue_17_a_dry_run_shorter_than_one_row_is_refused(cli, hours):
    result = cli("check-program", STABLE, "--daily-dose", "300 mcg/day", "--hours", hours)
    assert isinstance(result.exception, RegimenError), result.output
    assert str(result.exception) == (
        f"a dry run of {float(hours):g} h is shorter than its 6-hour rows: give --hours 6 or "
        "more (default 72)"
    )


def test_issue_17_a_dry_run_of_one_row_is_shown(cli):
    result = cli("check-program", STABLE, "--daily-dose", "300 mcg/day", "--hours", "6", "--json")
    assert result.exit_code == 0, result.output
    assert '"verdict": "pass"' in result.output


def test_issue_17_a_dry_run_longer_than_a_fill_may_stay_in_the_pump_is_refused(cli):
    """`--hours 87600` (10 years) ran for over a minute; SynchroMed II keeps a fill at most 180
    days (synchromed2:S2), so the pump is refilled before the end of such a dry run."""
    result = cli("check-program", STABLE, "--daily-dose", "300 mcg/day", "--hours", "4321")
    assert isinstance(result.exception, RegimenError), result.output
    assert str(result.exception) == (
        "a dry run of 4,321 h is longer than a fill may stay in this pump (4320 h, 180 days, "
        "synchromed2:S2): it is refilled before then; give --hours 4320 or less"
    )
