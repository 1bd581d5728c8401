"""The dry run's time column reads hours up to 48 h and days beyond (issue 17: `check-program
--hours 120` printed 54 to 120 under "h from now"). Rows come every 6 h: 54 h is 2.3 days (2.25,
one decimal), 120 h is 5 days."""

from __future__ import annotations

from pathlib import Path

STABLE = Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml"


def test_issue_17_dry_run_times_past_48_h_read_in_days(cli, wide_console):
    result = cli("check-program", str(STABLE), "--daily-dose", "275 mcg/day", "--hours", "120")
    assert result.exit_code == 0, result.output
    column = [line.split("│")[1].strip() for line in result.output.splitlines() if "│" in line]
    dry_run = column[: column.index("5 days") + 1]
    assert dry_run[:2] == ["0 h", "6 h"] and "48 h" in dry_run
    assert dry_run[dry_run.index("48 h") + 1] == "2.3 days"  # 54 h, one decimal, half up (h41)
    assert not [cell for cell in dry_run if cell.endswith(" h") and float(cell[:-2]) > 48]
