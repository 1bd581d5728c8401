"""The model parameters as a clinician reads them in a report's parameter table: a label in
words with its unit ("Lumbar CSF volume (mL)"), the machine key (`v_lumbar_ml`) kept beside it
in a narrow column for the pharmacometrician. The descriptions and sources stay the models' own
(`patient.BaclofenPk`, `patient.EffectParams`: each field's help and source key)."""

from __future__ import annotations

from itbtwin.errors import ItbError

PARAMETER_LABELS: dict[str, str] = {
    # baclofen PK (patient._parameters)
    "v_lumbar_ml": "Lumbar CSF volume",
    "cl_csf_ml_h": "Lumbar CSF clearance",
    "v_cranial_ml": "Cranial CSF volume",
    "cl_cranial_ml_h": "Cranial CSF clearance",
    "lumbar_cranial_ratio": "Lumbar to cisternal concentration ratio",
    "csf_plasma_ratio": "CSF to plasma concentration ratio",
    "v_central_ml": "Plasma central volume",
    "v_peripheral_ml": "Peripheral volume",
    "q_plasma_ml_h": "Inter-compartmental clearance",
    "cl_plasma_ml_h": "Plasma clearance",
    "cl_renal_ml_h": "Renal clearance",
    "ka_oral_per_h": "Oral absorption rate",
    "f_oral": "Oral bioavailability",
    # effect model (patient._effect)
    "transit_per_h": "Fast pathway exchange rate",
    "fast_share": "Share on the fast pathway",
    "slow_per_h": "Slow pathway equilibration rate",
    "ec50_ng_ml": "EC50 for tone",
    "hill": "Hill coefficient",
    "emax": "Largest tone reduction (Emax)",
    "spasm_ec50_ratio": "EC50 for spasms over EC50 for tone",
    "tolerance": "Tolerance factor on EC50",
}
"""Each model parameter's label (the unit is added from the model's own metadata)."""


def parameter_label(name: str, unit: str) -> str:
    """A parameter's label with its unit: "Lumbar CSF volume (mL)"; a ratio or fraction (unit
    "1") has none. A parameter without a reviewed label is an error, never spelt out from its
    key (a new model field needs its label here: tests check every field has one)."""
    if name not in PARAMETER_LABELS:
        raise ItbError(f"model parameter {name!r} has no label for the report")
    label = PARAMETER_LABELS[name]
    return label if unit == "1" else f"{label} ({unit})"
