"""A refused value of 100,000 characters is quoted at most 40 characters, one line (issue 17):
a time zone that long crashed with the file system's 'name too long', and a Modified Ashworth
grade or a scenario choice that long was echoed whole in its refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from itbtwin.errors import ItbError
from itbtwin.patient._scores import mas_code
from itbtwin.pump._clock import zone
from itbtwin.sim import load_scenario

LONG = "A" * 100_000
EXAMPLE = Path(__file__).parents[2] / "examples" / "missed_refill.toml"


def _long_program_mode(folder: Path) -> Path:
    path = folder / "scenario.toml"
    path.write_text(EXAMPLE.read_text().replace('mode = "continuous"', f'mode = "{LONG}"'))
    return path


@pytest.mark.parametrize(
    "refuse",
    [
        lambda tmp_path: zone(LONG),
        lambda tmp_path: mas_code(LONG),
        lambda tmp_path: load_scenario(_long_program_mode(tmp_path)),
    ],
    ids=["time zone", "Modified Ashworth grade", "scenario choice"],
)
def test_issue_17_a_long_value_is_refused_quoting_40_characters(tmp_path, refuse):
    with pytest.raises(ItbError) as refused:
        refuse(tmp_path)
    message = str(refused.value)
    assert "A" * 39 + "..." in message and "A" * 41 not in message
    assert len(message) < 300 and "\n" not in message
