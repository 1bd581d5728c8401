"""Writing FHIR R4 resources: stable ids, references, times with their offset, extensions.

Resource ids are name-based UUIDs (uuid5) of the record's kind and path in the clinic
("P001/pumps/0/refills/1"), so the same record gets the same id in every export and a receiving
system can update instead of duplicate. Every entry is a PUT under that id; references between
resources are the entries' ``urn:uuid:`` full URLs, which a FHIR server resolves in a transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from itbtwin.store import _fhir_codes as codes

NAMESPACE = uuid.UUID("6f0d5a51-3a0e-5a3b-9d1e-1b7a2c1f1d00")
"""The namespace of itbtwin's name-based resource ids (uuid5 of kind and record path)."""


def resource_id(kind: str, ref: str) -> str:
    """The stable id of the `kind` resource of the record at `ref` ("P001/pumps/0")."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{ref}"))


def reference(kind: str, ref: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id(kind, ref)}"}


def when(text: str, zone: str) -> str:
    """An ISO wall-clock time of the record as a FHIR dateTime with its zone's offset."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).isoformat()


def ext(name: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": codes.extension_url(name), f"value{kind}": value}


def exts(*items: tuple[str, str, Any]) -> list[dict[str, Any]]:
    """Extensions for the fields that have a value (FHIR has no empty strings or nulls)."""
    return [ext(*item) for item in items if item[2] not in (None, "")]


CORRECTED_KINDS = {
    "refill": "Procedure",
    "program_version": "MedicationRequest",
    "event": "Observation",
    "assessment": "Observation",
}
"""The resource that carries each kind of record a correction can amend or void."""


def correction_extension(order: int, correction: dict[str, Any]) -> dict[str, Any]:
    """A correction of the record (amend or void), on the original's resource."""
    replacement = correction["replacement"]
    kind = CORRECTED_KINDS[correction["entity"]]
    parts = [
        {"url": "kind", "valueCode": correction["kind"]},
        {"url": "order", "valueInteger": order},
        {"url": "at", "valueDateTime": f"{correction['corrected_at']}+00:00"},
        {"url": "by", "valueString": correction["corrected_by"]},
        {"url": "reason", "valueString": correction["reason"]},
    ]
    if replacement:
        parts.append({"url": "replacement", "valueReference": reference(kind, replacement)})
    return {"url": codes.extension_url("correction"), "extension": parts}


class BundleWriter:
    """The entries of one Bundle, in order, each PUT under its stable id.

    A record a correction amended or voided keeps its resource, with status
    ``entered-in-error`` and the correction as an extension (who, when, why, the replacement):
    nothing is deleted, and a receiving system does not read it as current.
    """

    def __init__(self, corrections: list[dict[str, Any]] | None = None) -> None:
        self.entries: list[dict[str, Any]] = []
        self.medications: set[str] = set()
        self.corrected = {c["original"]: (i, c) for i, c in enumerate(corrections or [])}

    def add(self, kind: str, ref: str, resource: dict[str, Any]) -> None:
        rid = resource_id(kind, ref)
        if ref in self.corrected and kind in CORRECTED_KINDS.values():
            order, correction = self.corrected[ref]
            resource["status"] = "entered-in-error"
            extension = [*resource.get("extension", []), correction_extension(order, correction)]
            resource["extension"] = extension
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
                    "extension": exts(("product", "String", product)),
                },
            )
        return reference("Medication", key)
