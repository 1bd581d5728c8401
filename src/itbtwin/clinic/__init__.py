"""Clinical decision support: the jobs an ITB clinic does every week, as functions."""

from itbtwin._lazy_exports import lazy_exports

# Each private module and the public names it defines, imported when first read (issue 13).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "_contact": ("ClinicContact",),
        "_education": ("education_sheet",),
        "_forecast": (
            "DoseForecast",
            "DoseHistory",
            "Estimate",
            "estimate",
            "forecast_dose",
        ),
        "_dry_run": (
            "DryRun",
            "dry_run",
        ),
        "_program_review": (
            "read_dry_run",
            "review_program",
        ),
        "_pump_dates": (
            "PumpDates",
            "pump_dates",
        ),
        "_reasons": (
            "Reason",
            "Verdict",
            "worst",
        ),
        "_refill_check": (
            "RefillCheck",
            "RefillVisit",
            "reconcile_refill",
        ),
        "_refill_plan": (
            "WEEKDAYS_OPEN",
            "RefillWindow",
            "WindowOptions",
            "refill_window",
        ),
        "_refill_schedule": (
            "ScheduleEntry",
            "SlipOutcome",
            "due_within",
            "refill_schedule",
            "schedule_entry",
            "slip_outcome",
        ),
        "_risk": (
            "PatientRisk",
            "RiskRecord",
            "assess_risk",
            "rank_risks",
            "risk_of",
        ),
        "_safety_check": (
            "SafetyCheck",
            "check_program",
            "weekly_mean_mcg",
        ),
        "_program_change": ("ProgramChange",),
        "_program_entry": (
            "entered_program",
            "program_table",
        ),
        "_reservoir_rules": ("reservoir_state",),
        "_screening": (
            "ScreeningBolus",
            "ScreeningDecision",
            "ScreeningStatus",
            "decide_screening",
            "ladder",
        ),
        "_settings": (
            "SETTINGS",
            "Setting",
            "setting",
        ),
        "_titration": (
            "PlanStep",
            "StartingDose",
            "StepCheck",
            "check_step",
            "range_flags",
            "side_effect_reduction",
            "starting_dose",
            "step_limits",
            "titration_plan",
        ),
    },
)
