"""The effect-site link: how the CSF concentration at the target level reaches the effect site.

One effect compartment cannot give both timings the label describes (issue 14): a 50 mcg bolus
acts within 0.5-1 h, peaks at ≈4 h and is over by 8 h, while a 100 mcg/day infusion first acts at
6-8 h and is maximal at 24-48 h (product page; pharmacology.md §2). A compartment slow enough for
the infusion keeps the bolus effect to ≈12 h. The link is therefore two parallel pathways:

- *fast*: a chain of `TISSUE_LAYERS` layers, each exchanging with the previous one at
  `transit_per_h`, and the effect reads the mean of the layers (a distributed delay: the drug
  reaching its receptors at increasing depth). Its delay kernel is flat from 0 to about
  `TISSUE_LAYERS / transit_per_h` h and then falls, so the bolus effect starts at once, peaks when
  the deepest layers fill and ends soon after the CSF has cleared;
- *slow*: one compartment at `slow_per_h`, carrying the share `1 - fast_share` that builds up over
  a day of infusion (the 24-48 h maximum) and stays under the threshold after a single bolus.

    Ce = fast_share · mean(layers) + (1 - fast_share) · slow

Both pathways have unit steady-state gain, so at steady state Ce equals the CSF concentration and
every steady-state result (maintenance doses, populations) is independent of the link. It is
linear, so the exact solver carries it as observer states (`itbtwin.sim.solve(...,
effect_sites={output: effect})`) and drug mass balance is untouched. The rates are calibrated to
the timing facts (docs/response.md §2), not published.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from itbtwin.errors import RegimenError
from itbtwin.patient._effect import EffectParams

TISSUE_LAYERS = 12
"""Layers of the fast pathway (structure, calibrated with the rates: 8 gives the bolus peak at
≈4 h with onset under 1 h; fewer layers pull the peak earlier)."""


def _rate(value: Any, n: int, what: str) -> np.ndarray:
    rate = np.broadcast_to(np.asarray(value, float), (n,))
    if np.any(~np.isfinite(rate) | (rate <= 0)):
        raise RegimenError(f"the {what} must be positive (1/h)")
    return rate


def effect_observer(link: EffectParams | Any, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The link as observer states z for ``n`` patients: dz/dt = a z + b C and Ce = c · z.

    ``link`` is an `EffectParams` (the two-pathway link above) or a bare ke0 (1/h, float or (n,)):
    one effect compartment, dCe/dt = ke0 (C - Ce). Returns a (n, m, m), b (n, m), c (n, m);
    C and Ce in the same unit.
    """
    if not isinstance(link, EffectParams):
        ke0 = _rate(link, n, "effect-site rate ke0")
        return -ke0[:, None, None] * np.ones((n, 1, 1)), ke0[:, None], np.ones((n, 1))
    layers = TISSUE_LAYERS
    transit = _rate(link.transit_per_h, n, "tissue transit rate")
    slow = _rate(link.slow_per_h, n, "slow effect-site rate")
    share = np.broadcast_to(np.asarray(link.fast_share, float), (n,))
    m = layers + 1
    a = np.zeros((n, m, m))
    index = np.arange(layers)
    a[:, index, index] = -transit[:, None]
    a[:, index[1:], index[:-1]] = transit[:, None]
    a[:, layers, layers] = -slow
    b = np.zeros((n, m))
    b[:, 0], b[:, layers] = transit, slow
    c = np.empty((n, m))
    c[:, :layers] = (share / layers)[:, None]
    c[:, layers] = 1.0 - share
    return a, b, c
