"""`itbtwin validate`: every published fact passes, each with a resolvable source."""

from __future__ import annotations

import json

import pytest

from itbtwin import sources
from itbtwin.validation import FACTS, run_validation

_PK_KEYS = {
    "csf_half_life_bolus_50",
    "csf_half_life_bolus_100",
    "csf_clearance_bolus_50",
    "csf_clearance_bolus_100",
    "csf_clearance_infusion",
    "lumbar_cisternal_gradient",
    "plasma_it_adult_300",
    "plasma_it_adult_800",
    "plasma_it_child_400",
    "plasma_oral_vs_it",
}


def test_the_issue_2_facts_are_all_in_the_table() -> None:
    assert {f.key for f in FACTS} >= _PK_KEYS


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f.key)
def test_every_fact_passes_and_names_its_source(fact) -> None:
    (check,) = run_validation([fact.key])
    assert check.passed, f"{fact.key}: model {check.value} outside {fact.tolerance}"
    for key in fact.source.split("+"):
        assert sources.resolve(key)


def test_validate_cli_json_exit_status_zero_when_all_pass(cli) -> None:
    result = cli("validate", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["passed"] is True
    assert {"source", "published", "model", "tolerance", "passed"} <= set(payload["rows"][0])
