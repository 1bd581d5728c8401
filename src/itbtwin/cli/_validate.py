"""`itbtwin validate`: one row per published fact; exit status 1 when any row fails."""

from __future__ import annotations

from typing import Annotated

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._output import print_json, print_table
from itbtwin.display import Markup, format_number


@app.command()
def validate(
    json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """Check the model against published facts: source, published value, model value, tolerance."""
    from itbtwin.validation import run_validation

    checks = run_validation()
    failed = [c for c in checks if not c.passed]
    if json:
        print_json({"rows": [c.as_dict() for c in checks], "passed": not failed})
    else:
        print_table(
            "itbtwin validation against published facts",
            ["Fact", "Source", "Published", "Model", "Tolerance", "Result"],
            [
                [
                    c.fact.claim,
                    c.fact.source,
                    c.fact.published,
                    format_number(c.value, c.fact.unit, digits=4),
                    c.fact.tolerance,
                    Markup("[green]pass[/]" if c.passed else "[red]FAIL[/]"),
                ]
                for c in checks
            ],
        )
        console.print(f"{len(checks) - len(failed)} of {len(checks)} facts pass")
    if failed:
        raise typer.Exit(1)
