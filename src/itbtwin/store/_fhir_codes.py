"""The codes and systems itbtwin writes into FHIR R4, and reads back: a small allow-list.

Every standard code names where it comes from; no LOINC code is invented. Where no standard code
fits (Penn spasm scores, the reservoir volumes of a refill, pump events, itbtwin's own record
fields), the code comes from itbtwin's own local code system (`LOCAL`) and says so: a receiving
system can map it, never mistake it for a standard one. An import refuses any code outside
this module (docs/exchange.md, "FHIR R4").
"""

from __future__ import annotations

from typing import Any

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
LOCAL = "urn:itbtwin:codes"
"""itbtwin's local code system: codes of the project's own, not of any standard."""
PATIENT_IDENTIFIER = "urn:itbtwin:patient-identifier"
"""The system of a patient's clinic identifier (`Patient.identifier`)."""
PUMP_SERIAL = "urn:itbtwin:pump-serial"
"""The system of a pump's serial number (`Device.identifier`)."""
EXTENSION = "urn:itbtwin:extension:"
"""The prefix of itbtwin's extensions: record fields FHIR has no element for."""

INTRATHECAL_ROUTE = {"system": SNOMED, "code": "72607000", "display": "Intrathecal route"}
"""SNOMED CT route of administration [hl7-fhir-r4: value set route-codes, 72607000 Intrathecal
route]."""
MODIFIED_ASHWORTH = {"system": SNOMED, "code": "765771006", "display": "Modified Ashworth scale"}
"""The MAS grade of one muscle group; the grade is text ("1+") [issue 18 (from the issue,
verify against a SNOMED CT browser)]."""
BODY_WEIGHT = {"system": LOINC, "code": "29463-7", "display": "Body weight"}
"""[hl7-fhir-r4: vital signs profile, body weight 29463-7]."""

LOCAL_CODES = {
    "assessment": "Spasticity assessment (MAS per muscle group, Penn scores)",
    "penn-spasm-frequency": "Penn spasm frequency score (0-4)",
    "penn-spasm-severity": "Penn spasm severity score (1-3)",
    "adverse-effects": "Adverse effects reported at the assessment",
    "pump-refill": "Refill of an implanted intrathecal drug pump",
    "catheter-revision": "Intrathecal catheter revision",
    "expected-residual": "Reservoir residual the pump calculated before the refill",
    "withdrawn-volume": "Volume withdrawn from the reservoir at the refill",
    "injected-volume": "Volume injected into the reservoir at the refill",
    "measured-volume": "Reservoir volume measured after the refill",
    "residual-discrepancy": "Withdrawn minus expected residual",
    "pocket-discrepancy": "Injected minus measured volume (pocket-fill check)",
    "delivery-error": "Delivered versus programmed volume since the last fill",
    "pump-event": "An event of the pump (alarm, fault, MRI...)",
    "affected-flow-fraction": "Share of the flow a catheter fault affects",
    "programmed-concentration": "Concentration found programmed in the pump (wrong concentration)",
    "audit-action": "An action recorded in the clinic's audit trail",
}
"""itbtwin's local codes and what each means."""

REFILL_VOLUMES = {
    "expected-residual": "expected_ml",
    "withdrawn-volume": "withdrawn_ml",
    "injected-volume": "injected_ml",
    "measured-volume": "measured_ml",
    "residual-discrepancy": "discrepancy_ml",
    "pocket-discrepancy": "pocket_discrepancy_ml",
}
"""A refill's volume observations (mL) and the record field each carries."""

UNITS = {"mcg": "ug", "mg": "mg", "mL": "mL", "day": "d", "kg": "kg", "cm": "cm", "%": "%"}
"""The UCUM code written for each unit itbtwin writes."""


def local(code: str) -> dict[str, Any]:
    """A coding of itbtwin's local code system (refuses a code the allow-list lacks)."""
    return {"system": LOCAL, "code": code, "display": LOCAL_CODES[code]}


def quantity(value: float, unit: str) -> dict[str, Any]:
    """A UCUM quantity of `value` in one of `UNITS`."""
    return {"value": value, "unit": unit, "system": UCUM, "code": UNITS[unit]}


def extension_url(name: str) -> str:
    """The URL of itbtwin's extension `name` (a record field FHIR has no element for)."""
    return EXTENSION + name
