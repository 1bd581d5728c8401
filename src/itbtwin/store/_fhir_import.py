"""A FHIR R4 Bundle (as `clinic_bundle` writes it) back into a clinic document.

The document is the one `export_clinic` writes, so the FHIR import ends in the same
`import_clinic` as the JSON import: the same checks, one transaction, all or nothing. Each
record's path ("P001/pumps/0/refills/1") is rebuilt as the resources are read, so the audit
trail's `Provenance.target`s find their records again.
"""

from __future__ import annotations

import json
from typing import Any

from itbtwin.errors import ItbError, RecordError
from itbtwin.pump import zone as check_zone
from itbtwin.store import _fhir_codes as codes
from itbtwin.store._exchange_format import FORMAT, VERSION
from itbtwin.store._fhir_read import (
    BundleIndex,
    amount,
    check_bundle,
    coded,
    concentration,
    daily_dose,
    extension,
    local_time,
    utc_time,
)

Resource = dict[str, Any]


class _Reader:
    def __init__(self, index: BundleIndex) -> None:
        self.index = index
        self.paths: dict[int, str] = {}
        """Each read resource's record path, by object identity."""

    def mark(self, resource: Resource, path: str) -> str:
        self.paths[id(resource)] = path
        return path

    def of(self, kind: str, field: str, target: Resource, code: str | None = None) -> list:
        found = self.index.pointing(kind, field, target)
        return [r for r in found if code is None or coded(r) == code]

    def zone(self, resource: Resource) -> str:
        name = extension(resource, "time-zone") or "UTC"
        check_zone(name)
        return name

    def strength(self, medication: Resource) -> float:
        """A `Medication`'s baclofen concentration (mcg/mL)."""
        strength = (medication.get("ingredient") or [{}])[0].get("strength")
        return concentration(strength, medication, "ingredient.strength")

    def patient(self, p: Resource) -> dict[str, Any]:
        ids = [
            i["value"]
            for i in p.get("identifier", [])
            if i.get("system") == codes.PATIENT_IDENTIFIER
        ]
        if not ids:
            raise RecordError(f"Patient/{p.get('id')} identifier: no {codes.PATIENT_IDENTIFIER}")
        path = self.mark(p, ids[0])
        zone = self.zone(p)
        conditions = self.of("Condition", "subject", p)
        if len(conditions) != 1:
            raise RecordError(
                f"Patient/{p.get('id')}: expected one Condition (origin of spasticity)"
            )
        condition = conditions[0]
        weights = self.of("Observation", "subject", p, codes.BODY_WEIGHT["display"])
        if len(weights) != 1:
            raise RecordError(f"Patient/{p.get('id')}: expected one body weight Observation")
        discharged = extension(p, "discharged-at")
        pumps = [
            d
            for d in self.of("Device", "patient", p)
            if any(i.get("system") == codes.PUMP_SERIAL for i in d.get("identifier") or [])
        ]
        panels = self.of("Observation", "subject", p, "assessment")
        return {
            "identifier": ids[0],
            "birth_date": p.get("birthDate"),
            "weight_kg": amount(weights[0].get("valueQuantity"), "kg", weights[0], "valueQuantity"),
            "origin": extension(condition, "origin", required=True),
            "diagnosis": (condition.get("code") or {}).get("text", ""),
            "injury_level": extension(condition, "injury-level"),
            "communication_difficulty": bool(extension(p, "communication-difficulty")),
            "prior_withdrawal": bool(extension(p, "prior-withdrawal")),
            "missed_visits": extension(p, "missed-visits") or 0,
            "discharged_at": discharged and local_time(discharged, zone, p, "discharged-at"),
            "pumps": [self.pump(d, f"{path}/pumps/{j}") for j, d in enumerate(pumps)],
            "assessments": [
                self.assessment(a, f"{path}/assessments/{k}", zone) for k, a in enumerate(panels)
            ],
        }

    def catheter(self, device: Resource) -> dict[str, Any]:
        length = extension(device, "catheter-length")
        return {
            "catheter_model": device.get("modelNumber"),
            "catheter_length_cm": amount(length, "cm", device, "catheter-length"),
            "tip_level": extension(device, "tip-level"),
        }

    def pump(self, d: Resource, path: str) -> dict[str, Any]:
        self.mark(d, path)
        zone = self.zone(d)
        serial = next(i["value"] for i in d["identifier"] if i.get("system") == codes.PUMP_SERIAL)
        uses = self.of("DeviceUseStatement", "device", d)
        if len(uses) != 1:
            raise RecordError(f"Device/{d.get('id')}: expected one DeviceUseStatement (implant)")
        period = uses[0].get("timingPeriod") or {}
        catheters, revisions = [], []
        for catheter in self.of("Device", "parent", d):
            revision = self.of("Procedure", "focalDevice", catheter, "catheter-revision")
            (revisions if revision else catheters).extend(revision or [catheter])
        if len(catheters) != 1:
            raise RecordError(f"Device/{d.get('id')}: expected one catheter Device (parent link)")
        return {
            "device": d.get("modelNumber"),
            "serial": serial,
            "implanted_at": local_time(period.get("start"), zone, uses[0], "timingPeriod.start"),
            "time_zone": zone,
            **self.catheter(catheters[0]),
            "explanted_at": period.get("end") and local_time(period["end"], zone, uses[0], "end"),
            "revisions": [
                self.revision(r, f"{path}/revisions/{i}", zone) for i, r in enumerate(revisions)
            ],
            "programs": self.programs(d, f"{path}/programs", zone),
            "refills": [
                self.refill(r, f"{path}/refills/{i}", zone)
                for i, r in enumerate(self.of("Procedure", "focalDevice", d, "pump-refill"))
            ],
            "events": [
                self.event(e, f"{path}/events/{i}", zone)
                for i, e in enumerate(self.of("Observation", "device", d, "pump-event"))
            ],
        }

    def revision(self, r: Resource, path: str, zone: str) -> dict[str, Any]:
        self.mark(r, path)
        catheter = self.index.follow(r["focalDevice"][0]["manipulated"], r, "focalDevice")
        return {
            "revised_at": local_time(r.get("performedDateTime"), zone, r, "performedDateTime"),
            **self.catheter(catheter),
            "reason": ((r.get("reasonCode") or [{}])[0]).get("text", ""),
        }

    def programs(self, pump: Resource, path: str, zone: str) -> list[dict[str, Any]]:
        requests = []
        for given in self.of("MedicationAdministration", "device", pump):
            request = self.index.follow(given.get("request"), given, "request")
            if request not in requests:
                requests.append(request)
        requests.sort(key=lambda r: extension(r, "program-version", required=True))
        return [self.program(r, f"{path}/{i}", zone) for i, r in enumerate(requests)]

    def program(self, r: Resource, path: str, zone: str) -> dict[str, Any]:
        self.mark(r, path)
        dosage = (r.get("dosageInstruction") or [{}])[0]
        coded(dosage, "route")
        rate = (dosage.get("doseAndRate") or [{}])[0].get("rateRatio")
        medication = self.index.follow(r.get("medicationReference"), r, "medicationReference")
        bridges = [
            a for a in self.of("MedicationAdministration", "request", r) if "dose" in a["dosage"]
        ]
        bridge: dict[str, Any] = dict.fromkeys(
            ("bridge_from_mcg_per_ml", "bridge_volume_ml", "bridge_duration_h")
        )
        if bridges:
            b = bridges[0]
            old = self.index.follow(b.get("medicationReference"), b, "medicationReference")
            bridge = {
                "bridge_from_mcg_per_ml": self.strength(old),
                "bridge_volume_ml": amount(b["dosage"]["dose"], "mL", b, "dosage.dose"),
                "bridge_duration_h": extension(b, "bridge-duration-hours", required=True),
            }
        return {
            "version": extension(r, "program-version", required=True),
            "effective_at": local_time(r.get("authoredOn"), zone, r, "authoredOn"),
            "document": _json(extension(r, "program", required=True), r, "program"),
            "mean_daily_dose_mcg": daily_dose(rate, r, "dosageInstruction.doseAndRate.rateRatio"),
            "concentration_mcg_per_ml": self.strength(medication),
            "verdict": extension(r, "safety-verdict", required=True),
            "override_reason": extension(r, "override-reason"),
            "entered_by": (r.get("requester") or {}).get("display", ""),
            **bridge,
        }

    def refill(self, p: Resource, path: str, zone: str) -> dict[str, Any]:
        self.mark(p, path)
        values: dict[str, Any] = dict.fromkeys(codes.REFILL_VOLUMES.values())
        values["error_pct"] = None
        for o in self.of("Observation", "partOf", p):
            code = coded(o)
            if code == "delivery-error":
                values["error_pct"] = amount(o.get("valueQuantity"), "%", o, "valueQuantity")
            else:
                field = codes.REFILL_VOLUMES[code]
                values[field] = amount(o.get("valueQuantity"), "mL", o, "valueQuantity")
        medication = self.index.follow((p.get("usedReference") or [None])[0], p, "usedReference")
        return {
            "performed_at": local_time(p.get("performedDateTime"), zone, p, "performedDateTime"),
            **{k: values[k] for k in ("withdrawn_ml", "expected_ml", "injected_ml", "measured_ml")},
            # no product recorded: the writer leaves the extension out (FHIR has no "")
            "product": extension(medication, "product") or "",
            "concentration_mcg_per_ml": self.strength(medication),
            "lot": extension(p, "lot") or "",
            "product_expiry": extension(p, "product-expiry"),
            "discrepancy_ml": values["discrepancy_ml"],
            "error_pct": values["error_pct"],
            "pocket_discrepancy_ml": values["pocket_discrepancy_ml"],
            "pocket_fill_flag": bool(extension(p, "pocket-fill-flag")),
            "performed_by": ((p.get("performer") or [{}])[0].get("actor") or {}).get("display", ""),
        }

    def event(self, o: Resource, path: str, zone: str) -> dict[str, Any]:
        self.mark(o, path)
        fraction = programmed = None
        for component in o.get("component") or []:
            if coded(component) == "affected-flow-fraction":
                fraction = float(component["valueQuantity"]["value"])
            if coded(component) == "programmed-concentration":
                programmed = concentration(component.get("valueRatio"), o, "component.valueRatio")
        return {
            "occurred_at": local_time(o.get("effectiveDateTime"), zone, o, "effectiveDateTime"),
            "kind": (o.get("code") or {}).get("text", ""),
            "detail": o.get("valueString", ""),
            "fraction": fraction,
            "programmed_mcg_per_ml": programmed,
        }

    def assessment(self, panel: Resource, path: str, zone: str) -> dict[str, Any]:
        self.mark(panel, path)
        found: dict[str, Any] = {"mas": {}, "penn_frequency": None, "penn_severity": None}
        found["adverse_effects"] = ""
        for ref in panel.get("hasMember") or []:
            member = self.index.follow(ref, panel, "hasMember")
            code = coded(member)
            if code == codes.MODIFIED_ASHWORTH["display"]:
                found["mas"][(member.get("bodySite") or {}).get("text", "")] = member["valueString"]
            elif code == "penn-spasm-frequency":
                found["penn_frequency"] = member.get("valueInteger")
            elif code == "penn-spasm-severity":
                found["penn_severity"] = member.get("valueInteger")
            elif code == "adverse-effects":
                found["adverse_effects"] = member.get("valueString", "")
        return {
            "assessed_at": local_time(panel.get("effectiveDateTime"), zone, panel, "effective"),
            **found,
            "assessed_by": ((panel.get("performer") or [{}])[0]).get("display", ""),
        }

    def audit(self, p: Resource) -> dict[str, Any]:
        target = (p.get("target") or [{}])[0]
        ref = None
        if "reference" in target:
            ref = self.paths.get(id(self.index.follow(target, p, "target")))
        return {
            "at": utc_time(p.get("recorded"), p, "recorded"),
            "actor": ((p.get("agent") or [{}])[0].get("who") or {}).get("display", ""),
            "action": (p.get("activity") or {}).get("text", ""),
            "entity": extension(p, "audit-entity", required=True),
            "what": _json(extension(p, "audit-detail") or "{}", p, "audit-detail"),
            "why": ((p.get("reason") or [{}])[0]).get("text", ""),
            "ref": ref,
        }


ENTITIES = {"refills": "refill", "programs": "program_version", "events": "event"}
ENTITIES["assessments"] = "assessment"
"""The record kind of each list in a clinic document (a correction's `entity`)."""


def _corrections(reader: _Reader) -> list[dict[str, Any]]:
    """The corrections carried by records marked entered-in-error, in their original order."""
    found = []
    for resources in reader.index.by_type.values():
        for resource in resources:
            path = reader.paths.get(id(resource))
            for ext in resource.get("extension") or []:
                if path is None or ext.get("url") != codes.extension_url("correction"):
                    continue
                parts = {e.get("url"): e for e in ext.get("extension") or []}
                replaced = parts.get("replacement", {}).get("valueReference")
                target = replaced and reader.index.follow(replaced, resource, "correction")
                found.append(
                    (
                        parts["order"]["valueInteger"],
                        {
                            "entity": ENTITIES[path.split("/")[-2]],
                            "original": path,
                            "replacement": target and reader.paths[id(target)],
                            "kind": parts["kind"]["valueCode"],
                            "corrected_at": utc_time(
                                parts["at"]["valueDateTime"], resource, "correction"
                            ),
                            "corrected_by": parts["by"]["valueString"],
                            "reason": parts["reason"]["valueString"],
                        },
                    )
                )
    return [c for _, c in sorted(found, key=lambda item: item[0])]


def _json(text: Any, resource: Resource, field: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise RecordError(f"Resource/{resource.get('id')} {field}: not JSON text") from None


def bundle_clinic(bundle: Any) -> dict[str, Any]:
    """The clinic document (`export_clinic`'s format) a FHIR R4 Bundle holds."""
    try:
        reader = _Reader(BundleIndex(check_bundle(bundle)))
        patients = [reader.patient(p) for p in reader.index.by_type.get("Patient", [])]
        audit = [reader.audit(p) for p in reader.index.by_type.get("Provenance", [])]
        corrections = _corrections(reader)
    except ItbError:
        raise
    except (KeyError, IndexError, TypeError, AttributeError, ValueError, StopIteration) as err:
        raise RecordError(
            f"Bundle: a resource lacks an element itbtwin needs or has one of the wrong type "
            f"({type(err).__name__}: {str(err)[:200]}); see docs/exchange.md for what each "
            "resource must hold"
        ) from None
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": bundle.get("timestamp"),
        "patients": patients,
        "audit": audit,
        "corrections": corrections,
    }
