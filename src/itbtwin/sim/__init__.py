"""Simulation: dosing events, the exact linear solver and its self-describing result."""

from itbtwin.sim._events import ROUTES as ROUTES
from itbtwin.sim._events import DoseEvent as DoseEvent
from itbtwin.sim._events import Regimen as Regimen
from itbtwin.sim._events import bolus as bolus
from itbtwin.sim._events import infusion as infusion
from itbtwin.sim._events import repeated as repeated
from itbtwin.sim._metrics import summarize as summarize
from itbtwin.sim._metrics import terminal_half_life_h as terminal_half_life_h
from itbtwin.sim._metrics import time_to_steady_state_h as time_to_steady_state_h
from itbtwin.sim._propagate import propagators as propagators
from itbtwin.sim._result import SimulationResult as SimulationResult
from itbtwin.sim._schedule import InputSchedule as InputSchedule
from itbtwin.sim._schedule import compile_regimen as compile_regimen
from itbtwin.sim._solve import output_grid as output_grid
from itbtwin.sim._solve import solve as solve
