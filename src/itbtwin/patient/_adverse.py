"""Adverse-event incidences of the label as population rates, for virtual trials.

The rates are the product page's overall figures (label §6 per-phase tables could not be read,
pharmacology.md §1.11); they are population rates, not a model of any one patient's risk.
"""

from __future__ import annotations

import numpy as np

from itbtwin.errors import ParameterError

ADVERSE_EVENT_RATES: dict[str, float] = {
    "hypotonia": 0.347,
    "somnolence": 0.209,
    "headache": 0.107,
    "convulsion": 0.100,
    "dizziness": 0.080,
    "urinary retention": 0.080,
    "nausea": 0.073,
    "paresthesia": 0.067,
}
"""Overall incidence of each adverse event in the label's trials (product-page)."""
ADVERSE_EVENT_SOURCE = "product-page+label"

DRUG_SIDE_EFFECT_PER_YEAR = 0.138
"""Annual risk of a drug-related side effect in long-term use (heetla2009)."""


def sample_adverse_events(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Which of ``n`` virtual patients have each adverse event (independent Bernoulli draws)."""
    if n < 1:
        raise ParameterError("a virtual trial needs at least one patient")
    return {event: rng.random(n) < rate for event, rate in ADVERSE_EVENT_RATES.items()}
