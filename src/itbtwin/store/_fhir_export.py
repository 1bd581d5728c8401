"""A clinic document (`export_clinic`) as one FHIR R4 transaction Bundle.

The mapping, and why each choice (docs/exchange.md, "FHIR R4"): a patient is a `Patient` (the
boxed-warning risk factors as extensions), their spasticity a `Condition`, their weight an
`Observation`; a pump and each catheter are `Device`s (catheter → pump by `parent`), the implanted
period a `DeviceUseStatement`; each program version a `MedicationRequest` (the prescription: daily
dose as `rateRatio` mcg per 1 day, route intrathecal) and the period it ran a
`MedicationAdministration` (a bridge bolus one more); the drug a `Medication` (baclofen with its
concentration as strength); a refill a `Procedure` with an `Observation` per volume; a catheter
revision a `Procedure`; an assessment a panel `Observation` whose members are the MAS grade of
each muscle group and the Penn scores; a pump event an `Observation`; each audit entry a
`Provenance`. Resource ids are name-based UUIDs of the record's path in the clinic, so the same
record gets the same id in every export. Record times are the clinic's wall-clock time in the
pump's time zone and are written with that zone's UTC offset.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from itbtwin.pump import find_device
from itbtwin.store import _fhir_codes as codes

NAMESPACE = uuid.UUID("6f0d5a51-3a0e-5a3b-9d1e-1b7a2c1f1d00")
"""The namespace of itbtwin's name-based resource ids (uuid5 of kind and record path)."""


def resource_id(kind: str, ref: str) -> str:
    """The stable id of the `kind` resource of the record at `ref` ("P001/pumps/0")."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{ref}"))


def reference(kind: str, ref: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id(kind, ref)}"}


def _when(text: str, zone: str) -> str:
    """An ISO wall-clock time of the record as a FHIR dateTime with its zone's offset."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).isoformat()


def _ext(name: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": codes.extension_url(name), f"value{kind}": value}


def _exts(*items: tuple[str, str, Any]) -> list[dict[str, Any]]:
    """Extensions for the fields that have a value (FHIR has no empty strings or nulls)."""
    return [_ext(*item) for item in items if item[2] not in (None, "")]


class _Bundle:
    """The entries of one Bundle, in order, each PUT under its stable id."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.medications: set[str] = set()

    def add(self, kind: str, ref: str, resource: dict[str, Any]) -> None:
        rid = resource_id(kind, ref)
        present = {k: v for k, v in resource.items() if v not in ([], {}, None)}
        resource = {"resourceType": present.pop("resourceType"), "id": rid, **present}
        request = {"method": "PUT", "url": f"{resource['resourceType']}/{rid}"}
        self.entries.append(
            {"fullUrl": f"urn:uuid:{rid}", "resource": resource, "request": request}
        )

    def medication(self, product: str | None, mcg_per_ml: float) -> dict[str, str]:
        """The `Medication` of baclofen at `mcg_per_ml` (a product's, or any product's)."""
        key = f"{product or ''}@{mcg_per_ml!r}"
        if key not in self.medications:
            self.medications.add(key)
            name = f"{product} (baclofen)" if product else "Baclofen injection"
            self.add(
                "Medication",
                key,
                {
                    "resourceType": "Medication",
                    "code": {"text": f"{name} {mcg_per_ml:g} mcg/mL, intrathecal"},
                    "ingredient": [
                        {
                            "itemCodeableConcept": {"text": "baclofen"},
                            "isActive": True,
                            "strength": {
                                "numerator": codes.quantity(mcg_per_ml, "mcg"),
                                "denominator": codes.quantity(1, "mL"),
                            },
                        }
                    ],
                    "extension": _exts(("product", "String", product)),
                },
            )
        return reference("Medication", key)


def _patient(out: _Bundle, p: dict[str, Any], zone: str) -> None:
    ref = p["identifier"]
    subject = reference("Patient", ref)
    out.add(
        "Patient",
        ref,
        {
            "resourceType": "Patient",
            "identifier": [{"system": codes.PATIENT_IDENTIFIER, "value": ref}],
            "active": p["discharged_at"] is None,
            "birthDate": p["birth_date"],
            "extension": _exts(
                ("time-zone", "String", zone),
                ("communication-difficulty", "Boolean", p["communication_difficulty"]),
                ("prior-withdrawal", "Boolean", p["prior_withdrawal"]),
                ("missed-visits", "Integer", p["missed_visits"]),
                (
                    "discharged-at",
                    "DateTime",
                    p["discharged_at"] and _when(p["discharged_at"], zone),
                ),
            ),
        },
    )
    out.add(
        "Condition",
        ref,
        {
            "resourceType": "Condition",
            "subject": subject,
            **({"code": {"text": p["diagnosis"]}} if p["diagnosis"] else {}),
            "extension": _exts(
                ("origin", "Code", p["origin"]), ("injury-level", "String", p["injury_level"])
            ),
        },
    )
    out.add(
        "Observation",
        f"{ref}/weight",
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [codes.BODY_WEIGHT], "text": "Body weight"},
            "subject": subject,
            "valueQuantity": codes.quantity(p["weight_kg"], "kg"),
        },
    )


def _catheter(out: _Bundle, ref: str, pump_ref: str, patient: dict[str, str], c: dict) -> None:
    out.add(
        "Device",
        ref,
        {
            "resourceType": "Device",
            "modelNumber": c["catheter_model"],
            "deviceName": [
                {"name": f"Intrathecal catheter {c['catheter_model']}", "type": "model-name"}
            ],
            "patient": patient,
            "parent": reference("Device", pump_ref),
            "extension": _exts(
                ("catheter-length", "Quantity", codes.quantity(c["catheter_length_cm"], "cm")),
                ("tip-level", "String", c["tip_level"]),
            ),
        },
    )


def _pump(out: _Bundle, ref: str, pump: dict[str, Any], patient: dict[str, str]) -> None:
    zone = pump["time_zone"]
    spec = find_device(pump["device"])
    out.add(
        "Device",
        ref,
        {
            "resourceType": "Device",
            "identifier": [{"system": codes.PUMP_SERIAL, "value": pump["serial"]}],
            "status": "inactive" if pump["explanted_at"] else "active",
            "manufacturer": spec.maker,
            "serialNumber": pump["serial"],
            "deviceName": [{"name": spec.name, "type": "model-name"}],
            "modelNumber": pump["device"],
            "patient": patient,
            "extension": _exts(("time-zone", "String", zone)),
        },
    )
    _catheter(out, f"{ref}/catheter", ref, patient, pump)
    period = {"start": _when(pump["implanted_at"], zone)}
    if pump["explanted_at"]:
        period["end"] = _when(pump["explanted_at"], zone)
    out.add(
        "DeviceUseStatement",
        ref,
        {
            "resourceType": "DeviceUseStatement",
            "status": "completed" if pump["explanted_at"] else "active",
            "subject": patient,
            "device": reference("Device", ref),
            "timingPeriod": period,
        },
    )
    for i, revision in enumerate(pump["revisions"]):
        _revision(out, f"{ref}/revisions/{i}", ref, patient, revision, zone)
    programs = pump["programs"]
    for i, program in enumerate(programs):
        end = programs[i + 1]["effective_at"] if i + 1 < len(programs) else pump["explanted_at"]
        _program(out, f"{ref}/programs/{i}", ref, patient, program, end, zone)
    for i, refill in enumerate(pump["refills"]):
        _refill(out, f"{ref}/refills/{i}", ref, patient, refill, zone)
    for i, event in enumerate(pump["events"]):
        _event(out, f"{ref}/events/{i}", ref, patient, event, zone)


def _revision(out: _Bundle, ref: str, pump_ref: str, patient: dict, r: dict, zone: str) -> None:
    _catheter(out, ref, pump_ref, patient, r)
    out.add(
        "Procedure",
        ref,
        {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {"coding": [codes.local("catheter-revision")], "text": "Catheter revision"},
            "subject": patient,
            "performedDateTime": _when(r["revised_at"], zone),
            "reasonCode": [{"text": r["reason"]}] if r["reason"] else [],
            "focalDevice": [{"manipulated": reference("Device", ref)}],
        },
    )


def _daily_rate(mcg_per_day: float) -> dict[str, Any]:
    return {
        "rateRatio": {
            "numerator": codes.quantity(mcg_per_day, "mcg"),
            "denominator": codes.quantity(1, "day"),
        }
    }


def _program(
    out: _Bundle, ref: str, pump_ref: str, patient: dict, p: dict, end: str | None, zone: str
) -> None:
    medication = out.medication(None, p["concentration_mcg_per_ml"])
    dosage = {
        "text": f"{p['mean_daily_dose_mcg']:g} mcg/day intrathecal (program version "
        f"{p['version']}, {p['document'].get('mode', 'program')})",
        "route": {"coding": [codes.INTRATHECAL_ROUTE]},
        "doseAndRate": [_daily_rate(p["mean_daily_dose_mcg"])],
    }
    out.add(
        "MedicationRequest",
        ref,
        {
            "resourceType": "MedicationRequest",
            "status": "active" if end is None else "completed",
            "intent": "order",
            "medicationReference": medication,
            "subject": patient,
            "authoredOn": _when(p["effective_at"], zone),
            "requester": {"display": p["entered_by"]},
            "dosageInstruction": [dosage],
            "extension": _exts(
                ("program-version", "Integer", p["version"]),
                ("program", "String", json.dumps(p["document"], ensure_ascii=False)),
                ("safety-verdict", "Code", p["verdict"]),
                ("override-reason", "String", p["override_reason"]),
            ),
        },
    )
    period = {"start": _when(p["effective_at"], zone)}
    if end is not None:
        period["end"] = _when(end, zone)
    out.add(
        "MedicationAdministration",
        ref,
        {
            "resourceType": "MedicationAdministration",
            "status": "in-progress" if end is None else "completed",
            "medicationReference": medication,
            "subject": patient,
            "effectivePeriod": period,
            "request": reference("MedicationRequest", ref),
            "device": [reference("Device", pump_ref)],
            "dosage": {
                "route": dosage["route"],
                "rateRatio": _daily_rate(p["mean_daily_dose_mcg"])["rateRatio"],
            },
        },
    )
    if p["bridge_from_mcg_per_ml"] is not None:
        _bridge(out, ref, pump_ref, patient, p, zone)


def _bridge(out: _Bundle, ref: str, pump_ref: str, patient: dict, p: dict, zone: str) -> None:
    """The bridge bolus: the old solution left in the path, delivered before the new one."""
    end = datetime.fromisoformat(p["effective_at"]) + timedelta(hours=p["bridge_duration_h"])
    end_text = end.isoformat()
    out.add(
        "MedicationAdministration",
        f"{ref}/bridge",
        {
            "resourceType": "MedicationAdministration",
            "status": "completed",
            "medicationReference": out.medication(None, p["bridge_from_mcg_per_ml"]),
            "subject": patient,
            "effectivePeriod": {
                "start": _when(p["effective_at"], zone),
                "end": _when(end_text, zone),
            },
            "request": reference("MedicationRequest", ref),
            "device": [reference("Device", pump_ref)],
            "dosage": {
                "text": "bridge bolus: the previous solution left in the pump and catheter",
                "route": {"coding": [codes.INTRATHECAL_ROUTE]},
                "dose": codes.quantity(p["bridge_volume_ml"], "mL"),
            },
            "extension": _exts(("bridge-duration-hours", "Decimal", p["bridge_duration_h"])),
        },
    )


def _refill(out: _Bundle, ref: str, pump_ref: str, patient: dict, r: dict, zone: str) -> None:
    out.add(
        "Procedure",
        ref,
        {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {"coding": [codes.local("pump-refill")], "text": "Pump refill"},
            "subject": patient,
            "performedDateTime": _when(r["performed_at"], zone),
            "performer": [{"actor": {"display": r["performed_by"]}}],
            "focalDevice": [{"manipulated": reference("Device", pump_ref)}],
            "usedReference": [out.medication(r["product"], r["concentration_mcg_per_ml"])],
            "extension": _exts(
                ("lot", "String", r["lot"]), ("pocket-fill-flag", "Boolean", r["pocket_fill_flag"])
            ),
        },
    )
    values = [(code, r[field], "mL") for code, field in codes.REFILL_VOLUMES.items()]
    for code, value, unit in [*values, ("delivery-error", r["error_pct"], "%")]:
        if value is None:
            continue
        out.add(
            "Observation",
            f"{ref}/{code}",
            {
                "resourceType": "Observation",
                "status": "final",
                "code": {"coding": [codes.local(code)]},
                "subject": patient,
                "partOf": [reference("Procedure", ref)],
                "effectiveDateTime": _when(r["performed_at"], zone),
                "valueQuantity": codes.quantity(value, unit),
            },
        )


def _event(out: _Bundle, ref: str, pump_ref: str, patient: dict, e: dict, zone: str) -> None:
    component = []
    if e["fraction"] is not None:
        component.append(
            {
                "code": {"coding": [codes.local("affected-flow-fraction")]},
                "valueQuantity": {"value": e["fraction"], "system": codes.UCUM, "code": "1"},
            }
        )
    out.add(
        "Observation",
        ref,
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [codes.local("pump-event")], "text": e["kind"]},
            "subject": patient,
            "device": reference("Device", pump_ref),
            "effectiveDateTime": _when(e["occurred_at"], zone),
            **({"valueString": e["detail"]} if e["detail"] else {}),
            "component": component,
        },
    )


def _assessment(out: _Bundle, ref: str, patient: dict, a: dict, zone: str) -> None:
    when = _when(a["assessed_at"], zone)
    members = []

    def member(name: str, code: dict[str, Any], value: dict[str, Any], **more: Any) -> None:
        out.add(
            "Observation",
            f"{ref}/{name}",
            {
                "resourceType": "Observation",
                "status": "final",
                "code": {"coding": [code]},
                "subject": patient,
                "effectiveDateTime": when,
                **more,
                **value,
            },
        )
        members.append(reference("Observation", f"{ref}/{name}"))

    for i, (muscle, grade) in enumerate(a["mas"].items()):
        member(
            f"mas/{i}", codes.MODIFIED_ASHWORTH, {"valueString": grade}, bodySite={"text": muscle}
        )
    for name, field in (
        ("penn-spasm-frequency", "penn_frequency"),
        ("penn-spasm-severity", "penn_severity"),
    ):
        if a[field] is not None:
            member(name, codes.local(name), {"valueInteger": a[field]})
    if a["adverse_effects"]:
        member(
            "adverse-effects", codes.local("adverse-effects"), {"valueString": a["adverse_effects"]}
        )
    out.add(
        "Observation",
        ref,
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [codes.local("assessment")]},
            "subject": patient,
            "effectiveDateTime": when,
            "performer": [{"display": a["assessed_by"]}],
            "hasMember": members,
        },
    )


def _provenance(out: _Bundle, i: int, entry: dict[str, Any], targets: dict[str, dict]) -> None:
    target = targets.get(entry["ref"]) if entry["ref"] else None
    out.add(
        "Provenance",
        f"audit/{i}",
        {
            "resourceType": "Provenance",
            "target": [target or {"display": "the clinic's records"}],
            "recorded": datetime.fromisoformat(entry["at"])
            .replace(tzinfo=ZoneInfo("UTC"))
            .isoformat(),
            "activity": {"coding": [codes.local("audit-action")], "text": entry["action"]},
            "agent": [{"who": {"display": entry["actor"]}}],
            "reason": [{"text": entry["why"]}] if entry["why"] else [],
            "extension": _exts(
                ("audit-entity", "String", entry["entity"]),
                ("audit-detail", "String", json.dumps(entry["what"], ensure_ascii=False)),
            ),
        },
    )


def _targets(document: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The resource an audit entry's `ref` (a record's path) points at."""
    kinds = {
        "revisions": "Procedure",
        "programs": "MedicationRequest",
        "refills": "Procedure",
        "events": "Observation",
        "assessments": "Observation",
        "pumps": "Device",
    }
    out: dict[str, dict[str, str]] = {}
    for p in document["patients"]:
        out[p["identifier"]] = reference("Patient", p["identifier"])
        for i, _ in enumerate(p["assessments"]):
            out[f"{p['identifier']}/assessments/{i}"] = reference(
                "Observation", f"{p['identifier']}/assessments/{i}"
            )
        for j, pump in enumerate(p["pumps"]):
            pump_ref = f"{p['identifier']}/pumps/{j}"
            out[pump_ref] = reference("Device", pump_ref)
            for attr in ("revisions", "programs", "refills", "events"):
                for i, _ in enumerate(pump[attr]):
                    out[f"{pump_ref}/{attr}/{i}"] = reference(kinds[attr], f"{pump_ref}/{attr}/{i}")
    return out


def patient_zone(patient: dict[str, Any]) -> str:
    """The time zone of a patient's own records: their latest pump's, UTC without a pump."""
    return patient["pumps"][-1]["time_zone"] if patient["pumps"] else "UTC"


def clinic_bundle(document: dict[str, Any]) -> dict[str, Any]:
    """The clinic `document` (`export_clinic`'s) as a FHIR R4 transaction Bundle (JSON-ready)."""
    out = _Bundle()
    for p in document["patients"]:
        zone = patient_zone(p)
        _patient(out, p, zone)
        patient = reference("Patient", p["identifier"])
        for j, pump in enumerate(p["pumps"]):
            _pump(out, f"{p['identifier']}/pumps/{j}", pump, patient)
        for i, assessment in enumerate(p["assessments"]):
            _assessment(out, f"{p['identifier']}/assessments/{i}", patient, assessment, zone)
    targets = _targets(document)
    for i, entry in enumerate(document["audit"]):
        _provenance(out, i, entry, targets)
    stamp = document.get("exported_at") or datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": stamp,
        "entry": out.entries,
    }
