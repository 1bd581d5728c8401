"""A patient's records as a NONMEM-style dataset: intrathecal dosing and the observed scores.

One row per record, in NONMEM's vocabulary (mrgsolve's too): ``ID`` (1, 2, ... in the order the
patients are given; ``PATIENT`` holds the identifier), ``TIME`` (h since the patient's first row),
``EVID`` (1 dose, 0 observation, 2 a signal event of the twin), ``AMT`` (mcg), ``RATE``
(mcg/h; 0 for a bolus), ``CMT`` (1: the intrathecal dose; 0 otherwise, NONMEM's default
observation compartment), ``DV``, ``MDV`` (0 on observations, 1 otherwise), ``DVID`` (1 MAS
code 0-5, 2 Penn spasm frequency 0-4, 3 Penn severity 1-3; 0 on doses), then readable extras:
``TYPE``, ``MUSCLE``, ``WT`` (kg), ``AGE`` (years at the row), ``ORIGIN``,
``PATIENT``, ``DATE`` and ``CLOCK`` (the clinic's wall-clock time). Text has no blanks or commas
(they become ``_``), so NM-TRAN reads the file with those columns dropped (docs/exchange.md).

Doses are what the pump twin delivered at the catheter tip (`pump.deliver` of the records'
`history_scenario`, flow exactly as programmed), not the programmed rate: one infusion row per
period of constant rate, split at every program version, refill and revision, AMT = RATE x
duration. The two differ where the records say no drug reached the tip: a new, empty catheter
until it has filled (no priming bolus is recorded), an empty reservoir, or the old concentration
still in the catheter after a concentration change. Boluses are rows with RATE 0.

Signal rows (EVID 2, MDV 1, TYPE ``WITHDRAWAL_SIGNAL`` or ``OVERDOSE_SIGNAL``, DV the level: 1
while withdrawal is on, the overdose level 1-3, 0 at the end) are the twin's model-derived onset,
level changes and end (`sim.run_twin` of the same records, patient controlled on the first
program), so the dataset says when they start and end (issue 14).
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, TextIO

import numpy as np

from itbtwin.patient import mas_code
from itbtwin.pump import deliver
from itbtwin.sim import SIGNAL_EVENT_KINDS, run_twin
from itbtwin.store._patients import age_years
from itbtwin.store._scenario import history_scenario
from itbtwin.store._schema import Patient, Pump

NONMEM_COLUMNS = ("ID", "TIME", "EVID", "AMT", "RATE", "CMT", "DV", "MDV", "DVID")
NONMEM_COLUMNS += ("TYPE", "MUSCLE", "WT", "AGE", "ORIGIN", "PATIENT", "DATE", "CLOCK")
"""The dataset's columns, in file order: NONMEM's data items, then the readable extras."""
DVID = {"MAS": 1, "PENN_FREQ": 2, "PENN_SEV": 3}
"""Observation type codes (``DVID``) by ``TYPE``."""


def _hours(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 3600


def _text(value: str) -> str:
    return re.sub(r"[\s,]+", "_", value.strip())


def pump_doses(pump: Pump, *, until: datetime) -> list[tuple[datetime, float, float]]:
    """Doses delivered at the tip from the implant to `until` (or the explant), per the twin.

    Returns (start, rate mcg/h, amount mcg) rows: an infusion of `amount` = rate x duration,
    or a bolus of `amount` with rate 0.
    """
    end = min(until, pump.explanted_at or until)
    if end <= pump.implanted_at:
        return []
    start = pump.implanted_at
    delivery = deliver(history_scenario(pump, since=start, until=end).therapy)
    times, rates = delivery.breakpoints_h, delivery.intrathecal_mcg_per_h
    records = [v.effective_at for v in pump.programs] + [r.performed_at for r in pump.refills]
    records += [r.revised_at for r in pump.revisions]
    cuts = {0.0, delivery.span_h, *times[1:][np.diff(rates) != 0].tolist()}
    cuts |= {h for h in (_hours(t, start) for t in records) if 0 < h < delivery.span_h}
    doses = []
    for a, b in itertools.pairwise(sorted(cuts)):
        rate = float(rates[np.searchsorted(times, a, side="right") - 1])
        if rate > 0:
            doses.append((start + timedelta(hours=a), rate, rate * (b - a)))
    for t, amount in zip(times, delivery.intrathecal_bolus_mcg, strict=True):
        if amount > 0:
            doses.append((start + timedelta(hours=float(t)), 0.0, float(amount)))
    return doses


SIGNAL_TYPES = {"withdrawal": "WITHDRAWAL_SIGNAL", "overdose": "OVERDOSE_SIGNAL"}
"""``TYPE`` of the twin's signal rows (EVID 2) by signal."""


def pump_signals(pump: Pump, *, until: datetime) -> list[tuple[datetime, str, float]]:
    """The twin's model-derived signals over the pump's records: (time, TYPE, level) at each
    onset, overdose level change and end (level 0 at the end; withdrawal 1 while on)."""
    end = min(until, pump.explanted_at or until)
    if end <= pump.implanted_at:
        return []
    outcome = run_twin(history_scenario(pump, since=pump.implanted_at, until=end))
    times, levels = outcome.series["time_h"], outcome.series["overdose_level"]
    rows = []
    for e in outcome.events:
        if e.kind not in SIGNAL_EVENT_KINDS:
            continue
        signal = e.kind.split("_")[0]
        if e.kind.endswith("_end"):
            level = 0.0
        elif signal == "withdrawal":
            level = 1.0
        else:
            level = float(levels[min(np.searchsorted(times, e.time_h), times.size - 1)])
        rows.append((pump.implanted_at + timedelta(hours=e.time_h), SIGNAL_TYPES[signal], level))
    return rows


def _observations(patient: Patient, until: datetime) -> Iterable[tuple[datetime, str, str, float]]:
    for a in patient.assessments:
        if a.assessed_at > until:
            continue
        for muscle, grade in sorted(a.mas.items()):
            yield a.assessed_at, "MAS", _text(muscle), float(mas_code(grade))
        if a.penn_frequency is not None:
            yield a.assessed_at, "PENN_FREQ", "", float(a.penn_frequency)
        if a.penn_severity is not None:
            yield a.assessed_at, "PENN_SEV", "", float(a.penn_severity)


def nonmem_rows(patient: Patient, *, until: datetime, id_number: int = 1) -> list[dict[str, Any]]:
    """One patient's doses (every pump) and observations up to `until`, as NONMEM rows.

    **Arguments:** `until` the clinic's wall-clock time the history ends (usually now);
    `id_number` the numeric ``ID``. **Returns:** rows keyed by `NONMEM_COLUMNS`, sorted by TIME
    (observations before doses at the same time); TIME in h since the first row.
    """
    raw: list[tuple[datetime, int, float, float, str, str, float]] = []
    for pump in patient.pumps:
        for at, rate, amount in pump_doses(pump, until=until):
            raw.append((at, 1, amount, rate, "DOSE" if rate else "BOLUS", "", 0.0))
        for at, kind, level in pump_signals(pump, until=until):
            raw.append((at, 2, 0.0, 0.0, kind, "", level))
    for at, kind, muscle, value in _observations(patient, until):
        raw.append((at, 0, 0.0, 0.0, kind, muscle, value))
    if not raw:
        return []
    first = min(r[0] for r in raw)
    raw.sort(key=lambda r: (r[0], r[1], DVID.get(r[4], 0), r[5]))
    rows = []
    for at, evid, amount, rate, kind, muscle, value in raw:
        # MDV 1 on doses and signal events (no dependent variable), 0 on observations: NONMEM's
        # convention; CMT 1 (intrathecal) on doses only.
        cmt, mdv = int(evid == 1), int(evid != 0)
        row = (id_number, _hours(at, first), evid, amount, rate, cmt, value, mdv)
        extras = (DVID.get(kind, 0), kind, muscle, patient.weight_kg)
        extras += (round(age_years(patient, at.date()), 2), patient.origin)
        extras += (_text(patient.identifier), f"{at:%Y-%m-%d}", f"{at:%H:%M}")
        rows.append(dict(zip(NONMEM_COLUMNS, row + extras, strict=True)))
    return rows


def clinic_nonmem_rows(
    patients: Sequence[Patient],
    *,
    until: datetime,
    progress: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Every given patient's rows, ``ID`` 1, 2, ... in the order given; `progress(1)` each."""
    rows = []
    for number, patient in enumerate(patients, start=1):
        rows += nonmem_rows(patient, until=until, id_number=number)
        if progress is not None:
            progress(1)
    return rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (CSV injection): a text cell starting so is
written with a leading ``'`` (OWASP "CSV Injection"); numbers are written as they are."""


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return format(value, ".10g")
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_START) else text


def write_nonmem(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write rows as CSV: the header line (``ID,TIME,...``; NONMEM skips it with IGNORE=@)
    then one line per row, numbers to 10 significant digits."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NONMEM_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in NONMEM_COLUMNS])
