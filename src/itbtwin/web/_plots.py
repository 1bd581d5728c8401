"""The twin's plots for the patient page as Plotly figure specs (JSON), drawn in the browser by
the locally served plotly.min.js; the same panels as the report's figures (`report._twin_figures`):
reservoir with the low-reservoir threshold and alarm onsets, dose at the catheter tip, lumbar CSF,
and MAS/Penn with the scores the clinic observed on top.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from itbtwin.patient import MAS_GRADES
from itbtwin.report import scenario_timeline
from itbtwin.sim import Scenario, TwinOutcome
from itbtwin.store import Assessment

MAX_POINTS = 600
"""Points per line sent to the browser (a 74-day page: one every 3 h); longer series are thinned
evenly, always keeping the first and last (display only: the report keeps every point)."""


def _thin(n: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(n, MAX_POINTS)).astype(int))


def _dates(values: np.ndarray) -> list[str]:
    return np.datetime_as_string(values, unit="m").tolist()


def _layout(title: str, y: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0, "font": {"size": 14}},
        "yaxis": {"title": {"text": y}, "rangemode": "tozero"},
        "margin": {"l": 60, "r": 60, "t": 40, "b": 40},
        "legend": {"orientation": "h"},
        **extra,
    }


def _line(x: list[str], y: np.ndarray, name: str, **style: Any) -> dict[str, Any]:
    values = np.asarray(y, float)
    shown = np.where(np.isnan(values), None, np.round(values, 3)).tolist()
    return {"x": x, "y": shown, "name": name, **style}


@dataclass(frozen=True)
class Observed:
    """An assessment as the plots need it: when (clinic time), MAS grades, Penn frequency.
    Plain data, so that it can go to a worker process."""

    at: datetime
    mas: dict[str, str]
    penn_frequency: int | None


def observed(assessments: list[Assessment]) -> list[Observed]:
    """The recorded assessments as `Observed`."""
    return [Observed(a.assessed_at, dict(a.mas), a.penn_frequency) for a in assessments]


def warm_up() -> None:
    """Import the twin in a fresh worker process, before the first patient needs it."""
    import itbtwin.sim  # noqa: F401


def figures_json(scenario: Scenario, seen: list[Observed]) -> str:
    """Run the twin on the scenario and return its figures as JSON (in a worker process when the
    server has them: the twin is the page's one long computation)."""
    from itbtwin.sim import run_twin

    return as_json(twin_figures(scenario, run_twin(scenario), seen))


def twin_figures(
    scenario: Scenario, outcome: TwinOutcome, observed: list[Observed]
) -> list[dict[str, Any]]:
    """Four Plotly figures (reservoir, dose at tip, CSF, MAS/Penn) as dicts."""
    series, timeline = outcome.series, scenario_timeline(scenario)
    keep = _thin(series["time_h"].size)
    hours = series["time_h"][keep]
    x = _dates(timeline.x(hours))
    low = scenario.therapy.device.low_reservoir_alarm_ml
    alarms = [e for e in outcome.events if e.kind == "alarm" and e.alarm == "low_reservoir"]
    reservoir = {
        "data": [
            _line(x, series["reservoir_ml"][keep], "reservoir (actual)"),
            _line(x, series["pump_reservoir_ml"][keep], "pump-calculated", line={"dash": "dash"}),
            _line(
                [x[0], x[-1]], np.array([low, low]), "low-reservoir threshold", line={"dash": "dot"}
            ),
            {
                "x": _dates(timeline.x(np.array([e.time_h for e in alarms]))),
                "y": [low] * len(alarms),
                "name": "low-reservoir alarm",
                "mode": "markers",
                "marker": {"symbol": "triangle-down", "size": 11},
            },
        ],
        "layout": _layout("Reservoir", "volume (mL)"),
    }
    dose = {
        "data": [
            _line(
                x,
                series["delivered_mcg_per_h"][keep] * 24,
                "delivered at the tip",
                line={"shape": "hv"},
            ),
        ],
        "layout": _layout("Dose delivered at the catheter tip", "dose (mcg/day)"),
    }
    csf = {
        "data": [_line(x, series["csf_lumbar_ng_ml"][keep], "lumbar CSF")],
        "layout": _layout("Lumbar CSF concentration", "CSF (ng/mL)"),
    }
    return [reservoir, dose, csf, _response(series, keep, x, observed)]


def _response(
    series: dict[str, np.ndarray], keep: np.ndarray, x: list[str], observed: list[Observed]
) -> dict[str, Any]:
    data = []
    if "mas_grade" in series:  # only from the patient's baseline assessment (none is assumed)
        codes = np.array([MAS_GRADES.index(str(g)) for g in series["mas_grade"][keep]], float)
        data.append(_line(x, codes, "MAS (twin)", line={"shape": "hv"}))
    if "penn_frequency" in series:
        data.append(
            _line(
                x,
                series["penn_frequency"][keep].astype(float),
                "Penn frequency (twin)",
                line={"shape": "hv", "dash": "dash"},
                yaxis="y2",
            )
        )
    start, end = x[0], x[-1]
    seen = [a for a in observed if start <= f"{a.at:%Y-%m-%dT%H:%M}" <= end]
    graded = [a for a in seen if a.mas]
    data.append(
        {
            "x": [f"{a.at:%Y-%m-%dT%H:%M}" for a in graded],
            "y": [max(MAS_GRADES.index(g) for g in a.mas.values()) for a in graded],
            "name": "MAS observed (highest muscle group)",
            "mode": "markers",
            "marker": {"size": 10, "symbol": "circle"},
        }
    )
    penn = [a for a in seen if a.penn_frequency is not None]
    data.append(
        {
            "x": [f"{a.at:%Y-%m-%dT%H:%M}" for a in penn],
            "y": [a.penn_frequency for a in penn],
            "name": "Penn observed",
            "mode": "markers",
            "marker": {"size": 10, "symbol": "diamond"},
            "yaxis": "y2",
        }
    )
    layout = _layout("Muscle tone (MAS) and spasms (Penn)", "MAS grade")
    layout["yaxis"] |= {"tickvals": list(range(len(MAS_GRADES))), "ticktext": list(MAS_GRADES)}
    layout["yaxis2"] = {
        "title": {"text": "Penn frequency (0-4)"},
        "overlaying": "y",
        "side": "right",
        "range": [-0.3, 4.3],
        "tickvals": [0, 1, 2, 3, 4],  # whole grades (Penn 1989; reference pharmacology.md §6.2)
    }
    return {"data": data, "layout": layout}


def as_json(figures: list[dict[str, Any]]) -> str:
    """The figures as JSON for a ``<script type="application/json">`` block (not executed)."""
    return json.dumps(figures).replace("</", "<\\/")
