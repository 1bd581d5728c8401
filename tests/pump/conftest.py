"""Factories for pump tests: a therapy with the reference's numbers unless told otherwise."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from itbtwin.pump import Fill, Program, PumpClock, Therapy, find_catheter, find_device

DAY = 24.0


def london_clock(start: datetime = datetime(2024, 1, 8, 9, 0), follow_dst: bool = True):
    """A pump clock in Europe/London from ``start`` (local)."""
    return PumpClock(
        start.replace(tzinfo=ZoneInfo("Europe/London")), ((0.0, "Europe/London"),), follow_dst
    )


def therapy(
    device: str = "synchromed2-20",
    fill_ml: float = 20.0,
    concentration: float = 500.0,
    daily_mcg: float = 250.0,
    days: float = 60.0,
    program: Program | None = None,
    **kwargs,
) -> Therapy:
    """SynchroMed II 20 mL, 20 mL of 500 mcg/mL, 250 mcg/day (0.5 mL/day), 50 cm 8709SC."""
    return Therapy(
        device=kwargs.pop("device_spec", find_device(device)),
        catheter=find_catheter("8709SC"),
        catheter_length_cm=kwargs.pop("length_cm", 50.0),
        fill=Fill(fill_ml, concentration),
        programs=kwargs.pop(
            "programs", ((0.0, program or Program.continuous(daily_mcg, concentration)),)
        ),
        clock=kwargs.pop("clock", london_clock()),
        span_h=days * DAY,
        **kwargs,
    )


@pytest.fixture
def make_therapy():
    return therapy
