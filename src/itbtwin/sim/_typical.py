"""The typical patient's twin: the one set-up the documentation's figures, the validation facts and
the benchmarks share, so "typical" is defined once.

A SynchroMed II 20 mL pump (`synchromed2-20`) with a 50 cm 8709SC catheter, the reservoir full
(20 mL) at one concentration and one program from hour 0; the scenario starts on Mon 08 Jan 2024
09:00, and the patient is the scenario's default adult (70 kg, 40 years) unless told otherwise.
The set-up is written in the scenario format and read by `loads_scenario`, so every quantity is
given with its unit and checked there, as in a scenario file (docs/pump.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import tomli_w

from itbtwin.sim._scenario import Scenario, loads_scenario

START = datetime(2024, 1, 8, 9, 0)
"""When a typical scenario starts (a Monday morning, clinic time)."""


def typical_scenario(
    name: str,
    *,
    duration: str,
    concentration: str,
    program: Mapping[str, Any],
    time_zone: str = "UTC",
    output_step: str | None = None,
    patient: Mapping[str, str] | None = None,
    refills: Sequence[Mapping[str, str]] = (),
    faults: Sequence[Mapping[str, str]] = (),
) -> Scenario:
    """The typical system running `program` (a scenario ``[[program]]`` table without ``at``,
    e.g. ``{"mode": "continuous", "daily_dose": "250 mcg/day"}``) from hour 0 for `duration`
    ("31 day"), the reservoir full at `concentration` ("500 mcg/mL").

    `output_step` ("0.1 h"; default the scenario's), `patient` (a ``[patient]`` table such as
    ``{"weight": "75 kg", "age": "42 year"}``), `refills` and `faults` (``[[refill]]`` and
    ``[[fault]]`` tables) are added as given; anything malformed is a `ScenarioError`."""
    header: dict[str, Any] = {
        "name": name,
        "start": START,
        "time_zone": time_zone,
        "duration": duration,
    }
    if output_step is not None:
        header["output_step"] = output_step
    document: dict[str, Any] = {"scenario": header}
    if patient is not None:
        document["patient"] = dict(patient)
    document |= {
        "pump": {"device": "synchromed2-20"},
        "catheter": {"model": "8709SC", "length_cm": 50},
        "reservoir": {"volume": "20 mL", "concentration": concentration},
        "program": [{"at": "0 h", **program}],
    }
    if refills:
        document["refill"] = [dict(r) for r in refills]
    if faults:
        document["fault"] = [dict(f) for f in faults]
    return loads_scenario(tomli_w.dumps(document))
