"""A pump's records as FHIR R4: Devices, the implant, programs, refills, revisions, events.

A pump and each catheter are `Device`s (a catheter's `parent` is its pump), the implanted period a
`DeviceUseStatement`; each program version is a `MedicationRequest` (the prescription: daily dose
as `rateRatio` mcg per 1 day, route intrathecal) and the period it ran a
`MedicationAdministration` (a bridge bolus one more, with the old solution's volume); a refill is
a `Procedure` with an `Observation` per volume of its reconciliation; a catheter revision a
`Procedure` on the new catheter; a pump event an `Observation` of the pump (docs/exchange.md).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from itbtwin.pump import find_device
from itbtwin.store import _fhir_codes as codes
from itbtwin.store._fhir_write import BundleWriter, exts, reference, when


def _catheter(out: BundleWriter, ref: str, pump_ref: str, patient: dict[str, str], c: dict) -> None:
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
            "extension": exts(
                ("catheter-length", "Quantity", codes.quantity(c["catheter_length_cm"], "cm")),
                ("tip-level", "String", c["tip_level"]),
            ),
        },
    )


def pump_resources(
    out: BundleWriter, ref: str, pump: dict[str, Any], patient: dict[str, str]
) -> None:
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
            "extension": exts(("time-zone", "String", zone)),
        },
    )
    _catheter(out, f"{ref}/catheter", ref, patient, pump)
    period = {"start": when(pump["implanted_at"], zone)}
    if pump["explanted_at"]:
        period["end"] = when(pump["explanted_at"], zone)
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


def _revision(
    out: BundleWriter, ref: str, pump_ref: str, patient: dict, r: dict, zone: str
) -> None:
    _catheter(out, ref, pump_ref, patient, r)
    out.add(
        "Procedure",
        ref,
        {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {"coding": [codes.local("catheter-revision")], "text": "Catheter revision"},
            "subject": patient,
            "performedDateTime": when(r["revised_at"], zone),
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
    out: BundleWriter, ref: str, pump_ref: str, patient: dict, p: dict, end: str | None, zone: str
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
            "authoredOn": when(p["effective_at"], zone),
            "requester": {"display": p["entered_by"]},
            "dosageInstruction": [dosage],
            "extension": exts(
                ("program-version", "Integer", p["version"]),
                ("program", "String", json.dumps(p["document"], ensure_ascii=False)),
                ("safety-verdict", "Code", p["verdict"]),
                ("override-reason", "String", p["override_reason"]),
            ),
        },
    )
    period = {"start": when(p["effective_at"], zone)}
    if end is not None:
        period["end"] = when(end, zone)
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


def _bridge(out: BundleWriter, ref: str, pump_ref: str, patient: dict, p: dict, zone: str) -> None:
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
                "start": when(p["effective_at"], zone),
                "end": when(end_text, zone),
            },
            "request": reference("MedicationRequest", ref),
            "device": [reference("Device", pump_ref)],
            "dosage": {
                "text": "bridge bolus: the previous solution left in the pump and catheter",
                "route": {"coding": [codes.INTRATHECAL_ROUTE]},
                "dose": codes.quantity(p["bridge_volume_ml"], "mL"),
            },
            "extension": exts(("bridge-duration-hours", "Decimal", p["bridge_duration_h"])),
        },
    )


def _refill(out: BundleWriter, ref: str, pump_ref: str, patient: dict, r: dict, zone: str) -> None:
    out.add(
        "Procedure",
        ref,
        {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {"coding": [codes.local("pump-refill")], "text": "Pump refill"},
            "subject": patient,
            "performedDateTime": when(r["performed_at"], zone),
            "performer": [{"actor": {"display": r["performed_by"]}}],
            "focalDevice": [{"manipulated": reference("Device", pump_ref)}],
            "usedReference": [out.medication(r["product"], r["concentration_mcg_per_ml"])],
            "extension": exts(
                ("lot", "String", r["lot"]),
                ("product-expiry", "Date", r.get("product_expiry")),
                ("pocket-fill-flag", "Boolean", r["pocket_fill_flag"]),
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
                "effectiveDateTime": when(r["performed_at"], zone),
                "valueQuantity": codes.quantity(value, unit),
            },
        )


def _event(out: BundleWriter, ref: str, pump_ref: str, patient: dict, e: dict, zone: str) -> None:
    component = []
    if e["fraction"] is not None:
        component.append(
            {
                "code": {"coding": [codes.local("affected-flow-fraction")]},
                "valueQuantity": {"value": e["fraction"], "system": codes.UCUM, "code": "1"},
            }
        )
    if e.get("programmed_mcg_per_ml") is not None:  # a wrong concentration's programmed value
        ratio = {"numerator": codes.quantity(e["programmed_mcg_per_ml"], "mcg")}
        ratio["denominator"] = codes.quantity(1, "mL")
        component.append(
            {"code": {"coding": [codes.local("programmed-concentration")]}, "valueRatio": ratio}
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
            "effectiveDateTime": when(e["occurred_at"], zone),
            **({"valueString": e["detail"]} if e["detail"] else {}),
            "component": component,
        },
    )
