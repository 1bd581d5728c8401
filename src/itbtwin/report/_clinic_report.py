"""The clinic report: the next two weeks' refills, the patients at risk, a table per patient.

It takes what `clinic.refill_schedule` and `clinic.rank_risks` return (and optional patient rows
as plain dicts), so it needs no database. Windows and alarms come with the reasons and sources
of `clinic.refill_window` and `clinic.slip_outcome`; risks with those of `clinic.assess_risk`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from itbtwin.clinic import PatientRisk, ScheduleEntry, Verdict, WindowOptions, due_within, worst
from itbtwin.clinic._refill_plan import DEFAULT_WINDOW
from itbtwin.display import (
    format_date,
    format_datetime,
    format_days,
    format_days_of_drug,
    format_event_moment,
)
from itbtwin.report._calendar import (
    CALENDAR_DAYS,
    CALENDAR_SOURCES,
    check_calendar_days,
    refill_calendar,
)
from itbtwin.report._document import Document, columns, itbtwin_version


def default_today(entries: Sequence[ScheduleEntry], risks: Sequence[PatientRisk]) -> date:
    """The schedule's today: hour 0 of the first pump's clock (local date), else today."""
    for dates in [e.dates for e in entries] + [r.dates for r in risks]:
        local = dates.local(0.0)
        if local is not None:
            return local.date()
    return date.today()


def _window(entry: ScheduleEntry) -> str:
    w = entry.window
    if w.earliest is None or w.latest is None:
        return f"overdue: {w.action}"
    return f"{format_date(w.earliest)} - {format_date(w.latest)}"


def _local(entry: ScheduleEntry, t_h: float | None) -> str:
    """A pump event's moment; none because the pump reaches its end of service first reads
    "after end of service" (as on every face, `display.AFTER_END_OF_SERVICE`)."""
    dates = entry.dates
    return format_event_moment(dates.local(t_h), stops_first=dates.eos_h is not None)


def _schedule_rows(entries: Sequence[ScheduleEntry]) -> list[tuple[Any, ...]]:
    return [
        (
            e.name,
            _window(e),
            format_datetime(e.window.deadline),
            e.window.limited_by.replace("_", " "),
            _local(e, e.dates.low_reservoir_h),
            _local(e, e.dates.empty_h),
            e.dates.mean_ml_per_day,
            f"{worst(list(e.slip.reasons)).value}: "
            f"{format_days(e.slip.days_without_drug)} days without drug",
        )
        for e in entries
    ]


def _days_of_drug(risk: PatientRisk) -> str:
    return format_days_of_drug(risk.days_left, stops_first=risk.dates.eos_h is not None)


def _risk_rows(risks: Sequence[PatientRisk]) -> list[tuple[Any, ...]]:
    return [
        (n, r.name, r.verdict.value, r.score, _days_of_drug(r))
        for n, r in enumerate(risks, start=1)
    ]


def clinic_report(
    name: str,
    entries: Sequence[ScheduleEntry],
    risks: Sequence[PatientRisk],
    patients: Sequence[Mapping[str, Any]] | None = None,
    as_of: date | None = None,
    *,
    days: int = CALENDAR_DAYS,
    options: WindowOptions = DEFAULT_WINDOW,
    generated: datetime | None = None,
) -> Document:
    """The clinic report: refill calendar and table, ranked risks with reasons, patients.

    **Arguments:**
    - `name`: the clinic; `entries`: `clinic.refill_schedule` (most urgent first); `risks`:
      `clinic.rank_risks` (most at risk first); `patients`: one dict per patient, or None.
    - `as_of`: the clinic's today (default: hour 0 of the first pump's clock); `days` (d) shown;
      `options`: the clinic's window options, whose closed weekdays and holidays are shaded on
      the calendar.
    """
    check_calendar_days(days)
    today = as_of or default_today(entries, risks)
    due = due_within(entries, today, days)
    doc = Document(
        f"Clinic report: {name}",
        f"Refills due in the {days} days from {today:%a %d %b %Y} and patients at risk of "
        "withdrawal (itbtwin digital twin: model forecasts, not measurements).",
        {
            "clinic": name,
            "as of": today,
            "pumps": str(len(entries)),
            "refills due": str(len(due)),
            "patients at risk": str(sum(r.verdict != Verdict.PASS for r in risks)),
            "generated": generated or datetime.now(UTC),
            "itbtwin": itbtwin_version(),
        },
    )
    doc.cite(*CALENDAR_SOURCES)
    calendar = doc.section(f"Refills in the next {days} days")
    if due:
        calendar.figure(
            refill_calendar(due, today=today, days=days, options=options),
            "Refill calendar: windows as bars, alarm dates as markers, closed days shaded",
        )
        calendar.table(
            (
                "pump",
                "refill window",
                "deadline",
                "limited by",
                "low-reservoir alarm",
                "empty reservoir",
                "mean use (mL/day)",
                "if the visit slips",
            ),
            _schedule_rows(due),
        )
        for entry in due:
            calendar.reasons((*entry.window.reasons, *entry.slip.reasons), entry.name)
    else:
        calendar.paragraph(f"No refill falls due in the {days} days from {today:%d %b %Y}.")
    later = len(entries) - len(due)
    if later:
        calendar.paragraph(f"{later} more pumps are due after these {days} days.")
    ranked = doc.section("Patients at risk")
    ranked.table(("rank", "patient", "verdict", "score", "days of drug left"), _risk_rows(risks))
    for risk in risks:
        if risk.verdict != Verdict.PASS:
            ranked.reasons(risk.reasons, risk.name)
    calm = [r.name for r in risks if r.verdict == Verdict.PASS]
    if calm:
        ranked.paragraph("No risk found for: " + ", ".join(calm) + ".")
    if patients:
        header = columns(patients)
        doc.section("Patients").table(header, [[p.get(h) for h in header] for p in patients])
    return doc
