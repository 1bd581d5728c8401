"""The ``itbtwin-clinic`` JSON format: its records and types, and the checks an import runs.

`read_clinic` checks a whole document before anything is written: the format marker and version,
every field's type, then the cheap record checks with the same catalogue functions the store
uses (ranges, origin, vertebral level, device, catheter, product, time zone, a program the device
can run). The safety checks (program change, refill reconciliation, past dates) are not re-run:
the history was judged when it was recorded and their findings are imported as recorded.
"""

from __future__ import annotations

import math
from collections import Counter
from contextlib import suppress
from datetime import date, datetime
from typing import Any

from itbtwin.clinic import weekly_mean_mcg
from itbtwin.drug import find_product
from itbtwin.errors import ItbError, RecordError
from itbtwin.pump import find_device, zone
from itbtwin.sim import read_program_document
from itbtwin.store._assessments import check_scores
from itbtwin.store._bounds import (
    check_bound,
    check_event_kind,
    check_identifier,
    check_implant_date,
    check_in_service,
    check_text,
    shown,
)
from itbtwin.store._patients import check_patient
from itbtwin.store._pumps import check_catheter, check_fraction, check_programmed
from itbtwin.store._schema import (
    Assessment,
    AuditEntry,
    Correction,
    EventRecord,
    Patient,
    ProgramVersion,
    Pump,
    RefillRecord,
    Revision,
)
from itbtwin.store._times import require_recorded, wall_time
from itbtwin.typed_dates import DATE, parse_datetime

FORMAT, VERSION = "itbtwin-clinic", 1
"""The format marker and the version this code writes and reads."""

MODEL: dict[str, type[Any]] = {
    "patient": Patient,
    "pump": Pump,
    "revision": Revision,
    "program": ProgramVersion,
    "refill": RefillRecord,
    "assessment": Assessment,
    "event": EventRecord,
    "audit": AuditEntry,
}
_TYPES = {str: "str", float: "number", int: "int", bool: "bool", date: "date", datetime: "datetime"}


def _columns(model: type[Any]) -> dict[str, str]:
    fields = {}
    for column in model.__table__.columns:
        if column.primary_key or column.foreign_keys or column.name == "entity_id":
            continue
        kind = _TYPES.get(column.type.python_type, "object")
        fields[column.name] = kind + ("?" if column.nullable else "")
    return fields


FIELDS = {kind: _columns(model) for kind, model in MODEL.items()}
LONGEST = {
    kind: {c.name: c.type.length for c in model.__table__.columns if getattr(c.type, "length", 0)}
    for kind, model in {**MODEL, "correction": Correction}.items()
}
"""The most characters each text column holds: PostgreSQL refuses a longer text at the insert,
with a traceback, and SQLite stores it (an assessor's name of 100,000 characters, issue 17)."""
FIELDS["audit"]["ref"] = "str?"
"""Every record's fields and JSON types (``?``: may be null), in the tables' column order; an
audit entry's `ref` (the path of its record in the document) replaces its database id."""
ADDED = {"discharged_at", "bridge_from_mcg_per_ml", "bridge_volume_ml", "bridge_duration_h"}
ADDED |= {"fraction", "product_expiry", "programmed_mcg_per_ml"}
"""Fields the records gained after version 1 of the format was written (migrations 0005, 0008
and 0011, issues 12 and 15, h30): a document written before them may leave them out, read as
null."""
NEST = {
    "patient": {"pumps": "pump", "assessments": "assessment"},
    "pump": {
        "revisions": "revision",
        "programs": "program",
        "refills": "refill",
        "events": "event",
    },
}
_EXPECTED = {
    "str": "text",
    "number": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "object": "an object",
    "date": "a date YYYY-MM-DD",
    "datetime": "a date and time YYYY-MM-DDTHH:MM (with its UTC offset in the hour the clocks "
    "go back)",
}
PLANNED = {"effective_at"}
"""Times that may lie ahead: a program change can be scheduled; every other time has happened."""


def _catheter(f: dict[str, Any]) -> None:
    check_catheter(f["catheter_model"], f["catheter_length_cm"], f["tip_level"])


def _patient(f: dict[str, Any], _: dict[str, Any]) -> None:
    check_identifier(f["identifier"], "the patient identifier")
    check_text(f["diagnosis"], "the diagnosis")
    check_patient(
        identifier=f["identifier"],
        birth_date=f["birth_date"],
        weight_kg=f["weight_kg"],
        origin=f["origin"],
        today=date.today(),
        injury_level=f["injury_level"],
        missed_visits=f["missed_visits"],
    )


def _pump(f: dict[str, Any], patient: dict[str, Any]) -> None:
    check_identifier(f["serial"], "the pump serial")
    find_device(f["device"])
    _catheter(f)
    check_implant_date(f["implanted_at"], patient["birth_date"])
    if f["explanted_at"] is not None and f["explanted_at"] < f["implanted_at"]:
        raise RecordError("explanted_at is before implanted_at")


def _after_implant(at: datetime, pump: dict[str, Any], what: str) -> None:
    check_in_service(at, pump["implanted_at"], pump["explanted_at"], what)


def _revision(f: dict[str, Any], pump: dict[str, Any]) -> None:
    _catheter(f)
    _after_implant(f["revised_at"], pump, "the revision")


def _program(f: dict[str, Any], pump: dict[str, Any]) -> None:
    if f["version"] < 1:
        raise RecordError(f"version numbers start at 1, got {f['version']}")
    check_bound("concentration_mcg_per_ml", f["concentration_mcg_per_ml"], "a concentration of")
    program, _ = read_program_document(
        f["document"], find_device(pump["device"]), f["concentration_mcg_per_ml"]
    )
    mean = weekly_mean_mcg(program)  # derived, as `program set` stores it: -5 was stored (issue 17)
    if not math.isclose(f["mean_daily_dose_mcg"], mean, rel_tol=1e-6, abs_tol=1e-6):
        raise RecordError(
            f"mean_daily_dose_mcg {f['mean_daily_dose_mcg']:g} is not the weekly mean of the "
            f"program's document ({mean:g} mcg/day)"
        )


def _refill(f: dict[str, Any], pump: dict[str, Any]) -> None:
    _after_implant(f["performed_at"], pump, "the refill")
    device = find_device(pump["device"])
    for name in ("withdrawn_ml", "expected_ml", "injected_ml", "measured_ml"):
        if f[name] is not None and not 0 <= f[name] <= device.reservoir_ml:
            raise RecordError(f"{name} {f[name]:g} is outside 0-{device.reservoir_ml:g} mL")
    check_bound("injected_ml", f["injected_ml"], "a fill of")
    check_text(f["lot"], "the lot")
    check_bound("concentration_mcg_per_ml", f["concentration_mcg_per_ml"], "a concentration of")
    if f["product"]:
        find_product(f["product"], f["concentration_mcg_per_ml"])


def _assessment(f: dict[str, Any], patient: dict[str, Any]) -> None:
    check_scores(f["mas"], f["penn_frequency"], f["penn_severity"])
    if f["assessed_at"].date() < patient["birth_date"]:
        raise RecordError(f"the assessment {f['assessed_at']} is before the patient's birth")


def _event(f: dict[str, Any], pump: dict[str, Any]) -> None:
    if not f["kind"].strip():
        raise RecordError("an event needs a kind")
    f["kind"] = check_event_kind(f["kind"])  # stored in its canonical spelling
    check_text(f["detail"], "the detail")
    check_fraction(f["kind"], f.get("fraction"))
    check_programmed(f["kind"], f.get("programmed_mcg_per_ml"))
    _after_implant(f["occurred_at"], pump, "the event")


def _audit(f: dict[str, Any], _: dict[str, Any]) -> None:
    if not f["actor"].strip():
        raise RecordError("an audit entry needs its actor")


CHECKS = {
    "patient": _patient,
    "pump": _pump,
    "revision": _revision,
    "program": _program,
    "refill": _refill,
    "assessment": _assessment,
    "event": _event,
    "audit": _audit,
}


def _pump_children(f: dict[str, Any], path: str) -> None:
    if not f["refills"]:
        raise RecordError(f"{path}.refills: a pump needs its implant fill (the first refill)")
    versions = [p["version"] for p in f["programs"]]
    if not versions:
        raise RecordError(f"{path}.programs: a pump needs its first program")
    if len(set(versions)) < len(versions):
        raise RecordError(f"{path}.programs: version numbers must be distinct")


def _typed(value: Any, kind: str, path: str) -> Any:
    base = kind.rstrip("?")
    if value is None and kind.endswith("?"):
        return None
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if base == "number" and number and math.isfinite(value):
        return float(value)
    if base == "int" and number and isinstance(value, int):
        return value
    kinds = {"str": str, "bool": bool, "object": dict}
    if base in kinds and isinstance(value, kinds[base]):
        return value
    if base == "date" and isinstance(value, str) and DATE.fullmatch(value):
        with suppress(ValueError):  # 2026-02-30
            return date.fromisoformat(value)
    if base == "datetime" and isinstance(value, str):  # one form, no week date (issue 17)
        parsed = parse_datetime(value, written=True)
        if parsed is not None:
            return parsed  # a time's offset is settled in its zone (`_record_times`)
    raise RecordError(f"{path}: expected {_EXPECTED[base]}")


def _time_zone(fields: dict[str, Any], kind: str, parent: dict[str, Any]) -> str | None:
    """The zone a record's wall times are read in: its pump's (an assessment: the patient's last
    pump's, as `store.assess` reads it); audit times are UTC; a patient's own, none."""
    if kind == "audit":
        return "UTC"
    if kind == "pump":
        return zone(fields["time_zone"]).key  # an unknown zone is refused before a time is read
    if kind == "assessment":
        return parent["pumps"][-1]["time_zone"] if parent.get("pumps") else None
    return parent.get("time_zone")


def _record_times(fields: dict[str, Any], kind: str, parent: dict[str, Any]) -> None:
    """Each time as stored, checked as the command line checks a typed one (issue 17): in its
    zone a time the clocks skipped is refused, one they repeated needs its UTC offset
    (`wall_time`), and none but a planned program change may lie in the future."""
    time_zone = _time_zone(fields, kind, parent)
    for name, type_name in FIELDS[kind].items():
        at = fields[name]
        if type_name.rstrip("?") != "datetime" or at is None:
            continue
        if time_zone is not None:
            at = fields[name] = wall_time(at, time_zone, name)
        elif at.tzinfo is not None:  # a patient's own time: the wall time it names
            at = fields[name] = at.replace(tzinfo=None)
        if name not in PLANNED:
            require_recorded(at, time_zone, name)


def _items(data: dict[str, Any], name: str, path: str) -> list[Any]:
    if name not in data:
        raise RecordError(f"{path}.{name}: missing")
    if not isinstance(data[name], list):
        raise RecordError(f"{path}.{name}: expected a list")
    return data[name]


def _check_lengths(fields: dict[str, Any], kind: str, path: str) -> None:
    for name, longest in LONGEST[kind].items():
        if isinstance(fields.get(name), str) and len(fields[name]) > longest:
            raise RecordError(
                f"{path}.{name}: longer than {longest:,} characters ({len(fields[name]):,})"
            )


def _parse(data: Any, kind: str, path: str, parent: dict[str, Any], refs: dict[str, str]) -> Any:
    """One record as typed fields (children under their list names), checked; errors name it."""
    if not isinstance(data, dict):
        raise RecordError(f"{path}: expected an object")
    nest = NEST.get(kind, {})
    unknown = sorted(set(data) - set(FIELDS[kind]) - set(nest))
    if unknown:
        raise RecordError(f"{path}.{unknown[0]}: not a field of a {kind} record")
    fields = {}
    for name, type_name in FIELDS[kind].items():
        if name not in data and name not in ADDED:
            raise RecordError(f"{path}.{name}: missing")
        fields[name] = _typed(data.get(name), type_name, f"{path}.{name}")
    _check_lengths(fields, kind, path)
    try:
        _record_times(fields, kind, parent)
        CHECKS[kind](fields, parent)
    except ItbError as err:
        raise RecordError(f"{path}: {err}") from None
    ref = fields["identifier"] if kind == "patient" else parent.get("ref", "")
    if kind != "audit":
        refs[ref] = MODEL[kind].__tablename__
    for attr, child in nest.items():
        fields[attr] = [
            _parse(r, child, f"{path}.{attr}[{i}]", {**fields, "ref": f"{ref}/{attr}/{i}"}, refs)
            for i, r in enumerate(_items(data, attr, path))
        ]
    if kind == "pump":
        _pump_children(fields, path)
    return fields


CORRECTION = {
    "entity": "str",
    "original": "str",
    "replacement": "str?",
    "kind": "str",
    "corrected_at": "datetime",
    "corrected_by": "str",
    "reason": "str",
}
"""A correction's fields: its entries are named by their paths in the document (`original`,
`replacement`), like an audit entry's `ref`. Documents written before corrections have none."""


def _correction(data: Any, path: str, refs: dict[str, str]) -> dict[str, Any]:
    if not isinstance(data, dict) or set(data) != set(CORRECTION):
        raise RecordError(f"{path}: expected an object with {', '.join(CORRECTION)}")
    fields = {k: _typed(data[k], kind, f"{path}.{k}") for k, kind in CORRECTION.items()}
    _check_lengths(fields, "correction", path)
    try:
        fields["corrected_at"] = require_recorded(
            wall_time(fields["corrected_at"], "UTC", "corrected_at"), "UTC", "corrected_at"
        )
    except ItbError as err:
        raise RecordError(f"{path}: {err}") from None
    for key in ("original", "replacement"):
        ref = fields[key]
        if (key == "original" or ref is not None) and refs.get(ref) != fields["entity"]:
            raise RecordError(f"{path}.{key}: no {fields['entity']} {shown(str(ref))} in the file")
    if fields["kind"] not in ("amend", "void") or (fields["kind"] == "amend") != bool(
        fields["replacement"]
    ):
        raise RecordError(f"{path}.kind: an amendment names its replacement, a voiding none")
    return fields


def _one_refill_a_minute(patients: list[dict[str, Any]], corrected: set[str]) -> None:
    """One visit is one refill, as `refill record` refuses a second at the same minute; a
    corrected original (amended or voided) may share its replacement's minute (issue 17)."""
    for i, patient in enumerate(patients):
        for j, pump in enumerate(patient["pumps"]):
            seen: dict[datetime, int] = {}
            for k, refill in enumerate(pump["refills"]):
                if f"{patient['identifier']}/pumps/{j}/refills/{k}" in corrected:
                    continue
                minute = refill["performed_at"].replace(second=0, microsecond=0)
                if minute in seen:
                    raise RecordError(
                        f"patients[{i}].pumps[{j}].refills[{k}]: pump {pump['serial']} already "
                        f"has refills[{seen[minute]}] at {minute:%Y-%m-%d %H:%M}: one visit is "
                        "one refill"
                    )
                seen[minute] = k


def read_clinic(document: Any) -> dict[str, Any]:
    """Check a whole ``itbtwin-clinic`` document; any problem is a one-line `RecordError`.

    Returns ``{"patients": [...], "audit": [...], "exported_at": ...}`` with typed fields
    (dates and times parsed, numbers as float).
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RecordError(f"not an itbtwin clinic export (no 'format': '{FORMAT}')")
    if document.get("version") != VERSION:
        raise RecordError(
            f"itbtwin clinic export version {document.get('version')!r} is not supported "
            f"(this itbtwin reads version {VERSION})"
        )
    refs: dict[str, str] = {}
    patients = [
        _parse(p, "patient", f"patients[{i}]", {}, refs)
        for i, p in enumerate(_items(document, "patients", "clinic"))
    ]
    identifiers = [p["identifier"] for p in patients]
    serials = [pump["serial"] for p in patients for pump in p["pumps"]]
    for what, seen in (("patient", identifiers), ("pump serial", serials)):
        lowered = Counter(x.lower() for x in seen)  # unique whatever the case
        twice = [x for x in seen if lowered[x.lower()] > 1]
        if twice:
            raise RecordError(f"the file holds {what} {twice[0]!r} twice")
    trail = []
    for i, entry in enumerate(_items(document, "audit", "clinic")):
        fields = _parse(entry, "audit", f"audit[{i}]", {}, refs)
        if fields["ref"] is not None and refs.get(fields["ref"]) != fields["entity"]:
            raise RecordError(
                f"audit[{i}].ref: no {fields['entity']} {shown(str(fields['ref']))} in the file"
            )
        trail.append(fields)
    corrections = [
        _correction(c, f"corrections[{i}]", refs)
        for i, c in enumerate(_items(document, "corrections", "clinic"))
    ] if "corrections" in document else []  # fmt: skip
    originals = Counter((c["entity"], c["original"]) for c in corrections)
    if any(n > 1 for n in originals.values()):
        raise RecordError("corrections: an entry is corrected twice")
    _one_refill_a_minute(patients, {ref for _, ref in originals})
    return {
        "patients": patients,
        "audit": trail,
        "corrections": corrections,
        "exported_at": document.get("exported_at"),
    }
