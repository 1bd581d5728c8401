"""Issue 12, point 8: what a clinician reads has human labels, one date format, days past 48 h
and no scientific notation; `--json` keeps the machine keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")

COMMANDS = {
    "simulate": ["simulate", str(EXAMPLES / "missed_refill.toml")],
    "pk": ["pk", "--infusion", "500 mcg/day", "--days", "3", "--effect", "--baseline-mas", "3"],
    "trial": ["trial", "run", str(EXAMPLES / "trials" / "catheter_faults.toml"), "--patients",
              "256"],
    "screen": ["screen", str(EXAMPLES / "screening" / "responder_at_75.toml")],
    "forecast": ["forecast", str(EXAMPLES / "forecast" / "titration_history.toml"),
                 "--target-mas", "1+", "--origin", "spinal"],
    "titrate": ["titrate", "--origin", "spinal", "--bolus", "75 mcg", "--effect-duration", "6 h"],
    "population": ["population", "--n", "500"],
}  # fmt: skip


def _headers(text: str) -> str:
    """The header rows of every Rich table in the output (between ┏ and ┡)."""
    return "\n".join(re.findall(r"┏[^\n]*\n(.*?)\n[┡└]", text, re.DOTALL))


@pytest.mark.parametrize("name", COMMANDS)
def test_issue_12_tables_read_for_a_clinician(cli, name):
    result = cli(*COMMANDS[name])
    assert result.exit_code == 0, (result.output, result.exception)
    text = result.stdout
    assert "┏" in text
    assert not SCIENTIFIC.search(text), SCIENTIFIC.search(text)
    assert not ISO_MOMENT.search(text), ISO_MOMENT.search(text)
    assert not SNAKE.search(_headers(text)), SNAKE.search(_headers(text))


def test_simulate_json_keeps_the_machine_keys(cli):
    payload = json.loads(cli(*COMMANDS["simulate"], "--json").stdout)
    assert {"withdrawal_h", "delivered_mcg", "first_day_of"} <= set(payload["summary"])
    assert payload["summary"]["withdrawal_h"] > 48  # hours in JSON, days in the table
