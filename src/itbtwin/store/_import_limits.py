"""How much one import may hold, counted before any record is read (issue 17 point 3).

The file's size is capped before it is parsed (`user_files.JSON_LIMIT_BYTES`); within that,
a document of a million tiny records would still be read record by record and recorded at about
1 ms a record (measured: 5,000 patients in 5 s on 2 shared cores) while the session holds every
one. These counts refuse such a document at once, with the limit and its reason
(docs/limits.md).
"""

from __future__ import annotations

from typing import Any

from itbtwin.errors import RecordError
from itbtwin.store._exchange_format import NEST

MAX_IMPORT_PATIENTS = 10_000
"""Patients in one import: the largest demo clinic (`store._demo_clinic.MAX_SIZE`), and far
more than any clinic follows (a few hundred pumps)."""
MAX_IMPORT_RECORDS = 1_000_000
"""Records of every kind in one import (a JSON document's patients, pumps, refills, audit
entries... or a FHIR Bundle's entries): a 1,000-patient clinic with years of refills holds about
100,000, so a million allows ten such clinics, as the 200 MB file limit does; recording them
takes about a quarter of an hour."""


def _listed(value: Any, key: str) -> list[Any]:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, list) else []


def check_document_size(document: Any) -> None:
    """Refuse an ``itbtwin-clinic`` document of more patients or records than one import may
    hold; what is not a list is left to `read_clinic` to name."""
    patients = _listed(document, "patients")
    _refuse_patients(len(patients), "the file")
    count = len(_listed(document, "audit")) + len(_listed(document, "corrections"))
    level: list[tuple[Any, str]] = [(p, "patient") for p in patients]
    while level and count <= MAX_IMPORT_RECORDS:
        count += len(level)
        level = [
            (child, kind)
            for record, parent in level
            for key, kind in NEST.get(parent, {}).items()
            for child in _listed(record, key)
        ]
    _refuse_records(count, "records", exact=not level)


def check_bundle_size(bundle: Any) -> None:
    """Refuse a FHIR Bundle of more entries or patients than one import may hold."""
    entries = _listed(bundle, "entry")
    _refuse_records(len(entries), "resources")
    patients = sum(
        1
        for entry in entries
        if isinstance(entry, dict)
        and isinstance(entry.get("resource"), dict)
        and entry["resource"].get("resourceType") == "Patient"
    )
    _refuse_patients(patients, "the Bundle")


def _refuse_patients(count: int, holder: str) -> None:
    """Refuse `count` patients beyond the limit; `holder`: "the file" or "the Bundle"."""
    if count > MAX_IMPORT_PATIENTS:
        raise RecordError(
            f"{holder} holds {count:,} patients; one import holds at most "
            f"{MAX_IMPORT_PATIENTS:,} (split the clinic into several files, docs/limits.md)"
        )


def _refuse_records(count: int, what: str, exact: bool = True) -> None:
    """Refuse `count` records beyond the limit; not `exact`: counting stopped past it."""
    if count > MAX_IMPORT_RECORDS:
        shown = f"{count:,}" if exact else f"more than {MAX_IMPORT_RECORDS:,}"
        raise RecordError(
            f"the file holds {shown} {what}; one import holds at most {MAX_IMPORT_RECORDS:,} "
            "(about ten clinics of 1,000 patients; split it into several files, docs/limits.md)"
        )
