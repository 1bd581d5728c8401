"""Issue 17 point 1: every reader of a TOML file a user gives turns a hostile file into one
`ItbError` line naming the file (never a traceback, a hang or a `MemoryError`).

The readers: scenario, device list, trial, screening, dose history, risk register, program.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itbtwin.cli._forecast import load_history
from itbtwin.cli._program import read_program_file
from itbtwin.cli._risk import load_register
from itbtwin.cli._screen import load_screening
from itbtwin.errors import ItbError, ScenarioError
from itbtwin.pump._device_toml import load_devices
from itbtwin.scale._spec import load_trial
from itbtwin.sim import load_scenario
from itbtwin.user_files import TOML_LIMIT_BYTES

EXAMPLES = Path(__file__).parents[1] / "examples"
DEVICES = {
    "device": {
        "ours": {"base": "synchromed2-20", "verified": True, "low_reservoir_alarm": "3 mL"},
    },
    "catheter": {"c1": {"name": "8709SC, our IFU", "volume_per_cm": "0.0022 mL"}},
}
REGISTER = {"stable_sci_three_refills": {"injury_level": "C4", "missed_visits": 2}}
PROGRAM = {  # a flex program as `program set --program` reads it (docs/records.md)
    "program": {
        "mode": "flex",
        "step": [
            {"start": "00:00", "duration": "8 h", "rate": "300 mcg/day"},
            {"start": "08:00", "duration": "16 h", "rate": "350 mcg/day"},
        ],
    }
}


def _entered_program(path: Path) -> Any:
    """The program file read as `program set` reads it, then checked for a SynchroMed II with
    500 mcg/mL: keys, quantities, steps and the device's rates (not only its TOML)."""
    from itbtwin.cli._program import program_document
    from itbtwin.pump import find_device
    from itbtwin.sim._scenario_pump import read_program_document

    return read_program_document(program_document(None, path), find_device("synchromed2-20"), 500)


READERS: dict[str, tuple[Callable[[Path], Any], dict[str, Any]]] = {
    "scenario": (load_scenario, tomllib.loads((EXAMPLES / "catheter_fracture.toml").read_text())),
    "device file": (load_devices, DEVICES),
    "trial file": (load_trial, tomllib.loads((EXAMPLES / "trials/alarm_2ml.toml").read_text())),
    "screening file": (
        lambda path: load_screening(path, False),
        tomllib.loads((EXAMPLES / "screening/responder_at_75.toml").read_text()),
    ),
    "dose history": (
        load_history,
        tomllib.loads((EXAMPLES / "forecast/titration_history.toml").read_text()),
    ),
    "risk register": (load_register, REGISTER),
    "program file": (read_program_file, PROGRAM),
    "program file, checked": (_entered_program, PROGRAM),
}

HOSTILE: dict[str, bytes] = {
    "binary": bytes(range(256)) * 4,
    "utf16": 'name = "a"\n'.encode("utf-16"),
    "latin1": 'note = "caf\xe9"\n'.encode("latin-1"),
    "nested": b"a = " + b"[" * 100_000 + b"]" * 100_000,
    "nested_tables": b"a = " + b"{b = " * 5_000 + b"1" + b"}" * 5_000,
    "digits": b"a = " + b"9" * 100_000,
    "nan": b"a = nan\n",
    "inf": b"a = -inf\n",
    "huge_int": b"a = 99999999999999999999999\n",
}


@pytest.mark.parametrize("reader", list(READERS))
def test_issue_17_a_truncated_file_is_one_line_naming_the_file(tmp_path, reader):
    read, document = READERS[reader]
    text = tomli_w.dumps(document)
    path = tmp_path / "truncated.toml"
    path.write_text(text[: text.rindex('"') - 1])  # cut inside the last string
    _refused(read, path)


def _refused(read: Callable[[Path], Any], path: Path) -> str:
    with pytest.raises(ItbError) as caught:
        read(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_issue_17_a_hostile_toml_file_is_one_line_naming_the_file(tmp_path, reader, hostile):
    path = tmp_path / f"{hostile}.toml"
    path.write_bytes(HOSTILE[hostile])
    _refused(READERS[reader][0], path)


@pytest.mark.parametrize("reader", list(READERS))
def test_issue_17_a_50_mb_file_is_refused_before_it_is_read_with_the_cap(tmp_path, reader):
    path = tmp_path / "big.toml"
    with path.open("wb") as file:
        file.truncate(50_000_000)  # sparse: nothing is written, the size is what counts
    message = _refused(READERS[reader][0], path)
    assert f"{TOML_LIMIT_BYTES / 1e6:g} MB" in message


@pytest.mark.parametrize(
    ("hostile", "says"),
    [
        ("binary", "binary"),
        ("utf16", "UTF-16"),
        ("latin1", "not UTF-8 text (byte 0xE9 at offset 11)"),
        ("nested", "deeper than 64"),
        ("digits", "digits"),
        ("nan", "a: nan is not a finite number"),
        ("huge_int", "a: an integer beyond 64 bits"),
    ],
)
def test_issue_17_the_refusal_says_what_is_wrong_and_what_is_expected(tmp_path, hostile, says):
    path = tmp_path / "scenario.toml"
    path.write_bytes(HOSTILE[hostile])
    with pytest.raises(ScenarioError, match="scenario") as caught:
        load_scenario(path)
    assert says in str(caught.value)


def test_issue_17_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "catheter_fracture.toml").read_bytes())
    assert load_scenario(path).name == load_scenario(EXAMPLES / "catheter_fracture.toml").name


def _scenario_with_devices(folder: Path, devices_file: str) -> Path:
    document = tomllib.loads((EXAMPLES / "catheter_fracture.toml").read_text())
    document["pump"]["devices_file"] = devices_file
    path = folder / "scenario.toml"
    path.write_text(tomli_w.dumps(document))
    return path


@pytest.mark.parametrize("name", ["../devices.toml", "sub/../../devices.toml", "/etc/passwd"])
def test_issue_17_a_devices_file_outside_the_scenario_folder_is_refused(tmp_path, name):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (tmp_path / "devices.toml").write_text(tomli_w.dumps(DEVICES))
    with pytest.raises(ScenarioError, match=r"pump.devices_file.*not beside the scenario"):
        load_scenario(_scenario_with_devices(folder, name))


def test_issue_17_a_devices_file_beside_the_scenario_is_read(tmp_path):
    (tmp_path / "devices.toml").write_text(tomli_w.dumps(DEVICES))
    for name in ("devices.toml", str(tmp_path / "devices.toml")):
        assert load_scenario(_scenario_with_devices(tmp_path, name)).therapy.device.key


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["1 h", "100 year", "0 mL", "-5 mcg", "1,5 mL", "1e308 h", "[red]x[/red]"]),
    st.sampled_from([datetime(1800, 1, 1), date(2024, 1, 1), time(1, 2)]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.just([{"a": "b"}]),
    st.sampled_from(["x" * 100_000, "5" * 5_000 + " mcg", "1" + "0" * 400 + " mL"]),  # long text
    st.sampled_from([-1e300, 1e-300, -0.0, 2**63, -(2**63) - 1]),  # huge, tiny, past 64 bits
    st.integers(60, 70).map(lambda depth: _nested(depth)),  # at and past the depth limit
)


def _nested(depth: int) -> list[Any]:
    value: list[Any] = [1]
    for _ in range(depth - 1):
        value = [value]
    return value


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list
    ) else ()  # fmt: skip
    for key, item in items:
        found += _paths(item, (*prefix, key))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """The document with one to three values replaced by random ones, keys removed, or an
    unknown key added beside one."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and draw(st.integers(0, 5)) == 0:
            parent[draw(st.sampled_from(["unknown", "Duration", "rate ", "at\u200b"]))] = 1
        elif isinstance(parent, dict) and draw(st.booleans()) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(draw(VALUES))
        if not _paths(document):
            break
    return document


def _parses_or_refuses(read: Callable[[Path], Any], path: Path) -> None:
    try:
        read(path)
    except ItbError as err:
        assert "\n" not in str(err)


@pytest.mark.parametrize("reader", list(READERS))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_issue_17_random_bytes_parse_or_raise_the_projects_error(tmp_path, reader, data):
    path = tmp_path / "random.toml"
    path.write_bytes(data)
    _parses_or_refuses(READERS[reader][0], path)


@pytest.mark.parametrize("reader", list(READERS))
@settings(  # no example database: the documents are built from the examples, which change
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_issue_17_random_structures_parse_or_raise_the_projects_error(tmp_path, reader, data):
    read, document = READERS[reader]
    path = tmp_path / "random.toml"
    try:
        text = tomli_w.dumps(data.draw(mutated(document)))
    except (TypeError, ValueError):  # a None or a table inside an array: TOML cannot say it
        return
    path.write_text(text, encoding="utf-8")
    _parses_or_refuses(read, path)


@pytest.mark.parametrize(
    "command", [("simulate",), ("report", "scenario"), ("refill", "plan"), ("risk",)]
)
@pytest.mark.parametrize("hostile", ["binary", "utf16", "latin1", "digits"])
def test_issue_17_each_scenario_command_refuses_a_hostile_file_in_one_line_with_status_2(
    tmp_path, monkeypatch, capsys, command, hostile
):
    import sys

    import itbtwin.cli

    path = tmp_path / "scenario.toml"
    path.write_bytes(HOSTILE[hostile])
    monkeypatch.setattr(sys, "argv", ["itbtwin", *command, str(path)])
    with pytest.raises(SystemExit) as exited:
        itbtwin.cli.main()
    lines = capsys.readouterr().err.strip().splitlines()
    assert exited.value.code == 2 and len(lines) == 1 and str(path) in lines[0]
