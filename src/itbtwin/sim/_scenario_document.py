"""A scenario document built in memory (a pump's records as a scenario), validated as a file is.

`loads_scenario` reads TOML text; the records' replay builds the same document as a dictionary,
and writing it as TOML only to read it back was a fifth of a clinic schedule (issue 13). The
document holds what TOML holds (strings, numbers, booleans, naive date-times, lists, tables; no
None), so the checks and the result are those of the TOML file.
"""

from __future__ import annotations

from typing import Any

from itbtwin.errors import ScenarioError
from itbtwin.sim._scenario import Scenario, _build
from itbtwin.sim._scenario_reader import Section
from itbtwin.user_files import check_structure


def scenario_from_document(data: dict[str, Any]) -> Scenario:
    """Validate a scenario document given as a dictionary (what `tomllib` would have read)."""
    check_structure(data, "the scenario", ScenarioError)
    return _build(Section(data, (), {}), None, "")
