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
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from itbtwin.store import _fhir_codes as codes
from itbtwin.store._fhir_pump import pump_resources
from itbtwin.store._fhir_write import BundleWriter, exts, reference, when


def _patient(out: BundleWriter, p: dict[str, Any], zone: str) -> None:
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
            "extension": exts(
                ("time-zone", "String", zone),
                ("communication-difficulty", "Boolean", p["communication_difficulty"]),
                ("prior-withdrawal", "Boolean", p["prior_withdrawal"]),
                ("missed-visits", "Integer", p["missed_visits"]),
                (
                    "discharged-at",
                    "DateTime",
                    p["discharged_at"] and when(p["discharged_at"], zone),
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
            "extension": exts(
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


def _assessment(out: BundleWriter, ref: str, patient: dict, a: dict, zone: str) -> None:
    at = when(a["assessed_at"], zone)
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
                "effectiveDateTime": at,
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
            "effectiveDateTime": at,
            "performer": [{"display": a["assessed_by"]}],
            "hasMember": members,
        },
    )


def _provenance(out: BundleWriter, i: int, entry: dict[str, Any], targets: dict[str, dict]) -> None:
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
            "extension": exts(
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
    out = BundleWriter(document.get("corrections"))
    for p in document["patients"]:
        zone = patient_zone(p)
        _patient(out, p, zone)
        patient = reference("Patient", p["identifier"])
        for j, pump in enumerate(p["pumps"]):
            pump_resources(out, f"{p['identifier']}/pumps/{j}", pump, patient)
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
