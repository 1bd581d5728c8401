"""A wrong concentration's programmed value (`event.programmed_mcg_per_ml`, migration 0011) travels
with the records: the JSON and FHIR exports carry it and their imports give it back; an import
refuses one that is out of bounds or on another kind of event, importing nothing; the NONMEM
export's doses are the replay's, which delivers the pump's volume at the filled concentration
(h39)."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.errors import RecordError
from itbtwin.store._nonmem import pump_doses

from . import test_fhir
from .conftest import NOW, build_clinic
from .test_fhir import _resources

r4_schema = test_fhir.r4_schema  # the official R4 schema, fetched once (a fixture)

FOUND = datetime(2026, 10, 25, 9, 0)
"""When NGP002's wrong concentration is found: 1000 mcg/mL programmed, 500 mcg/mL filled."""


@pytest.fixture
def faulty_clinic(database_url) -> str:
    """The exchange tests' small clinic and, on P002's pump, a wrong concentration found."""
    engine = store.open_engine(database_url)
    build_clinic(engine)
    with store.transaction(engine) as session:
        store.record_event(
            session, "nurse", store.find_pump(session, "NGP002"), occurred_at=FOUND,
            kind="wrong_concentration", detail="1000 mcg/mL in the program", now=NOW,
            programmed_mcg_per_ml=1000.0,
        )  # fmt: skip
    engine.dispose()
    return database_url


def _events(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for p in document["patients"] for pump in p["pumps"] for e in pump["events"]]


def _exported(url: str, fhir: bool = False) -> dict[str, Any]:
    engine = store.open_engine(url)
    with store.transaction(engine) as session:
        found = store.export_fhir(session) if fhir else store.export_clinic(session)
    engine.dispose()
    return json.loads(json.dumps(found))


def _imported(url: str, document: dict[str, Any], fhir: bool = False) -> None:
    engine = store.open_engine(url)
    try:
        with store.transaction(engine) as session:
            if fhir:
                store.import_fhir(session, document, "importer", file="bundle.json")
            else:
                store.import_clinic(session, document, "importer", file="clinic.json")
    finally:
        engine.dispose()


def _wrong_concentration(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle's one Observation of a wrong concentration."""
    [found] = [
        o
        for o in _resources(bundle, "Observation")
        if o["code"].get("text") == "wrong_concentration"
    ]
    return found


def _event_rows(url: str) -> int:
    engine = store.open_engine(url)
    with store.transaction(engine) as session:
        count = session.scalar(select(func.count(store.EventRecord.id)))
    engine.dispose()
    return count or 0


@pytest.mark.parametrize("fhir", [False, True], ids=["json", "fhir"])
def test_a_programmed_concentration_round_trips(faulty_clinic, empty_sqlite, fhir):
    _imported(empty_sqlite, _exported(faulty_clinic, fhir), fhir)
    events = {e["kind"]: e for e in _events(_exported(empty_sqlite))}
    assert events["wrong_concentration"]["programmed_mcg_per_ml"] == 1000.0
    assert events["low_reservoir"]["programmed_mcg_per_ml"] is None
    assert _events(_exported(empty_sqlite)) == _events(_exported(faulty_clinic))


def test_fhir_writes_it_as_a_component_ratio_in_ucum_valid_in_r4(faulty_clinic, r4_schema):
    import jsonschema

    bundle = _exported(faulty_clinic, fhir=True)
    assert list(jsonschema.Draft6Validator(r4_schema).iter_errors(bundle)) == []
    found = _wrong_concentration(bundle)
    [component] = found["component"]
    assert component["code"]["coding"][0]["code"] == "programmed-concentration"
    ratio = component["valueRatio"]
    assert (ratio["numerator"]["value"], ratio["numerator"]["code"]) == (1000.0, "ug")
    assert (ratio["denominator"]["value"], ratio["denominator"]["code"]) == (1, "mL")


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        (
            20_000.0,
            "wrong_concentration",
            "a programmed concentration of 20000 mcg/mL is impossible",
        ),
        (0.0, "wrong_concentration", "a programmed concentration of 0 mcg/mL is impossible"),
        (500.0, "low_reservoir", "only for a wrong_concentration, not low_reservoir"),
    ],
)
def test_a_json_import_refuses_a_programmed_concentration_it_cannot_stand_behind(
    faulty_clinic, empty_sqlite, value, kind, message
):
    document = copy.deepcopy(_exported(faulty_clinic))
    [event] = [e for e in _events(document) if e["programmed_mcg_per_ml"] is not None]
    event["programmed_mcg_per_ml"], event["kind"] = value, kind
    with pytest.raises(RecordError, match=message):
        _imported(empty_sqlite, document)
    assert _event_rows(empty_sqlite) == 0


def test_a_fhir_import_refuses_a_programmed_concentration_without_its_unit(
    faulty_clinic, empty_sqlite
):
    bundle = _exported(faulty_clinic, fhir=True)
    found = _wrong_concentration(bundle)
    del found["component"][0]["valueRatio"]["numerator"]["code"]
    with pytest.raises(RecordError, match=r"component\.valueRatio: 1000\.0 has no UCUM unit"):
        _imported(empty_sqlite, bundle, fhir=True)
    assert _event_rows(empty_sqlite) == 0


def test_nonmem_doses_after_a_wrong_concentration_are_the_pump_volume_at_the_filled_drug(
    faulty_clinic,
):
    # NGP002: 100 mcg/day told to a pump programmed for 1000 mcg/mL moves 0.1 mL/day, which
    # carries 50 mcg/day of the 500 mcg/mL filled: half the dose (2.083 mcg/h) from the finding.
    engine = store.open_engine(faulty_clinic)
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP002")
        rows = pump_doses(pump, until=NOW)
    engine.dispose()
    before = [rate for at, rate, _ in rows if at < FOUND and rate > 0]
    after = [rate for at, rate, _ in rows if at >= FOUND and rate > 0]
    assert before[-1] == pytest.approx(100 / 24, rel=1e-9)
    assert after and all(rate == pytest.approx(50 / 24, rel=1e-9) for rate in after)
