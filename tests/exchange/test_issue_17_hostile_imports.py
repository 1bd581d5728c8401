"""Issue 17 point 1: a hostile JSON or FHIR import is one `ItbError` line, never a traceback.

The file is read by `cli._exchange.read_json` (size, encoding, nesting, numbers) and its content
checked by `store.read_clinic` (itbtwin's JSON) or `store._fhir_import.bundle_clinic` (FHIR R4).
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itbtwin import store
from itbtwin.cli._exchange import read_json
from itbtwin.errors import ItbError, RecordError
from itbtwin.store._exchange_format import read_clinic
from itbtwin.store._fhir_import import bundle_clinic
from itbtwin.user_files import JSON_LIMIT_BYTES

from .conftest import build_clinic

HOSTILE: dict[str, tuple[bytes, str]] = {
    "binary": (bytes(range(256)) * 4, "binary"),
    "utf16": ('{"format": "itbtwin-clinic"}'.encode("utf-16"), "UTF-16"),
    "latin1": ('{"a": "caf\xe9"}'.encode("latin-1"), "not UTF-8 text (byte 0xE9"),
    "truncated": (b'{"format": "itbtwin-clinic", "patients": [{"identifier": "P0', "not JSON"),
    "nested": (b"[" * 100_000 + b"]" * 100_000, "deeper than 64"),
    "digits": (b'{"weight_kg": ' + b"9" * 100_000 + b"}", "beyond 64 bits"),
    "nan": (b'{"weight_kg": NaN}', "NaN"),
    "overflow": (b'{"weight_kg": 1e400}', "weight_kg: inf is not a finite number"),
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Any]:
    """The small clinic as itbtwin JSON and as a FHIR Bundle, as a file would hold them."""
    engine = store.open_engine(f"sqlite:///{tmp_path_factory.mktemp('clinic') / 'c.db'}")
    build_clinic(engine)
    with store.transaction(engine) as session:
        found = {"clinic": store.export_clinic(session), "fhir": store.export_fhir(session)}
    engine.dispose()
    return json.loads(json.dumps(found, default=str))


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_issue_17_a_hostile_import_file_is_one_line_naming_the_file(tmp_path, hostile):
    content, says = HOSTILE[hostile]
    path = tmp_path / "import.json"
    path.write_bytes(content)
    with pytest.raises(RecordError) as caught:
        read_json(path)
    message = str(caught.value)
    assert says in message and str(path) in message and "\n" not in message


def test_issue_17_an_import_over_the_cap_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as file:
        file.truncate(JSON_LIMIT_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(RecordError, match=f"larger than {JSON_LIMIT_BYTES / 1e6:g} MB"):
        read_json(path)


@pytest.mark.parametrize("hostile", ["binary", "nested", "digits"])
def test_issue_17_import_of_a_hostile_file_is_status_2_and_changes_nothing(
    cli, clinic_url, tmp_path, hostile
):
    content, says = HOSTILE[hostile]
    path = tmp_path / "import.json"
    path.write_bytes(content)
    result = cli("import", str(path), "--database", clinic_url)
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0]
    engine = store.open_engine(clinic_url)
    with store.transaction(engine) as session:
        assert len(store.list_patients(session)) == 3
    engine.dispose()


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["2026-02-30", "1800-01-01", "2026-09-01T10:00:00", "-5 mL", "[red]x[/]"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.just([{"a": "b"}]),
    st.sampled_from(["x" * 100_000, "P" * 5_000, "2026-09-01T10:00:00" + "0" * 1_000]),
    st.sampled_from([-1e300, 1e-300, 1e300, -0.0, 2**63 - 1, -(2**63)]),
    st.integers(60, 70).map(lambda depth: _nested(depth)),  # at and past the depth limit
)


def _nested(depth: int) -> list[Any]:
    value: list[Any] = [1]
    for _ in range(depth - 1):
        value = [value]
    return value


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        items = ()
    for key, item in items:
        found += _paths(item, (*prefix, key))
    return found


MUTATIONS = st.lists(
    st.tuples(st.integers(0, 2**31), st.sampled_from(["replace", "delete", "add"]), VALUES),
    min_size=1,
    max_size=3,
)
"""One to three changes, drawn before the document is touched (so what is drawn never depends
on the document): which path (an index), what to do there (replace the value, delete the key,
add an unknown key beside it), the value to put there."""


def mutated(document: dict[str, Any], changes: list[tuple[int, str, Any]]) -> dict[str, Any]:
    """The document with each change applied: a value replaced by a random one, a key removed
    or an unknown key added."""
    document = copy.deepcopy(document)
    for index, action, value in changes:
        paths = _paths(document)
        if not paths:
            break
        path = paths[index % len(paths)]
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict) and action == "add":
            parent["unknown_field"] = copy.deepcopy(value)
        else:
            parent[path[-1]] = copy.deepcopy(value)
    return document


READERS: dict[str, Callable[[Any], Any]] = {"clinic": read_clinic, "fhir": bundle_clinic}


@pytest.mark.parametrize("reader", list(READERS))
@settings(  # no example database: the documents come from today's export, which changes
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_issue_17_random_structures_import_or_raise_the_projects_error(documents, reader, data):
    document = mutated(documents[reader], data.draw(MUTATIONS))
    try:
        READERS[reader](document)
    except ItbError as err:
        assert "\n" not in str(err)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_issue_17_random_bytes_read_as_json_or_raise_the_projects_error(tmp_path_factory, data):
    path: Path = tmp_path_factory.mktemp("bytes") / "random.json"
    path.write_bytes(data)
    try:
        document = read_json(path)
    except ItbError:
        return
    for read in READERS.values():
        with contextlib.suppress(ItbError):
            read(document)
