"""Simulation: dosing events, the exact linear solver and its self-describing result."""

from itbtwin._lazy_exports import lazy_exports

# Each private module and the public names it defines, imported when first read (issue 13).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "_events": (
            "ROUTES",
            "DoseEvent",
            "Regimen",
            "bolus",
            "infusion",
            "repeated",
        ),
        "_limits": (
            "MAX_DOSES",
            "MAX_OUTPUT_POINTS",
            "MAX_SPAN_H",
            "check_doses",
            "check_output",
            "check_span",
            "check_systemic_dose",
        ),
        "_metrics": (
            "summarize",
            "terminal_half_life_h",
            "time_to_steady_state_h",
        ),
        "_predict": (
            "Prediction",
            "choose_model",
            "predict",
            "typical_effect",
        ),
        "_propagate": (
            "STEP_DIGITS",
            "propagators",
            "step_key",
        ),
        "_result": ("SimulationResult",),
        "_scenario": (
            "Patient",
            "Scenario",
            "dumps_scenario",
            "load_scenario",
            "loads_scenario",
            "save_scenario",
        ),
        "_scenario_events": ("OralDose",),
        "_scenario_pump": ("read_program_document",),
        "_schedule": (
            "InputSchedule",
            "compile_regimen",
        ),
        "_solve": (
            "output_grid",
            "solve",
        ),
        "_twin": (
            "run_twin",
            "twin_schedule",
        ),
        "_twin_outcome": (
            "SIGNALS",
            "TwinOutcome",
            "steady_state_ng_ml",
        ),
        "_twin_response": ("controlled_effect",),
        "_twin_signals": ("SIGNAL_EVENT_KINDS",),
        "_typical": ("typical_scenario",),
    },
)
