"""Issue 17 sweep of the examples, each field removed, retyped or given another unit: no
traceback anywhere, and two values the scenario reader took silently are refused with the field
and line named: a pump 1e300 years old (read as a pump at end of service) and a bolus spread over
1e300 hours (no bolus at all)."""

from __future__ import annotations

import contextlib
import copy
import tomllib
from pathlib import Path

import pytest
import tomli_w

from itbtwin.errors import ItbError, ScenarioError
from itbtwin.sim import load_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"
SCENARIOS = sorted(EXAMPLES.glob("*.toml"))


def _written(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(tomli_w.dumps(document))
    return path


def test_issue_17_a_pump_older_than_any_service_life_is_refused(tmp_path):
    document = tomllib.loads((EXAMPLES / "catheter_fracture.toml").read_text())
    document["pump"]["age_at_start"] = "1e300 year"
    with pytest.raises(ScenarioError, match=r"pump\.age_at_start.*at most 10 years"):
        load_scenario(_written(tmp_path, document))


def test_issue_17_a_bolus_longer_than_the_scenario_is_refused(tmp_path):
    document = tomllib.loads((EXAMPLES / "catheter_fracture.toml").read_text())
    document["bolus"][0]["duration"] = "1e300 h"
    with pytest.raises(ScenarioError, match=r"bolus\[0\]\.duration.*longer than the scenario"):
        load_scenario(_written(tmp_path, document))


def _mutations(document: dict):
    """Every field removed, given each wrong type, and each quantity in another unit."""
    stack = [((), document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        if not path:
            continue
        yield path, None
        for wrong in ([], {}, "x", 1.5, True, -1, 10**18):
            if type(wrong) is not type(value):
                yield path, wrong
        if isinstance(value, str) and " " in value and value[0].isdigit():
            number = value.split(" ", 1)[0]
            yield from ((path, f"{number} {unit}") for unit in ("furlong", "mL", "mcg", ""))


@pytest.mark.parametrize("example", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_issue_17_every_mutation_of_an_example_parses_or_is_refused(tmp_path, example):
    document = tomllib.loads(example.read_text())
    tried = 0
    for path, value in _mutations(document):
        changed = copy.deepcopy(document)
        where = changed
        for key in path[:-1]:
            where = where[key]
        if value is None:
            del where[path[-1]]
        else:
            where[path[-1]] = value
        with contextlib.suppress(ItbError):
            load_scenario(_written(tmp_path, changed))
        tried += 1
    assert tried > 100
