"""`itbtwin titrate`: starting dose, titration plan with its simulated course, or a step check."""

from __future__ import annotations

from typing import Annotated

import typer

from itbtwin.cli._app import app, console
from itbtwin.cli._clinic_args import WEIGHT_HELP, patient_pk
from itbtwin.cli._output import print_json, print_reasons, print_table
from itbtwin.cli._since import time_back
from itbtwin.drug import check_origin, dose_range_for
from itbtwin.errors import RegimenError
from itbtwin.units import parse_quantity


@app.command()
def titrate(
    origin: Annotated[str, typer.Option(help="Origin of spasticity: spinal or cerebral.")],
    bolus: Annotated[
        str | None, typer.Option(help='Effective screening bolus, e.g. "50 mcg".')
    ] = None,
    effect_duration: Annotated[
        str | None,
        typer.Option(
            help='How long the screening effect lasted, e.g. "6 h": from onset to the end of '
            "the visible effect (the MAS a grade better), the duration screen predicts."
        ),
    ] = None,
    adverse: Annotated[
        bool, typer.Option(help="The screening bolus caused adverse reactions.")
    ] = False,
    start: Annotated[
        str | None, typer.Option(help="Starting daily dose instead of --bolus.")
    ] = None,
    target: Annotated[
        str | None, typer.Option(help='Daily dose to titrate to, e.g. "400 mcg/day".')
    ] = None,
    step: Annotated[
        float | None, typer.Option(help="Step in percent (default: the largest allowed).")
    ] = None,
    days_per_step: Annotated[int, typer.Option(help="Days each step is held (step dosing).")] = 1,
    current: Annotated[str | None, typer.Option(help="Check a change: current daily dose.")] = None,
    proposed: Annotated[
        str | None, typer.Option(help="Check a change: proposed daily dose.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help='Time since the last change, e.g. "20 h".')
    ] = None,
    restart_after: Annotated[
        str | None,
        typer.Option(
            help='Time without drug before restarting --current, e.g. "15 day": plans from the '
            "reduced restart dose back to --target (default --current)."
        ),
    ] = None,
    phase: Annotated[str, typer.Option(help="titration or maintenance.")] = "titration",
    age: Annotated[str, typer.Option(help='Age, e.g. "40 year".')] = "40 year",
    weight: Annotated[str | None, typer.Option(help=WEIGHT_HELP)] = None,
    baseline_mas: Annotated[
        str | None,
        typer.Option(
            help='The patient\'s MAS grade before ITB, e.g. "3": the simulated course then shows '
            "the MAS (without it, doses and CSF only; none is assumed)."
        ),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Plan titration from the screening result (saulino2016-dosing) or check one dose change."""
    from itbtwin.clinic import check_step, range_flags, starting_dose, titration_plan
    from itbtwin.clinic._course import plan_course
    from itbtwin.clinic._indication import age_reasons
    from itbtwin.clinic._restart import restart_dose
    from itbtwin.clinic._screening import effective_bolus_reasons
    from itbtwin.clinic._titration import check_phase
    from itbtwin.patient import Baseline

    check_origin(origin)
    check_phase(phase)
    systemic, age_years = patient_pk(weight, age)
    target_typed = target
    if restart_after is not None:
        if current is None or proposed is not None:
            raise RegimenError("--restart-after needs --current (the dose before the interruption)")
        before = parse_quantity(current, "daily_dose")
        gap_h = time_back(restart_after, "--restart-after")
        if not gap_h > 0:  # "0 day" was planned as a restart after 0 h (issue 17)
            raise RegimenError(
                f"--restart-after {restart_after!r} is no interruption: give how long no drug "
                'was delivered, e.g. "15 day"'
            )
        restart = restart_dose(before, gap_h, pk=systemic)
        start, current = f"{restart.restart_mcg} mcg/day", None
        target = target or f"{before} mcg/day"
    if current is not None or proposed is not None:
        if current is None or proposed is None:
            raise RegimenError("a step check needs both --current and --proposed")
        result = check_step(
            parse_quantity(current, "daily_dose"),
            parse_quantity(proposed, "daily_dose"),
            origin=origin,
            age_years=age_years,
            hours_since_last_change=None if since is None else time_back(since, "--since"),
            phase=phase,
        )
        if json:
            print_json(
                {
                    "verdict": result.verdict.value,
                    "percent": result.percent,
                    "allowed_percent": result.allowed,
                    "reasons": [r.as_dict() for r in result.reasons],
                }
            )
        else:
            low, high = result.allowed
            console.print(
                f"{result.current_mcg:g} → {result.proposed_mcg:g} mcg/day "
                f"({result.percent:+.1f}%): {result.verdict.value.upper()}; "
                f"allowed {low:g}-{high:g}% per 24 h"
            )
            print_reasons(result.reasons)
        if result.verdict.value == "block":
            raise typer.Exit(1)
        return
    if (bolus is None) == (start is None):
        raise RegimenError("give the effective screening --bolus, or a --start daily dose")
    reasons = [restart.reason] if restart_after is not None else []
    if bolus is not None:
        bolus_mcg = parse_quantity(bolus, "dose")
        chosen = starting_dose(
            bolus_mcg,
            parse_quantity(effect_duration, "duration") if effect_duration else None,
            adverse_reaction=adverse,
        )
        start_mcg = chosen.daily_mcg
        reasons = [chosen.reason, *effective_bolus_reasons(bolus_mcg)]
    else:
        start_mcg = parse_quantity(start, "daily_dose")  # type: ignore[arg-type]
    target_mcg = parse_quantity(target, "daily_dose") if target else start_mcg
    if target_typed is not None and target_mcg == start_mcg:
        raise RegimenError(
            f"--target {target_typed!r} is the starting dose: there is nothing to titrate "
            "(leave out --target to see the course at the starting dose)"
        )
    plan = titration_plan(
        start_mcg,
        target_mcg,
        origin=origin,
        age_years=age_years,
        step_percent=step,
        days_per_step=days_per_step,
    )
    reasons += range_flags(target_mcg, dose_range_for(origin, age_years))
    reasons += age_reasons(age_years)
    course = plan_course(plan, systemic, None if baseline_mas is None else Baseline(baseline_mas))
    if json:
        print_json(
            {
                "start_mcg_per_day": start_mcg,
                "plan": [{"day": s.day, "daily_mcg": s.daily_mcg} for s in plan],
                "course": [vars(d) for d in course],
                "reasons": [r.as_dict() for r in reasons],
            }
        )
        return
    print_reasons(reasons)
    columns = ["day", "daily dose (mcg/day)", "lumbar CSF at 24 h (ng/mL)"]
    mas = [] if baseline_mas is None else [f"MAS at 24 h (baseline {baseline_mas})"]
    print_table(
        f"Titration plan and simulated course ({origin}, typical drug-naive response)",
        columns + mas,
        # the dose as programmed, every digit of the pump's resolution (132.25, not 132.2)
        [
            [d.day, f"{d.daily_mcg:g}", d.csf_lumbar_ng_ml, *([d.mas_grade] if mas else [])]
            for d in course
        ],
    )
