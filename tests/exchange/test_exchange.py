"""The clinic as one JSON document: an import of an export gives the same clinic back on every
database kind, keeps the audit trail as history, and a bad file changes nothing (issue 6)."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itbtwin import store
from itbtwin.errors import RecordError
from itbtwin.patient import MAS_GRADES
from store_clinic import patient_count

from .conftest import IMPLANT, NOW, build_clinic


def _export(url: str) -> dict:
    engine = store.open_engine(url)
    with store.transaction(engine) as session:
        document = store.export_clinic(session)
    engine.dispose()
    return json.loads(json.dumps(document))  # exactly what a file would hold


def _import(url: str, document: dict, actor: str = "importer") -> dict[str, int]:
    engine = store.open_engine(url)
    try:
        store.upgrade(engine)
        with store.transaction(engine) as session:
            return store.import_clinic(session, document, actor, file="clinic.json")
    finally:
        engine.dispose()


def _same_clinic(original: dict, again: dict) -> None:
    """`again` is `original` plus one audit entry for the import, exported at another time."""
    *history, entry = again["audit"]
    assert {**again, "audit": history, "exported_at": original["exported_at"]} == original
    assert (entry["actor"], entry["action"], entry["ref"]) == ("importer", "clinic.import", None)
    assert entry["what"]["file"] == "clinic.json"


def test_import_of_an_export_gives_the_same_clinic_back(clinic_url, empty_sqlite):
    original = _export(clinic_url)
    counts = _import(empty_sqlite, original)
    assert counts == {
        "patients": 3,
        "pumps": 4,
        "assessments": 2,
        "revisions": 1,
        "programs": 5,
        "refills": 5,
        "events": 1,
        "audit_entries": 14,
    }
    _same_clinic(original, _export(empty_sqlite))


def test_an_export_imports_into_each_database_kind(tmp_path, database_url):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    engine = store.open_engine(source)
    build_clinic(engine)
    engine.dispose()
    original = _export(source)
    _import(database_url, original)
    _same_clinic(original, _export(database_url))


def test_the_document_carries_units_in_keys_and_iso_times(clinic_url):
    document = _export(clinic_url)
    assert (document["format"], document["version"]) == ("itbtwin-clinic", 1)
    p001 = document["patients"][0]
    assert p001["weight_kg"] == 70.0 and p001["birth_date"] == "1980-05-01"
    pump = p001["pumps"][0]
    assert pump["implanted_at"] == IMPLANT.isoformat()
    assert [r["injected_ml"] for r in pump["refills"]] == [20.0, 20.0]
    assert [v["version"] for v in pump["programs"]] == [1, 2]
    assert pump["programs"][1]["document"]["daily_dose"] == "275.0 mcg/day"


def test_audit_history_keeps_its_actors_times_and_records(clinic_url, tmp_path):
    target = f"sqlite:///{tmp_path / 'busy.db'}"
    build_clinic_other(target)  # ids in the target no longer match the source's
    original = _export(clinic_url)
    _import(target, original)
    engine = store.open_engine(target)
    with store.transaction(engine) as session:
        entries = [e for e in store.audit_trail(session) if e.action == "refill.record"]
        refill = session.get(store.RefillRecord, entries[-1].entity_id)
        assert refill is not None and refill.performed_at == datetime(2026, 10, 1, 10, 0)
        assert refill.lot == "L2"
    engine.dispose()
    source = next(e for e in original["audit"] if e["action"] == "refill.record")
    assert source["ref"] == "P001/pumps/0/refills/1"
    assert entries[-1].actor == source["actor"] == "nurse"
    assert entries[-1].at.isoformat() == source["at"]


def build_clinic_other(url: str) -> None:
    """A target clinic with records of its own (different identifiers and serials)."""
    engine = store.open_engine(url)
    build_clinic(engine)
    with store.transaction(engine) as session:
        for patient in store.list_patients(session):
            patient.identifier = f"X-{patient.identifier}"
            for pump in patient.pumps:
                pump.serial = f"X-{pump.serial}"
    engine.dispose()


def _set(document: dict, path: tuple, value: object) -> dict:
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


BAD = [
    (("format",), KeyError, r"^not an itbtwin clinic export \(no 'format': 'itbtwin-clinic'\)$"),
    (("version",), 2, "version 2 is not supported"),
    (
        ("patients", 0, "pumps", 0, "refills", 1, "injected_ml"),
        "20",
        r"^patients\[0\]\.pumps\[0\]\.refills\[1\]\.injected_ml: expected a number$",
    ),
    (("patients", 1, "birth_date"), "3 Feb 2001", r"patients\[1\]\.birth_date: expected a date"),
    (("patients", 0, "pumps", 0, "device"), "pump9000", r"^patients\[0\]\.pumps\[0\]: .*pump9000"),
    (("patients", 0, "pumps", 0, "refills", 0, "injected_ml"), 45.0, "outside 0-20 mL"),
    (("patients", 0, "assessments", 0, "mas", "hip adductors L"), "6", "Modified Ashworth"),
    (("patients", 0, "colour"), "blue", r"patients\[0\]\.colour: not a field of a patient"),
    (("patients", 2, "identifier"), "P001", "the file holds patient 'P001' twice"),
    (("audit", 0, "ref"), "P999", r"audit\[0\]\.ref: no patient 'P999' in the file"),
    (("patients", 0, "pumps", 0, "programs", 1, "version"), 1, "version numbers must be distinct"),
    (("patients",), {}, r"clinic\.patients: expected a list"),
    (("patients", 0, "weight_kg"), float("nan"), r"patients\[0\]\.weight_kg: expected a number"),
    (("patients", 0, "weight_kg"), 0.07, "impossible .* check the unit"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD)
def test_a_bad_document_is_refused_naming_the_problem_and_changes_nothing(
    clinic_url, empty_sqlite, path, value, message
):
    document = _set(_export(clinic_url), path, value)
    with pytest.raises(RecordError, match=message) as refused:
        _import(empty_sqlite, document)
    assert "\n" not in str(refused.value)
    assert patient_count(empty_sqlite) == 0


def test_records_already_stored_are_refused_and_nothing_changes(clinic_url):
    document = _export(clinic_url)
    with pytest.raises(RecordError, match="patient 'P001' is already in this database"):
        _import(clinic_url, document)
    only_serial = _set(document, ("patients", 0, "identifier"), "P100")
    only_serial["audit"] = [a for a in only_serial["audit"] if a["ref"] is None]
    with pytest.raises(RecordError, match="pump serial 'NGP001' is already in this database"):
        _import(clinic_url, {**only_serial, "patients": only_serial["patients"][:1]})
    assert patient_count(clinic_url) == 3


def test_a_failure_while_writing_leaves_the_database_as_it_was(
    clinic_url, empty_sqlite, monkeypatch
):
    import itbtwin.store._exchange as exchange

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exchange, "audit", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(empty_sqlite, _export(clinic_url))
    assert patient_count(empty_sqlite) == 0


grades = st.dictionaries(
    st.sampled_from(["hip adductors L", "hip adductors R", "knee flexors L", "elbow flexors R"]),
    st.sampled_from(MAS_GRADES),
    min_size=1,
)
penn = st.one_of(
    st.tuples(st.just(None), st.just(None)),
    st.tuples(st.just(0), st.just(None)),
    st.tuples(st.integers(1, 4), st.one_of(st.none(), st.integers(1, 3))),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(grades, penn), min_size=1, max_size=4))
def test_any_assessments_round_trip(tmp_path_factory, assessments):
    folder = tmp_path_factory.mktemp("hyp")
    source, target = f"sqlite:///{folder / 'a.db'}", f"sqlite:///{folder / 'b.db'}"
    engine = store.open_engine(source)
    store.upgrade(engine)
    with store.transaction(engine) as session:
        patient = store.add_patient(
            session, "nurse", identifier="H1", birth_date=datetime(1990, 1, 1).date(),
            weight_kg=60.5, origin="cerebral", today=NOW.date(),
        )  # fmt: skip
        for i, (mas, (frequency, severity)) in enumerate(assessments):
            store.assess(
                session, "physio", patient, assessed_at=IMPLANT + timedelta(days=i), mas=mas,
                now=NOW, penn_frequency=frequency, penn_severity=severity,
            )  # fmt: skip
    engine.dispose()
    original = _export(source)
    _import(target, original)
    _same_clinic(original, _export(target))
    assert [a["mas"] for a in original["patients"][0]["assessments"]] == [m for m, _ in assessments]


def test_the_documented_example_imports(empty_sqlite):
    docs = Path(__file__).parents[2] / "docs" / "exchange.md"
    example = docs.read_text().split("```json\n", 1)[1].split("```", 1)[0]
    counts = _import(empty_sqlite, json.loads(example))
    assert (counts["patients"], counts["refills"], counts["audit_entries"]) == (1, 1, 1)
