"""A program as a clinician enters it, made into the document a pump's program version stores (a
``[[program]]`` table of the scenario format without its start, docs/pump.md and docs/records.md).

A program is entered as a daily dose (a simple continuous program) or as a program table (flex,
periodic, boluses), optionally with the concentration told to the pump. Both faces build it here and
only read their own input: the command line its options and a TOML file, the web its form fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itbtwin.errors import RecordError


def program_table(data: Mapping[str, Any], where: str, *, start: str) -> dict[str, Any]:
    """The one program in a parsed TOML document: a ``[program]`` table, a single ``[[program]]``
    or the program's keys at the top level. A stored program has no ``at``: a version starts when
    it takes effect, which each face gives its own way (`start` tells the reader how). `where`
    names the input in a refusal (a file, a form field)."""
    found = data.get("program", data)
    if isinstance(found, list) and len(found) == 1:
        found = found[0]
    if not isinstance(found, dict) or "mode" not in found:
        raise RecordError(
            f"{where} is not a program: expected one program table with mode = "
            '"continuous", "flex" or "periodic" (docs/records.md)'
        )
    if "at" in found:
        raise RecordError(f"{where}: a stored program has no `at`; {start}")
    return dict(found)


def entered_program(
    program: Mapping[str, Any] | float,
    concentration_mcg_per_ml: float | None = None,
    *,
    where: str = "the program table",
) -> dict[str, Any]:
    """The program document of a program table (`program_table`) or of a daily dose (mcg/day,
    a simple continuous program), with the concentration told to the pump (mcg/mL) when one is
    given; a table that sets its own concentration refuses another (`where` names the table)."""
    if isinstance(program, Mapping):
        document = dict(program)
    else:
        document = {"mode": "continuous", "daily_dose": f"{program!r} mcg/day"}
    if concentration_mcg_per_ml is not None:
        if "concentration" in document:
            raise RecordError(f"{where} sets the concentration already")
        document["concentration"] = f"{concentration_mcg_per_ml!r} mcg/mL"
    return document
