"""The patient: PK models (compact, spatial), effect on tone and spasms, covariates, populations."""

from itbtwin._lazy_exports import lazy_exports

# Each private module and the public names it defines, imported when first read (issue 13).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "_adverse": (
            "ADVERSE_EVENT_RATES",
            "sample_adverse_events",
        ),
        "_compact": (
            "COMPACT",
            "CompactModel",
        ),
        "_covariates": (
            "DIAGNOSES",
            "Covariates",
        ),
        "_declare": ("describe",),
        "_drift": (
            "DriftModel",
            "after_interruption",
            "dose_trajectory",
            "is_tolerant",
            "three_year_change",
            "tolerance_factor",
        ),
        "_effect": (
            "MAINTENANCE_TARGET_REDUCTION",
            "MAS_GRADES",
            "EffectParams",
            "concentration_for_reduction",
            "spasm_reduction",
            "tone_reduction",
        ),
        "_effect_site": (
            "TISSUE_LAYERS",
            "effect_observer",
        ),
        "_levels": (
            "LEVELS",
            "parse_level",
        ),
        "_model": (
            "LinearModel",
            "Output",
        ),
        "_oral_equivalent": (
            "OralComparison",
            "oral_equivalent",
        ),
        "_parameters": ("BaclofenPk",),
        "_population": (
            "CHUNK",
            "DoseSummary",
            "VirtualPopulation",
            "generate_population",
            "maintenance_dose",
            "summarize_doses",
        ),
        "_response": (
            "EFFECT_DURATION",
            "EffectTiming",
            "Response",
            "effect_timing",
            "respond",
        ),
        "_scores": (
            "NOT_RATED",
            "Baseline",
            "Scores",
            "mas_code",
        ),
        "_signals": (
            "EARLY_WITHDRAWAL_FRACTION",
            "OVERDOSE",
            "WithdrawalTimeline",
            "need_ratio",
            "overdose_level",
            "withdrawal_risk_factors",
            "withdrawal_timeline",
        ),
        "_spatial": (
            "SEGMENTS",
            "NeuraxisCsf",
            "SpatialModel",
            "SpatialPk",
        ),
        "_steady": ("steady_state_gain", "steady_state_gains"),
        "_variability": (
            "GROUPS",
            "RISE_FACTOR",
        ),
    },
)
