"""The compact baclofen model: lumbar CSF, cranial CSF, two-compartment plasma and an oral gut.

Structure (heetla2016 describes a delayed-effect model around a steep spinal gradient; the compact
model keeps the label's two CSF sampling sites):

    intrathecal ─► lumbar CSF ──(rostral flow)──► cranial CSF ──(CSF absorption)──► plasma
                       └──────────(spinal absorption)─────────────────────────────► plasma
    oral ─► gut ──(ka, F)──► plasma central ⇄ peripheral ; central ─► renal / other elimination
    subcutaneous ─► tissue depot ──(SUBCUTANEOUS_KA_PER_H, complete)──► plasma central
    plasma ──(small influx, CSF/plasma ≈ 0.12 at steady state, mims)──► lumbar and cranial CSF

With the rostral flow Q_r = CL_cranial / ratio, the steady-state lumbar : cranial ratio during
lumbar infusion equals the label's 4:1, and total lumbar clearance stays CL_csf, so the lumbar
half-life after a bolus is ln 2 · V_lumbar / CL_csf [derived]. The influx clearances from plasma
are chosen so both CSF sites reach csf_plasma_ratio × plasma at oral steady state [derived].

Drug that reaches the tissue instead of the CSF (a pocket fill at a refill, a catheter leak) is
absorbed from a subcutaneous depot with first-order rate `SUBCUTANEOUS_KA_PER_H`, not put into
plasma at once (issue 14: a pocket fill read 175 ng/mL in plasma at the instant of the refill).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from itbtwin.errors import RegimenError
from itbtwin.patient._model import Output
from itbtwin.patient._parameters import BaclofenPk

_STATES = (
    "gut",
    "central",
    "peripheral",
    "lumbar",
    "cranial",
    "renal",
    "nonrenal",
    "unabsorbed",
    "subcutaneous",
)

SUBCUTANEOUS_KA_PER_H = 2.0
"""First-order absorption rate (1/h) of baclofen from subcutaneous tissue into plasma (absorption
t½ 21 min, plasma peak ≈1 h after the injection for the typical adult). Assumption (from memory,
verify): the reference has no subcutaneous baclofen data; small water-soluble drugs injected
subcutaneously are absorbed completely with a plasma peak within about 0.5-1 h. A configurable
default: `CompactModel(subcutaneous_ka_per_h=...)` (source key "assumption")."""


class CompactModel:
    """The compact lumbar / cranial / plasma model of baclofen (see the module docstring)."""

    name = "compact"
    states = _STATES
    routes: ClassVar[dict[str, str]] = {
        "intrathecal": "lumbar",
        "oral": "gut",
        "subcutaneous": "subcutaneous",
    }
    outputs = (
        Output("csf_lumbar", "lumbar", "lumbar CSF", ("lumbar",)),
        Output("csf_cisternal", "cranial", "cisternal CSF", ("cranial",)),
        Output("plasma", "central", "plasma", ("central", "peripheral")),
    )
    sinks = ("renal", "nonrenal", "unabsorbed")

    def __init__(self, subcutaneous_ka_per_h: float = SUBCUTANEOUS_KA_PER_H) -> None:
        if not (np.isfinite(subcutaneous_ka_per_h) and subcutaneous_ka_per_h > 0):
            raise RegimenError("the subcutaneous absorption rate must be positive (1/h)")
        self.subcutaneous_ka_per_h = float(subcutaneous_ka_per_h)

    def matrix(self, params: BaclofenPk) -> np.ndarray:
        """The rate matrix K (n, 9, 9) in 1/h; column j holds the flows out of state j.

        A view of patient-last storage (9, 9, n): every flow is one contiguous update, and the
        fast kernel, which wants patients last, takes its live block without a strided gather.
        """
        n = params.n_patients
        p = {
            k: np.broadcast_to(np.asarray(v, float), (n,))
            for k, v in vars(params).items()
            if not k.startswith("_")
        }
        i = {name: index for index, name in enumerate(_STATES)}
        k = np.zeros((len(_STATES), len(_STATES), n))

        def flow(source: str, target: str, rate: np.ndarray) -> None:
            k[i[target], i[source]] += rate
            k[i[source], i[source]] -= rate

        v_l, v_c, v_p = p["v_lumbar_ml"], p["v_cranial_ml"], p["v_central_ml"]
        rostral = p["cl_cranial_ml_h"] / p["lumbar_cranial_ratio"]
        influx_lumbar = p["csf_plasma_ratio"] * p["cl_csf_ml_h"]
        influx_cranial = p["csf_plasma_ratio"] * (p["cl_cranial_ml_h"] - rostral)
        flow("gut", "central", p["f_oral"] * p["ka_oral_per_h"])
        flow("gut", "unabsorbed", (1 - p["f_oral"]) * p["ka_oral_per_h"])
        flow("subcutaneous", "central", np.full(n, self.subcutaneous_ka_per_h))
        flow("lumbar", "cranial", rostral / v_l)
        flow("lumbar", "central", (p["cl_csf_ml_h"] - rostral) / v_l)
        flow("cranial", "central", p["cl_cranial_ml_h"] / v_c)
        flow("central", "peripheral", p["q_plasma_ml_h"] / v_p)
        flow("peripheral", "central", p["q_plasma_ml_h"] / p["v_peripheral_ml"])
        flow("central", "renal", p["cl_renal_ml_h"] / v_p)
        flow("central", "nonrenal", (p["cl_plasma_ml_h"] - p["cl_renal_ml_h"]) / v_p)
        flow("central", "lumbar", influx_lumbar / v_p)
        flow("central", "cranial", influx_cranial / v_p)
        return np.moveaxis(k, -1, 0)

    def volume(self, params: BaclofenPk, output: Output) -> np.ndarray:
        """Volume (mL) behind an output: lumbar, cranial or plasma central."""
        field = {"lumbar": "v_lumbar_ml", "cranial": "v_cranial_ml", "central": "v_central_ml"}
        try:
            value = getattr(params, field[output.state])
        except KeyError:
            raise RegimenError(f"{output.name} is not observed in the compact model") from None
        return np.broadcast_to(np.asarray(value, float), (params.n_patients,))


COMPACT = CompactModel()
