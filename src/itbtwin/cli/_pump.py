"""`itbtwin pump implant|revise|show|event`: implanted systems, catheter revisions, alarms."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from itbtwin import store
from itbtwin.cli._app import app, console
from itbtwin.cli._audit import audit_rows, print_audit
from itbtwin.cli._output import print_json, print_reasons, print_table
from itbtwin.cli._program import DailyDose, ProgramFile, program_document
from itbtwin.cli._store_args import At, By, Database, Json, Reason, actor, now, records, when
from itbtwin.display import (
    badge,
    format_count,
    format_datetime,
    format_number,
    format_percent_change,
    human_label,
    in_words,
    program_check,
)
from itbtwin.errors import UnitError
from itbtwin.record_words import device_name
from itbtwin.units import parse_quantity, parse_share, registry

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

pump_app = typer.Typer(help="Implanted systems and their events.", no_args_is_help=True)
app.add_typer(pump_app, name="pump")

Serial = Annotated[str, typer.Argument(help="The pump's serial number.")]
Catheter = Annotated[str, typer.Option("--catheter", help="Catheter model, e.g. 8709SC.")]
Length = Annotated[str, typer.Option(help='Implanted catheter length, e.g. "50 cm".')]
TipLevel = Annotated[str | None, typer.Option(help="Catheter tip level, e.g. T10.")]


def length_cm(text: str) -> float:
    """A catheter length with its unit ("50 cm", "0.5 m") in cm; a bare number is refused."""
    import pint  # with the registry, only when a length is parsed

    expect = 'a catheter length with its unit, e.g. "50 cm"'
    try:
        quantity = registry().Quantity(text.strip())
    except Exception:  # pint raises tokenizer and lookup errors of several types
        raise UnitError(f"{text!r} is not a length: {expect}") from None
    if not isinstance(quantity, pint.Quantity) or not quantity.check("[length]"):
        raise UnitError(f"{text!r} is not a length: {expect}")
    return float(quantity.m_as("cm"))


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _columns(rows: list, names: str) -> list[dict[str, object]]:  # type: ignore[type-arg]
    return [{n: _plain(getattr(row, n)) for n in names.split()} for row in rows]


def pump_record(session: Session, pump: store.Pump) -> dict[str, object]:
    """The implanted system as plain data: catheter in place now, revisions, every program
    version, refills with their reconciliation (mL, %), events and the pump's audit entries."""
    return {
        **store.pump_fields(pump),
        "catheter_now": store.catheter_at(pump, now()),
        "revisions": _columns(
            pump.revisions, "revised_at catheter_model catheter_length_cm tip_level reason"
        ),
        "programs": _columns(
            pump.programs,
            "version effective_at mean_daily_dose_mcg concentration_mcg_per_ml verdict "
            "override_reason entered_by document bridge_from_mcg_per_ml bridge_volume_ml "
            "bridge_duration_h",
        ),
        "refills": _columns(
            pump.refills,
            "performed_at withdrawn_ml expected_ml injected_ml measured_ml product "
            "concentration_mcg_per_ml lot discrepancy_ml error_pct pocket_discrepancy_ml "
            "pocket_fill_flag performed_by",
        ),
        "events": _columns(pump.events, "occurred_at kind detail fraction programmed_mcg_per_ml"),
        "audit": audit_rows(store.pump_audit(session, pump)),
    }


def print_pump(record: dict, *, audit: bool = True) -> None:  # type: ignore[type-arg]
    """Print `pump_record` as tables (clinic wall-clock times)."""
    cath = record["catheter_now"]
    console.print(
        f"[bold]{escape(record['serial'])}[/] {device_name(record['device'])} of "
        f"{escape(record['patient'])}, "
        "implanted "
        f"{clock(record['implanted_at'])} ({record['time_zone']})"
        + (f", explanted {clock(record['explanted_at'])}" if record["explanted_at"] else ""),
        highlight=False,
    )
    console.print(
        f"catheter now: {cath['model']} {cath['length_cm']:g} cm, tip {cath['tip_level'] or '?'}; "
        f"{format_count(len(record['revisions']), 'revision')}",
        highlight=False,
    )
    print_table(
        "Program versions (never overwritten)",
        ["Version", "From", "mcg/day", "mcg/mL", "Check", "Override reason", "Entered by"],
        [
            [
                *(v["version"], clock(v["effective_at"]), v["mean_daily_dose_mcg"]),
                *(v["concentration_mcg_per_ml"], _verdict(v["verdict"])),
                *(v["override_reason"] or "", v["entered_by"]),
            ]
            for v in record["programs"]
        ],
    )
    print_table(
        "Fills and refills (mL; delivery error: delivered vs programmed)",
        [
            *("When", "Withdrawn", "Expected", "Injected", "Measured", "mcg/mL"),
            *("Delivery error", "Pocket fill"),
        ],
        [
            [
                *(clock(r["performed_at"]), r["withdrawn_ml"], r["expected_ml"], r["injected_ml"]),
                *(
                    _dash(r["measured_ml"]),
                    r["concentration_mcg_per_ml"],
                    format_percent_change(r["error_pct"]),
                ),
                "SUSPECTED" if r["pocket_fill_flag"] else "-",
            ]
            for r in record["refills"]
        ],
    )
    if record["events"]:
        print_table(
            "Alarms and events",
            ["When", "Event", "Detail", "Found"],
            [
                [clock(e["occurred_at"]), human_label(e["kind"]), e["detail"], _found(e) or "-"]
                for e in record["events"]
            ],
        )
    if audit:
        print_audit(record["audit"], f"Audit trail of pump {record['serial']} (UTC)")


def _found(event: dict) -> str:  # type: ignore[type-arg]
    """What was measured with a fault: "30% of the flow", "1000 mcg/mL programmed" ("": none)."""
    found = []
    if event["fraction"] is not None:
        found.append(f"{format_number(100 * event['fraction'], '%')} of the flow")
    if event["programmed_mcg_per_ml"] is not None:
        found.append(f"{format_number(event['programmed_mcg_per_ml'], 'mcg/mL')} programmed")
    return ", ".join(found)


def _dash(value: float | None) -> object:
    return "-" if value is None else value


def _verdict(verdict: str) -> str:
    """A program version's check as a badge; "initial" (the implant's program) in words."""
    return badge(verdict) if verdict in ("pass", "warn", "block") else program_check(verdict)


def clock(iso: str | None) -> str:
    """An ISO record time (clinic wall clock) as "Mon 02 Nov 2026 10:00" (`itbtwin.display`)."""
    return "-" if iso is None else format_datetime(iso)


@pump_app.command("implant")
def implant(
    patient: Annotated[str, typer.Argument(help="The patient's identifier.")],
    device: Annotated[str, typer.Option(help="Pump model, e.g. synchromed2-20.")],
    serial: Annotated[str, typer.Option(help="The pump's serial number.")],
    time_zone: Annotated[str, typer.Option(help="IANA time zone of the pump clock.")],
    catheter: Catheter,
    catheter_length: Length,
    fill: Annotated[str, typer.Option(help='Volume filled at implant, e.g. "20 mL".')],
    concentration: Annotated[str, typer.Option(help='Drug concentration, e.g. "500 mcg/mL".')],
    daily_dose: DailyDose = None,
    program_file: ProgramFile = None,
    tip_level: TipLevel = None,
    product: Annotated[str, typer.Option(help="Product, e.g. Lioresal.")] = "",
    lot: Annotated[str, typer.Option(help="Lot number of the fill.")] = "",
    at: At = None,
    reason: Reason = "",
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Record an implant with its first fill (mL, mcg/mL) and first program (version 1); a fill
    at a strength no product is marketed at is recorded with a WARN, as check-program gives it."""
    from itbtwin.clinic import RefillVisit
    from itbtwin.clinic._safety_rules import compounded_reasons

    document = program_document(daily_dose, program_file)
    fill_ml, mcg_per_ml = (
        parse_quantity(fill, "volume"),
        parse_quantity(concentration, "concentration"),
    )
    visit = RefillVisit(0.0, 0.0, fill_ml, product, mcg_per_ml)
    with records(database) as session:
        pump = store.implant(
            session,
            actor(by),
            store.find_patient(session, patient),
            device=device,
            serial=serial,
            implanted_at=when(at, "--at", offset=True),
            time_zone=time_zone,
            catheter_model=catheter,
            catheter_length_cm=length_cm(catheter_length),
            tip_level=tip_level,
            fill=visit,
            lot=lot,
            program=document,
            now=now(),
            why=reason,
        )
        record = pump_record(session, pump)
    warnings = compounded_reasons(mcg_per_ml)  # 7 mcg/mL was taken without a word (issue 17)
    if json:
        print_json(record | {"reasons": [r.as_dict() for r in warnings]})
        return
    console.print(f"implanted {record['serial']} in {patient}; program version 1", highlight=False)
    print_reasons(warnings)


@pump_app.command("revise")
def revise(
    serial: Serial,
    catheter: Catheter,
    catheter_length: Length,
    reason: Annotated[str, typer.Option(help="Why the catheter was revised.")],
    tip_level: TipLevel = None,
    at: At = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Record a catheter revision: a new, empty catheter from --at on."""
    with records(database) as session:
        pump = store.find_pump(session, serial)
        revision = store.revise(
            session,
            actor(by),
            pump,
            revised_at=when(at, "--at", offset=True),
            catheter_model=catheter,
            catheter_length_cm=length_cm(catheter_length),
            tip_level=tip_level,
            reason=reason,
            now=now(),
        )
        payload = {"serial": serial, "revised_at": revision.revised_at.isoformat()}
        payload["catheter"] = store.catheter_at(pump, revision.revised_at)
    if json:
        print_json(payload)
        return
    console.print(
        f"pump {serial}: catheter revised {clock(payload['revised_at'])}", highlight=False
    )


@pump_app.command("show")
def show(serial: Serial, database: Database = None, json: Json = False) -> None:
    """One implanted system: catheter, program versions, refills, events and audit entries."""
    with records(database) as session:
        record = pump_record(session, store.find_pump(session, serial))
    if json:
        print_json(record)
        return
    print_pump(record)


@pump_app.command("event")
def event(
    serial: Serial,
    kind: Annotated[str, typer.Option(help="e.g. low_reservoir, catheter_fracture, mri.")],
    detail: Annotated[str, typer.Option(help="What was heard or found.")] = "",
    share: Annotated[
        str | None,
        typer.Option(
            help='A catheter fault\'s measured share of the flow affected, e.g. "30 %" (the '
            "twin replays the fault with it).",
            show_default=False,
        ),
    ] = None,
    programmed: Annotated[
        str | None,
        typer.Option(
            help='A wrong_concentration\'s concentration found programmed, e.g. "500 mcg/mL" '
            "(the twin replays the pump's delivery with it).",
            show_default=False,
        ),
    ] = None,
    at: At = None,
    database: Database = None,
    by: By = None,
    json: Json = False,
) -> None:
    """Record an alarm heard or a fault found on a pump."""
    with records(database) as session:
        pump = store.find_pump(session, serial)
        found = store.record_event(
            session,
            actor(by),
            pump,
            occurred_at=when(at, "--at", offset=True),
            kind=kind,
            detail=detail,
            now=now(),
            fraction=None if share is None else parse_share(share),
            programmed_mcg_per_ml=None
            if programmed is None
            else parse_quantity(programmed, "concentration"),
        )
        payload = {
            "serial": serial,
            "occurred_at": found.occurred_at.isoformat(),
            "kind": found.kind,
        }
        measured = {
            "fraction": found.fraction,
            "programmed_mcg_per_ml": found.programmed_mcg_per_ml,
        }
    if json:
        payload |= {"detail": detail, "fraction": found.fraction}
        if found.programmed_mcg_per_ml is not None:  # a wrong concentration's programmed value
            payload["programmed_mcg_per_ml"] = found.programmed_mcg_per_ml
        print_json(payload)
        return
    what = _found(measured)
    console.print(
        f"pump {serial}: {in_words(payload['kind'])} at {clock(payload['occurred_at'])} recorded"
        + (f" ({what})" if what else ""),
        highlight=False,
    )
