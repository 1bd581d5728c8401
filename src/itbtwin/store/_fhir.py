"""The clinic in and out as FHIR R4: `export_fhir` and `import_fhir` (docs/exchange.md).

Both go through the clinic document of the JSON exchange (`export_clinic`, `import_clinic`):
FHIR is another spelling of the same records, so the import runs the same checks in one
transaction, all or nothing. The Bundle written is checked by the R4 models of `fhir.resources`
before it is returned, and the tests check it against the official R4 JSON schema.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from itbtwin.store._exchange import Progress, export_clinic, import_clinic
from itbtwin.store._fhir_export import clinic_bundle
from itbtwin.store._fhir_import import bundle_clinic
from itbtwin.store._fhir_read import check_bundle
from itbtwin.store._import_limits import check_bundle_size
from itbtwin.store._patients import find_patient


def _one_patient(document: dict[str, Any], identifier: str) -> dict[str, Any]:
    """The document of one patient: their records and the audit entries about them."""
    patients = [p for p in document["patients"] if p["identifier"] == identifier]
    mine = [
        e
        for e in document["audit"]
        if e["ref"] is not None
        and (e["ref"] == identifier or e["ref"].startswith(identifier + "/"))
    ]
    return {**document, "patients": patients, "audit": mine}


def export_fhir(
    session: Session, *, patient: str | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The clinic (or one `patient`, by identifier) as a checked FHIR R4 transaction Bundle."""
    document = export_clinic(session, progress=progress)
    if patient is not None:
        document = _one_patient(document, find_patient(session, patient).identifier)
    bundle = clinic_bundle(document)
    check_bundle(bundle)
    return bundle


def import_fhir(
    session: Session, bundle: Any, actor: str, *, file: str = "", progress: Progress | None = None
) -> dict[str, int]:
    """Add the clinic a FHIR R4 Bundle holds, in the caller's transaction (all or nothing)."""
    check_bundle_size(bundle)  # before its R4 check, which takes about 1 ms an entry
    return import_clinic(session, bundle_clinic(bundle), actor, file=file, progress=progress)
