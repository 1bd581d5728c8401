"""`itbtwin assess`: record a clinical assessment (MAS per muscle group, Penn scores, adverse
effects) for a patient."""

from __future__ import annotations

from typing import Annotated

import typer

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json
from itbtwin.cli._store_args import At, By, Database, Json, actor, now, records, when
from itbtwin.display import format_datetime
from itbtwin.errors import RecordError


def mas_grades(texts: list[str]) -> dict[str, str]:
    """``MUSCLE=GRADE`` options ("hip adductors L=1+") as {muscle group: MAS grade}."""
    grades: dict[str, str] = {}
    for text in texts:
        muscle, sep, grade = text.rpartition("=")
        if not sep or not muscle.strip() or not grade.strip():
            raise RecordError(f'--mas {text!r} must be MUSCLE=GRADE, e.g. "hip adductors L=1+"')
        if muscle.strip() in grades:
            raise RecordError(f"--mas gives {muscle.strip()!r} twice")
        grades[muscle.strip()] = grade.strip()
    return grades


@app.command("assess")
def assess(
    patient: Annotated[str, typer.Argument(help="The patient's identifier.")],
    mas: Annotated[
        list[str] | None,
        typer.Option(help='MAS grade of one muscle group, "hip adductors L=1+" (repeatable).'),
    ] = None,
    penn_frequency: Annotated[
        int | None, typer.Option(help="Penn spasm frequency 0 (none) - 4 (> 10 per hour).")
    ] = None,
    penn_severity: Annotated[
        int | None, typer.Option(help="Penn spasm severity 1 (mild) - 3 (severe).")
    ] = None,
    adverse: Annotated[str, typer.Option(help="Adverse effects seen, e.g. drowsiness.")] = "",
    at: At = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Record an assessment: MAS grades, Penn spasm scores and adverse effects."""
    grades = mas_grades(mas or [])
    with records(database) as session:
        found = store.assess(
            session,
            actor(by),
            store.find_patient(session, patient),
            assessed_at=when(at, "--at", offset=True),
            mas=grades,
            now=now(),
            penn_frequency=penn_frequency,
            penn_severity=penn_severity,
            adverse_effects=adverse,
        )
        payload = {
            "patient": patient,
            "assessed_at": found.assessed_at.isoformat(),
            "mas": found.mas,
            "penn_frequency": found.penn_frequency,
            "penn_severity": found.penn_severity,
            "adverse_effects": found.adverse_effects,
            "assessed_by": found.assessed_by,
        }
    if json:
        print_json(payload)
        return
    grades_text = "; ".join(f"{m} {g}" for m, g in grades.items()) or "no MAS"
    console.print(
        f"assessment of {patient} at {format_datetime(found.assessed_at)} recorded: {grades_text}",
        highlight=False,
    )
