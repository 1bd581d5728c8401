"""The spatial neuraxis model: spinal CSF as a chain of segments, sacrum (S2) to cisterna magna.

One CSF segment per vertebral level from S2 (where the dural sac ends; anatomy, assumption) up to
C1, then the cranial CSF (cisterna magna and above), then the plasma, gut and sinks of the compact
model. Drug moves by a net rostral bulk flow and by dispersion (CSF pulsation) between neighbours,
and leaves each segment into plasma (absorption along the nerve roots, faster in the lumbosacral sac
with its cauda equina). The catheter tip doses the segment of its level. It is linear, so the exact
solver applies, and every flow is a transfer between states, so drug mass is conserved.

Calibration (derived; heetla2016's parameters could not be read): with the tip and the sample at L3
the model gives the label's lumbar t½ 1.51 h, CL 30 mL/h and 4:1 lumbar:cisternal (label:12.3); with
the tip at T10 the tip clears at 7.7 mL/h, so 607 mcg/day (albright2007's mean dose) gives their
median tip aspirate of 3.3 µg/mL, and the concentration falls steeply below the tip (heetla2016).
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import ClassVar

import numpy as np

from itbtwin.errors import ParameterError, RegimenError
from itbtwin.patient._compact import COMPACT
from itbtwin.patient._declare import Value, check_fields, describe, param
from itbtwin.patient._levels import LEVELS, parse_level
from itbtwin.patient._model import Output
from itbtwin.patient._parameters import TOTAL_CSF_ML, BaclofenPk

SEGMENTS: tuple[str, ...] = LEVELS[: LEVELS.index("S2") + 1]
"""Levels with a CSF segment, C1 to S2 (below S2 there is no subarachnoid CSF)."""
_SAC = tuple(level for level in SEGMENTS if level[0] in "LS")
_SYSTEMIC = ("gut", "central", "peripheral", "renal", "nonrenal", "unabsorbed", "subcutaneous")


@dataclasses.dataclass(frozen=True)
class NeuraxisCsf:
    """CSF transport parameters of the spatial model; floats or (n,) arrays."""

    v_sac_level_ml: Value = param("mL", "CSF per level in the lumbosacral sac L1-S2", "derived")
    v_cord_level_ml: Value = param("mL", "CSF per level from C1 to T12", "assumption")
    dispersion_sac_ml_h: Value = param(
        "mL/h", "exchange between neighbours inside the sac (well mixed)", "assumption"
    )
    dispersion_ml_h: Value = param(
        "mL/h", "exchange between neighbours above the sac (sets the gradient)", "assumption"
    )
    rostral_flow_ml_h: Value = param("mL/h", "net rostral CSF bulk flow", "derived")
    absorption_sac_per_h: Value = param("1/h", "absorption into plasma in the sac", "derived")
    absorption_cord_per_h: Value = param("1/h", "absorption into plasma above the sac", "derived")
    cl_cranial_ml_h: Value = param("mL/h", "cranial CSF absorption (production)", "statpearls-csf")

    def __post_init__(self) -> None:
        object.__setattr__(self, "_n", check_fields(self))
        if np.any(self.cranial_volume_ml <= 0):
            raise ParameterError("the spinal CSF segments hold more than the 150 mL of all CSF")

    @property
    def cranial_volume_ml(self) -> np.ndarray:
        """Cranial CSF: the 150 mL of all CSF less the spinal segments (statpearls-csf), mL."""
        spinal = len(_SAC) * np.asarray(self.v_sac_level_ml) + (len(SEGMENTS) - len(_SAC)) * (
            np.asarray(self.v_cord_level_ml)
        )
        return TOTAL_CSF_ML - spinal

    @classmethod
    def typical(cls, **overrides: Value) -> NeuraxisCsf:
        """Calibrated values (module docstring); ``docs/response.md`` shows the fit."""
        values: dict[str, Value] = {
            "v_sac_level_ml": 10.70,
            "v_cord_level_ml": 1.5,
            "dispersion_sac_ml_h": 200.0,
            "dispersion_ml_h": 10.0,
            "rostral_flow_ml_h": 6.155,
            "absorption_sac_per_h": 0.3647,
            "absorption_cord_per_h": 0.02644,
            "cl_cranial_ml_h": 21.0,
        }
        values.update(overrides)
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class SpatialPk:
    """Parameters of the spatial model: neuraxis CSF transport plus the compact systemic part."""

    csf: NeuraxisCsf = dataclasses.field(default_factory=NeuraxisCsf.typical)
    systemic: BaclofenPk = dataclasses.field(default_factory=BaclofenPk.adult)

    def __post_init__(self) -> None:
        sizes = {self.csf._n, self.systemic.n_patients} - {1}  # type: ignore[attr-defined]
        if len(sizes) > 1:
            raise ParameterError(f"CSF and systemic parameters disagree in patients: {sizes}")
        object.__setattr__(self, "_n", sizes.pop() if sizes else 1)

    @property
    def n_patients(self) -> int:
        """Number of patients in the batch."""
        return self._n  # type: ignore[attr-defined,no-any-return]

    def table(self) -> list[dict[str, object]]:
        """The annotated parameter table of both parts."""
        return describe(self.csf) + self.systemic.table()


def _segment_state(level: str) -> str:
    name = parse_level(level)
    if name not in SEGMENTS:
        raise ParameterError(f"there is no CSF at {name}: the dural sac ends at S2")
    return name


class SpatialModel:
    """Chain-of-segments neuraxis model with the catheter tip at ``tip`` and observed ``levels``."""

    name = "spatial"
    sinks = ("renal", "nonrenal", "unabsorbed")
    states: ClassVar[tuple[str, ...]] = (*SEGMENTS, "cranial", *_SYSTEMIC)

    def __init__(self, tip: str = "T10", levels: tuple[str, ...] = ("L3",)) -> None:
        self.tip = _segment_state(tip)
        shown = dict.fromkeys((self.tip, *(_segment_state(level) for level in levels)))
        self.routes = {"intrathecal": self.tip, "oral": "gut", "subcutaneous": "subcutaneous"}
        self.outputs = (
            *(
                Output(f"csf_{lv}", lv, f"CSF at {lv}" + (" (tip)" if lv == self.tip else ""), ())
                for lv in shown
            ),
            Output("csf_cisternal", "cranial", "cisternal CSF", ()),
            Output("plasma", "central", "plasma", ("central", "peripheral")),
        )

    def volume(self, params: SpatialPk, output: Output) -> np.ndarray:
        """Volume (mL) behind an output: a segment, the cranial CSF or the plasma central volume."""
        n, csf = params.n_patients, params.csf
        if output.state in _SAC:
            value = csf.v_sac_level_ml
        elif output.state in SEGMENTS:
            value = csf.v_cord_level_ml
        elif output.state == "cranial":
            value = csf.cranial_volume_ml
        elif output.state == "central":
            value = params.systemic.v_central_ml
        else:
            raise RegimenError(f"{output.name} is not observed in the spatial model")
        return np.broadcast_to(np.asarray(value, float), (n,))

    def matrix(self, params: SpatialPk) -> np.ndarray:
        """The rate matrix K (n, S, S) in 1/h; column j holds the flows out of state j.

        The gut and plasma flows are the compact model's. Each CSF state takes from plasma the
        clearance it loses net at a uniform concentration, times the CSF:plasma ratio, so oral
        dosing gives CSF ≈ 0.12 × plasma everywhere (mims), as in the compact model [derived].
        """
        n, csf = params.n_patients, params.csf
        s = {name: i for i, name in enumerate(self.states)}
        k = np.zeros((n, len(self.states), len(self.states)))
        into = np.array([s[name] for name in _SYSTEMIC])
        taken = np.array([COMPACT.states.index(name) for name in _SYSTEMIC])
        k[:, into[:, None], into] = COMPACT.matrix(params.systemic)[:, taken[:, None], taken]
        chain = (*SEGMENTS[::-1], "cranial")
        volumes = {name: self.volume(params, Output(name, name, name, ())) for name in chain}
        volumes["central"] = self.volume(params, self.outputs[-1])
        net = {name: np.zeros(n) for name in chain}

        def flow(source: str, target: str, clearance: Value) -> None:
            cl = np.broadcast_to(np.asarray(clearance, float), (n,))
            k[:, s[target], s[source]] += cl / volumes[source]
            if source in net and target in net:
                net[source], net[target] = net[source] + cl, net[target] - cl
            elif source in net:
                net[source] = net[source] + cl

        for lower, upper in itertools.pairwise(chain):
            mixing = csf.dispersion_sac_ml_h if upper in _SAC else csf.dispersion_ml_h
            flow(lower, upper, np.add(mixing, csf.rostral_flow_ml_h))
            flow(upper, lower, mixing)
        for level in SEGMENTS:
            rate = csf.absorption_sac_per_h if level in _SAC else csf.absorption_cord_per_h
            flow(level, "central", np.multiply(rate, volumes[level]))
        flow("cranial", "central", csf.cl_cranial_ml_h)
        ratio = np.broadcast_to(np.asarray(params.systemic.csf_plasma_ratio, float), (n,))
        for name in chain:
            flow("central", name, ratio * net[name])
        diagonal = np.arange(len(self.states))
        k[:, diagonal, diagonal] = 0.0
        k[:, diagonal, diagonal] = -k.sum(axis=1)
        return k
