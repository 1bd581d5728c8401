"""Whom a patient calls: the clinic's name, phone number and hours (`itbtwin clinic set`).

Kept apart from the education sheet that prints it, so reading or storing the clinic's settings
loads none of the sheet's refill and risk rules (issue 13 start-up).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ClinicContact:
    """Whom the patient calls: the clinic's name, phone number and hours ("" = not set)."""

    name: str = ""
    phone: str = ""
    hours: str = ""

    def as_dict(self) -> dict[str, str]:
        """The contact as plain data (JSON, audit)."""
        return asdict(self)
