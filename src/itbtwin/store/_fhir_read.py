"""Reading a FHIR R4 Bundle: version check, references, codes, quantities and times.

Everything here refuses what it cannot read exactly, naming the resource and the field: a Bundle
of another FHIR version, a reference to a resource the Bundle lacks, a code outside
`_fhir_codes`, a quantity without a UCUM unit, a daily dose written per hour.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from itbtwin.errors import RecordError
from itbtwin.store import _fhir_codes as codes
from itbtwin.store._times import repeated

R4_TYPES = {
    "Patient",
    "Condition",
    "Observation",
    "Device",
    "DeviceUseStatement",
    "Medication",
    "MedicationRequest",
    "MedicationAdministration",
    "Procedure",
    "Provenance",
}
"""The resource types an itbtwin Bundle holds."""
OTHER_VERSIONS = {"DeviceUsage": "R5", "DeviceRequest": None, "MedicationUsage": "R5"}
"""Resource types that say the Bundle is of another FHIR version."""
MASS = {"ug": 1.0, "mg": 1000.0}
"""UCUM mass units accepted for a drug amount, and their factor to mcg."""


def _where(resource: dict[str, Any]) -> str:
    return f"{resource.get('resourceType', 'resource')}/{resource.get('id', '?')}"


def check_bundle(bundle: Any) -> list[dict[str, Any]]:
    """The entries of an R4 `bundle`, checked by the R4 models of `fhir.resources`."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise RecordError("a FHIR import reads one Bundle resource (resourceType 'Bundle')")
    if bundle.get("type") not in ("transaction", "collection", "batch"):
        raise RecordError(f"Bundle.type {bundle.get('type')!r}: expected 'transaction'")
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        raise RecordError("Bundle.entry: the Bundle holds no resources")
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        kind = kind if isinstance(kind, str) else None
        if kind in OTHER_VERSIONS:
            raise RecordError(
                f"Bundle.entry[{i}]: {kind} is a FHIR {OTHER_VERSIONS[kind] or 'R5'} resource; "
                "itbtwin reads FHIR R4 Bundles"
            )
        if kind not in R4_TYPES:
            raise RecordError(
                f"Bundle.entry[{i}]: resource type {kind!r} is not one itbtwin reads "
                f"({', '.join(sorted(R4_TYPES))})"
            )
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.model_validate(bundle)
    except ValidationError as err:
        first = err.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        hint = (
            " (not an element of FHIR R4: is this Bundle another FHIR version?)"
            if first["type"] == "extra_forbidden"
            else ""
        )
        raise RecordError(f"Bundle: {path}: {first['msg']}{hint}") from None
    return entries


class BundleIndex:
    """The resources of a Bundle by full URL, and which resources point at each one."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.by_url: dict[str, dict[str, Any]] = {}
        self.by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entry in entries:
            resource = entry["resource"]
            self.by_type[resource["resourceType"]].append(resource)
            for url in (entry.get("fullUrl"), f"{resource['resourceType']}/{resource.get('id')}"):
                if url:
                    self.by_url[url] = resource
        for resources in self.by_type.values():
            for resource in resources:
                self._check_references(resource, resource, "")

    def _check_references(self, value: Any, resource: dict[str, Any], path: str) -> None:
        """Every Reference in the Bundle points at a resource of the Bundle."""
        if isinstance(value, dict):
            if isinstance(value.get("reference"), str):
                self.follow(value, resource, path)
            for key, item in value.items():
                self._check_references(item, resource, f"{path}.{key}".lstrip("."))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self._check_references(item, resource, f"{path}[{i}]")

    def follow(self, ref: Any, resource: dict[str, Any], field: str) -> dict[str, Any]:
        """The resource `ref` (a Reference) points at; refuses a reference out of the Bundle."""
        target = ref.get("reference") if isinstance(ref, dict) else None
        if target not in self.by_url:
            raise RecordError(
                f"{_where(resource)} {field}: reference {target!r} is not in the Bundle "
                "(an import needs every resource it refers to)"
            )
        return self.by_url[target]

    def pointing(self, kind: str, field: str, target: dict[str, Any]) -> list[dict[str, Any]]:
        """The `kind` resources whose `field` (a Reference, or a list of them) is `target`."""
        found = []
        for resource in self.by_type.get(kind, []):
            value = resource.get(field)
            refs = value if isinstance(value, list) else [value]
            refs = [r.get("manipulated", r) if isinstance(r, dict) else r for r in refs]
            if any(r is not None and self.by_url.get(r.get("reference")) is target for r in refs):
                found.append(resource)
        return found


def coded(resource: dict[str, Any], field: str = "code") -> str:
    """The itbtwin name of a resource's code: a local code or a standard one of the allow-list."""
    codings = (resource.get(field) or {}).get("coding") or []
    for coding in codings:
        system, code = coding.get("system"), coding.get("code")
        if system == codes.LOCAL and code in codes.LOCAL_CODES:
            return code
        for known in (codes.MODIFIED_ASHWORTH, codes.BODY_WEIGHT, codes.INTRATHECAL_ROUTE):
            if (system, code) == (known["system"], known["code"]):
                return known["display"]
    shown = [f"{c.get('system')}|{c.get('code')}" for c in codings] or ["none"]
    raise RecordError(
        f"{_where(resource)} {field}: unknown code {', '.join(shown)}; itbtwin reads the codes "
        "listed in docs/exchange.md"
    )


def extension(resource: dict[str, Any], name: str, *, required: bool = False) -> Any:
    """The value of itbtwin's extension `name` on `resource` (None when absent)."""
    url = codes.extension_url(name)
    for ext in resource.get("extension") or []:
        if ext.get("url") == url:
            return next(v for k, v in ext.items() if k.startswith("value"))
    if required:
        raise RecordError(f"{_where(resource)} extension {url}: missing")
    return None


def amount(q: Any, unit: str, resource: dict[str, Any], field: str) -> float:
    """A UCUM quantity as a magnitude in `unit` (mcg, mL, kg, cm, day, %); no unit: refused."""
    if not isinstance(q, dict) or q.get("value") is None:
        raise RecordError(f"{_where(resource)} {field}: no value")
    code = q.get("code")
    if q.get("system") != codes.UCUM or code is None:
        raise RecordError(
            f"{_where(resource)} {field}: {q.get('value')} has no UCUM unit; expected "
            f"{codes.UNITS[unit]!r} (system {codes.UCUM})"
        )
    factor = MASS.get(code) if unit == "mcg" else (1.0 if code == codes.UNITS[unit] else None)
    if factor is None:
        raise RecordError(
            f"{_where(resource)} {field}: unit {code!r} where {codes.UNITS[unit]!r} is expected"
        )
    return float(q["value"]) * factor


def concentration(ratio: Any, resource: dict[str, Any], field: str) -> float:
    """A ratio of a mass to a volume (a `Medication`'s strength, a programmed concentration)
    as mcg/mL; either part without its UCUM unit is refused."""
    ratio = ratio if isinstance(ratio, dict) else {}
    mcg = amount(ratio.get("numerator"), "mcg", resource, field)
    return mcg / amount(ratio.get("denominator"), "mL", resource, field)


def daily_dose(ratio: Any, resource: dict[str, Any], field: str) -> float:
    """A `rateRatio` as mcg/day; a rate per hour is refused, never converted (a 24-fold slip)."""
    if not isinstance(ratio, dict):
        raise RecordError(f"{_where(resource)} {field}: no rateRatio")
    per = ratio.get("denominator") or {}
    if per.get("code") != "d":
        raise RecordError(
            f"{_where(resource)} {field}: a rate per {per.get('code') or 'unknown unit'!r}; "
            "itbtwin records daily doses as mcg per 1 d (UCUM 'd') and does not convert a "
            "rate per hour, the slip that multiplies a dose by 24"
        )
    days = amount(per, "day", resource, f"{field}.denominator")
    if days <= 0:
        raise RecordError(f"{_where(resource)} {field}.denominator: must be more than 0")
    return amount(ratio.get("numerator"), "mcg", resource, f"{field}.numerator") / days


def local_time(text: Any, zone: str, resource: dict[str, Any], field: str) -> str:
    """A FHIR dateTime as the record's ISO wall-clock time in `zone` (the offset is required)."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise RecordError(f"{_where(resource)} {field}: {text!r} is not a date and time") from None
    if moment.tzinfo is None or len(str(text)) <= 10:
        raise RecordError(f"{_where(resource)} {field}: {text!r} needs a time and a UTC offset")
    wall = moment.astimezone(ZoneInfo(zone))
    return (
        wall if repeated(wall.replace(tzinfo=None), zone) else wall.replace(tzinfo=None)
    ).isoformat()


def utc_time(text: Any, resource: dict[str, Any], field: str) -> str:
    return local_time(text, str(UTC), resource, field)
