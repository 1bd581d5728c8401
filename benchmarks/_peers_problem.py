"""The peers' common problem and one runner per peer (issue 7 §5).

Two-compartment plasma model of baclofen (typical adult Vc, Vp, Q from `BaclofenPk.adult()`),
clearance log-normal with CV 30% (seed 5), a 5,000 mcg loading bolus at t = 0 into the central
compartment (the initial condition, exact in every tool) and 20,000 mcg/day infused for 30 days;
output: central concentration (ng/mL) every hour, 721 times. Every runner returns (n, 721).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from itbtwin.patient import BaclofenPk, Output
from itbtwin.sim import Regimen, bolus, infusion, output_grid

DAYS = 30
TIMES = output_grid(DAYS * 24.0, 1.0)
LOADING_MCG = 5000.0
DAILY_MCG = 20_000.0
TYPICAL = BaclofenPk.adult()
V1, V2, Q = TYPICAL.v_central_ml, TYPICAL.v_peripheral_ml, TYPICAL.q_plasma_ml_h
REGIMEN = Regimen(
    [
        bolus(LOADING_MCG, route="subcutaneous"),
        infusion(DAILY_MCG, duration_h=DAYS * 24, route="subcutaneous"),
    ]
)


def clearances(n: int) -> np.ndarray:
    """Clearance (mL/h) of n patients, log-normal CV 30% around the typical adult's."""
    eta = np.random.default_rng(5).standard_normal(n)
    return TYPICAL.cl_plasma_ml_h * np.exp(np.sqrt(np.log1p(0.3**2)) * eta)


@dataclass(frozen=True)
class TwoCompartment:
    """`LinearModel` of the problem: central, peripheral, eliminated; parameters = CL (n,)."""

    name: str = "two-compartment"
    states: tuple[str, ...] = ("central", "peripheral", "eliminated")
    routes: ClassVar[dict[str, str]] = {"subcutaneous": "central"}
    outputs: tuple[Output, ...] = (Output("plasma", "central", "plasma", ("central",)),)
    sinks: tuple[str, ...] = ("eliminated",)

    def matrix(self, cl: np.ndarray) -> np.ndarray:
        """Rate matrix (n, 3, 3), 1/h."""
        k = np.zeros((cl.size, 3, 3))
        k[:, 0, 0] = -(cl + Q) / V1
        k[:, 1, 0] = Q / V1
        k[:, 0, 1] = Q / V2
        k[:, 1, 1] = -Q / V2
        k[:, 2, 0] = cl / V1
        return k

    def volume(self, cl: np.ndarray, output: Output) -> np.ndarray:
        """Central volume (mL) of every patient."""
        return np.full(cl.size, V1)


MODEL = TwoCompartment()


def rhs_rate() -> np.ndarray:
    """Constant input (mcg/h) into each state."""
    return np.array([DAILY_MCG / 24.0, 0.0, 0.0])


def initial() -> np.ndarray:
    """Initial amounts (mcg): the loading bolus in the central compartment."""
    return np.array([LOADING_MCG, 0.0, 0.0])


def itbtwin_kernel(cl: np.ndarray, backend: str = "numba") -> np.ndarray:
    """The fast kernel, every patient at once."""
    from itbtwin.scale import concentrations

    return concentrations(MODEL, cl, REGIMEN, TIMES, backend=backend)[0].T


def itbtwin_reference(cl: np.ndarray) -> np.ndarray:
    """`itbtwin.sim.solve`: batched SciPy expm + NumPy einsum stepping (the naive vectorised
    matrix-exponential solver), also the exact reference for the errors."""
    from itbtwin.sim import solve

    return solve(MODEL, cl, REGIMEN, TIMES).concentration_ng_ml("plasma")


USUAL = (1e-6, 1e-6)
"""(rtol, atol in mcg) users run ODE solvers at: the issue's fair setting (rtol 1e-6)."""
TIGHT = (1e-10, 1e-9)
"""(rtol, atol in mcg) tight enough to approach the exact solution."""


def lsoda(cl: np.ndarray, tolerances: tuple[float, float] = USUAL) -> np.ndarray:
    """`scipy.integrate.solve_ivp` LSODA with its Jacobian at `tolerances`, patient by patient."""
    from scipy.integrate import solve_ivp

    rtol, atol = tolerances

    out = np.empty((cl.size, TIMES.size))
    u = rhs_rate()
    for i, k in enumerate(MODEL.matrix(cl)):
        solution = solve_ivp(
            lambda _t, a, k=k: k @ a + u,
            (0.0, TIMES[-1]),
            initial(),
            method="LSODA",
            t_eval=TIMES,
            rtol=rtol,
            atol=atol,
            jac=lambda _t, _a, k=k: k,
        )
        out[i] = solution.y[0] / V1 * 1000
    return out


_SBML = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
<model id="two_compartment" timeUnits="hour">
<listOfUnitDefinitions><unitDefinition id="hour"><listOfUnits>
<unit kind="second" exponent="1" scale="0" multiplier="3600"/></listOfUnits></unitDefinition>
</listOfUnitDefinitions>
<listOfCompartments>
<compartment id="central" size="{v1}" constant="true"/>
<compartment id="peripheral" size="{v2}" constant="true"/>
</listOfCompartments>
<listOfSpecies>
<species id="drug_amount" compartment="central" initialAmount="0" hasOnlySubstanceUnits="true"/>
<species id="drug_peripheral" compartment="peripheral" initialAmount="0"
 hasOnlySubstanceUnits="true"/>
</listOfSpecies>
<listOfParameters>
<parameter id="clearance" value="1" constant="true"/>
<parameter id="q" value="{q}" constant="true"/>
<parameter id="drug_concentration" value="0" constant="false"/>
</listOfParameters>
<listOfRules><assignmentRule variable="drug_concentration">
<math xmlns="http://www.w3.org/1998/Math/MathML"><apply><divide/>
<ci>drug_amount</ci><ci>central</ci></apply></math></assignmentRule></listOfRules>
<listOfReactions>
<reaction id="elimination" reversible="false"><listOfReactants>
<speciesReference species="drug_amount" constant="true"/></listOfReactants>
<kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><divide/>
<apply><times/><ci>clearance</ci><ci>drug_amount</ci></apply><ci>central</ci></apply></math>
</kineticLaw></reaction>
<reaction id="distribution" reversible="false"><listOfReactants>
<speciesReference species="drug_amount" constant="true"/></listOfReactants>
<listOfProducts><speciesReference species="drug_peripheral" constant="true"/></listOfProducts>
<kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><minus/>
<apply><divide/><apply><times/><ci>q</ci><ci>drug_amount</ci></apply><ci>central</ci></apply>
<apply><divide/><apply><times/><ci>q</ci><ci>drug_peripheral</ci></apply><ci>peripheral</ci>
</apply></apply></math></kineticLaw></reaction>
</listOfReactions></model></sbml>
"""


def chi_model() -> object:
    """chi-drm's PKPDModel of the problem (CVODES via myokit), infusion set, tight tolerances."""
    import chi

    path = Path(tempfile.mkdtemp()) / "two_compartment.xml"
    path.write_text(_SBML.format(v1=V1, v2=V2, q=Q), encoding="utf-8")
    model = chi.PKPDModel(str(path))
    model.set_administration("central", amount_var="drug_amount_amount")
    duration = TIMES[-1] + 1  # chi takes the amount of one administration and its duration
    model.set_dosing_regimen(DAILY_MCG / 24.0 * duration, start=0.0, duration=duration)
    model.set_outputs(["global.drug_concentration"])
    model._simulator.set_tolerance(abs_tol=1e-9, rel_tol=1e-10)  # no public setter
    return model


def chi_drm(cl: np.ndarray, model: object) -> np.ndarray:
    """chi-drm, patient by patient (its simulate takes one parameter vector)."""
    names = model.parameters()  # type: ignore[attr-defined]
    out = np.empty((cl.size, TIMES.size))
    for i, value in enumerate(cl):
        values = {
            "central.drug_amount_amount": LOADING_MCG,
            "central.size": V1,
            "peripheral.size": V2,
            "global.q": Q,
            "global.clearance": value,
        }
        params = [values.get(name, 0.0) for name in names]
        out[i] = model.simulate(params, TIMES)[0] * 1000  # type: ignore[attr-defined]
    return out


def diffrax_solver(method: str = "Tsit5", tolerances: tuple[float, float] = USUAL) -> object:
    """A jitted, vmapped diffrax solve of the problem with `method` (Tsit5: explicit, what a
    non-stiff problem calls for; Kvaerno5: implicit, for stiff ones) at `tolerances`."""
    import diffrax
    import jax
    import jax.numpy as jnp

    rtol, atol = tolerances

    u = jnp.asarray(rhs_rate())

    def one(cl: jnp.ndarray) -> jnp.ndarray:
        k = jnp.array([[-(cl + Q) / V1, Q / V2, 0.0], [Q / V1, -Q / V2, 0.0], [cl / V1, 0.0, 0.0]])
        term = diffrax.ODETerm(lambda t, y, args: k @ y + u)
        solution = diffrax.diffeqsolve(
            term,
            getattr(diffrax, method)(),
            0.0,
            float(TIMES[-1]),
            0.1,
            jnp.asarray(initial()),
            saveat=diffrax.SaveAt(ts=jnp.asarray(TIMES)),
            stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol),
            max_steps=100_000,
        )
        return solution.ys[:, 0] / V1 * 1000

    return jax.jit(jax.vmap(one))


def diffrax_run(cl: np.ndarray, solver: object) -> np.ndarray:
    """Run the jitted diffrax solver in float64."""
    import jax

    with jax.enable_x64(True):
        return np.asarray(solver(jax.numpy.asarray(cl)))  # type: ignore[operator]
