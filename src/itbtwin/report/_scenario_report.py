"""The report of one simulated scenario, and of one patient (the scenario plus their records).

Sections: the scenario as read, the outcome in numbers, findings (alarms, withdrawal, overdose,
with sources), the four figures (`_twin_figures`), the event log, the numbers the model used
with their sources, then (patient report) the records the caller passes as plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from itbtwin.clinic import Reason
from itbtwin.display import format_number, human_label, in_words
from itbtwin.patient import BaclofenPk
from itbtwin.pump import ALARMS
from itbtwin.report._document import Document, itbtwin_version
from itbtwin.report._findings import device_rows, hours_or_days, parameter_rows, twin_findings
from itbtwin.report._records_report import add_records
from itbtwin.report._timeline import Timeline
from itbtwin.report._twin_figures import (
    Observation,
    concentration_figure,
    dose_figure,
    reservoir_figure,
    response_figure,
)
from itbtwin.sim import Scenario, TwinOutcome


def scenario_timeline(scenario: Scenario) -> Timeline:
    """Dates from the scenario's start in its pump clock's zone at hour 0."""
    clock = scenario.therapy.clock
    return Timeline(clock.local(0.0), clock.zones[0][1])


def _scenario_rows(scenario: Scenario) -> list[tuple[str, Any]]:
    therapy, patient = scenario.therapy, scenario.patient
    fill = therapy.fill
    rows: list[tuple[str, Any]] = [
        ("start", therapy.clock.local(0.0)),
        ("duration (days)", scenario.span_h / 24),
        (
            "patient",
            f"{format_number(patient.weight_kg, 'kg')}, "
            f"{format_number(patient.age_years, 'years')}, {patient.origin}",
        ),
        ("pump", f"{therapy.device.name}, {therapy.pump_age_h / 24 / 365.25:.1f} years implanted"),
        ("catheter", f"{therapy.catheter.model}, {therapy.catheter_length_cm:g} cm"),
        (
            "reservoir at start",
            f"{fill.volume_ml:g} mL of {fill.concentration_mcg_per_ml:g} mcg/mL {fill.product}",
        ),
    ]
    for at_h, program in therapy.programs:
        rows.append(
            (
                f"program from day {format_number(at_h / 24)}",
                f"{program.mode}, {program.daily_dose_mcg():g} mcg/day",
            )
        )
    rows += [
        (
            f"refill on day {format_number(r.at_h / 24)}",
            f"{r.fill.volume_ml:g} mL of {r.fill.concentration_mcg_per_ml:g} mcg/mL",
        )
        for r in therapy.refills
    ]
    rows += [
        (f"fault on day {format_number(f.at_h / 24)}", in_words(f.kind)) for f in therapy.faults
    ]
    rows.append(("output step (h)", scenario.output_step_h))
    return rows


def _outcome_rows(outcome: TwinOutcome) -> list[tuple[Any, ...]]:
    s = outcome.summary
    rows: list[tuple[Any, ...]] = [
        ("delivered at the tip", s["delivered_mcg"], "mcg", "derived"),
        ("programmed", s["programmed_mcg"], "mcg", "derived"),
        ("delivered / programmed", s["delivered_over_programmed"], "1", "derived"),
        ("into tissue (leak or pocket)", s["tissue_mcg"], "mcg", "derived"),
        ("refills given", s["refills"], "", "derived"),
        (
            "refill due (low-reservoir alarm or stability)",
            s["refill_due_day"],
            "day",
            "synchromed2:S25+synchromed2:S2",
        ),
    ]
    for name, day in s["first_day_of"].items():
        source = ALARMS[name].source if name in ALARMS else "synchromed2:S23"
        rows.append((f"first {in_words(name)}", day, "day", source))
    for output, level in s["steady_state_ng_ml"].items():
        site = human_label(output)
        rows.append((f"steady state, {site[:1].lower()}{site[1:]}", level, "ng/mL", "heetla2016"))
    rows += [
        ("withdrawal signal", *hours_or_days(s["withdrawal_h"]), "derived"),
        ("overdose signal", *hours_or_days(s["overdose_h"]), "label+overdose1991"),
    ]
    return rows


def _event_rows(scenario: Scenario, outcome: TwinOutcome) -> list[tuple[Any, ...]]:
    clock = scenario.therapy.clock
    return [
        (
            f"{e.time_h / 24:.2f}",
            clock.local(e.time_h),
            in_words(e.kind),
            e.detail + (f" [{e.tone.replace('_', '-')} tone]" if e.tone else ""),
        )
        for e in outcome.events
        if e.kind != "tone"
    ]


def scenario_report(
    scenario: Scenario,
    outcome: TwinOutcome,
    *,
    params: BaclofenPk | None = None,
    generated: datetime | None = None,
    observed: Sequence[Observation] = (),
) -> Document:
    """The report of one twin run: scenario, outcome, findings, figures, events, sources.

    `params` are the PK parameters the run used (default: those `run_twin` picks for the
    scenario's patient); `generated` the time stamp shown (default: now, UTC); `observed` the
    scores seen at the clinic, plotted beside the twin's MAS and Penn.
    """
    patient = scenario.patient
    params = params or BaclofenPk.for_patient(
        weight_kg=patient.weight_kg, age_years=patient.age_years
    )
    timeline = scenario_timeline(scenario)
    generated = generated or datetime.now(UTC)
    doc = Document(
        f"Scenario report: {scenario.name}",
        "Simulated pump and patient (itbtwin digital twin): a model, not a measurement.",
        {
            "scenario": scenario.name,
            "start": scenario.therapy.clock.local(0.0),
            "time zone": timeline.zone,
            "generated": generated,
            "itbtwin": itbtwin_version(),
        },
    )
    story = " ".join(line.lstrip("#").strip() for line in scenario.header.splitlines())
    summary = doc.section("Scenario")
    if story.strip():
        summary.paragraph(story)
    summary.table(("", "value"), _scenario_rows(scenario))
    doc.section("Outcome").table(("quantity", "value", "unit", "source"), _outcome_rows(outcome))
    doc.section("Findings").reasons(twin_findings(outcome))
    device = scenario.therapy.device
    figures = doc.section("Figures")
    figures.figure(
        reservoir_figure(outcome, timeline, device.low_reservoir_alarm_ml),
        "Reservoir volume (mL) with the low-reservoir threshold, alarm onsets and refills",
    )
    figures.figure(
        dose_figure(outcome, timeline),
        "Dose delivered at the catheter tip (mcg/day) against the programmed dose",
    )
    figures.figure(
        concentration_figure(outcome, timeline),
        "Lumbar CSF concentration (ng/mL), linear and log axes, pump events marked",
    )
    figures.figure(
        response_figure(outcome, timeline, observed),
        "MAS grade and Penn spasm frequency over time, pump events marked"
        + ("; open markers: scores observed at the clinic" if observed else ""),
    )
    events = doc.section("Events")
    tones = Counter(e.alarm for e in outcome.events if e.kind == "tone")
    events.table(("day", "local time", "kind", "detail"), _event_rows(scenario, outcome))
    if tones:
        events.paragraph("Alarm tones: " + ", ".join(f"{k} x{n}" for k, n in tones.items()))
    numbers = doc.section("Model and device numbers")
    numbers.table(
        ("model", "parameter", "key", "value", "description", "source"),
        parameter_rows(scenario, params),
        "Patient model parameters",
    )
    numbers.table(
        ("number", "value", "unit", "source", "read from the source"),
        device_rows(scenario),
        "Pump and catheter",
    )
    return doc


def patient_report(
    scenario: Scenario,
    outcome: TwinOutcome,
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    patient: Mapping[str, Any] | None = None,
    title: str | None = None,
    generated: datetime | None = None,
    facts: Sequence[Reason] = (),
    observed: Sequence[Observation] = (),
) -> Document:
    """The scenario report of a patient's twin plus their records, as plain data.

    `records` maps a table title ("Refills", "Assessments", "Programs", "Audit trail"...) to a
    list of rows (dicts; columns in first-seen order; a ``source`` column is cited). `patient`
    (label → value) is shown first. `facts`: what the records say that changes delivery (faults
    sized from the records, bridges; `store.recorded_facts`), listed with the findings so that
    they never contradict the records; `observed`: the assessments, plotted beside the twin.
    """
    doc = scenario_report(scenario, outcome, generated=generated, observed=observed)
    doc.title = title or f"Patient report: {scenario.name}"
    if facts:
        findings = next(s for s in doc.sections if s.title == "Findings")
        findings.reasons(facts, "From the records (what the replay includes, and what it cannot)")
    return add_records(doc, records, patient)
