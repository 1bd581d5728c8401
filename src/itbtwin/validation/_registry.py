"""Published facts the model must reproduce, declared as data, and the run that checks them.

Each capability registers its facts (`register`); `itbtwin validate` runs them all. A fact has an
acceptance band [low, high] in a stated unit, the source key of the published value, and a function
computing the model's value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from itbtwin import sources


@dataclass(frozen=True)
class Fact:
    """One published fact with its acceptance band (inclusive) and how the model computes it."""

    key: str
    claim: str
    source: str
    published: str
    low: float
    high: float
    unit: str
    compute: Callable[[], float]
    note: str = ""

    def __post_init__(self) -> None:
        sources.check(self.source)
        if not self.low <= self.high:
            raise ValueError(f"fact {self.key}: empty acceptance band")

    @property
    def tolerance(self) -> str:
        """The band as people read it."""
        if self.low == -math.inf:
            return f"≤ {self.high:g} {self.unit}"
        if self.high == math.inf:
            return f"≥ {self.low:g} {self.unit}"
        return f"{self.low:g}–{self.high:g} {self.unit}"


@dataclass(frozen=True)
class Check:
    """The outcome of one fact: the model's value and whether it lies in the band."""

    fact: Fact
    value: float

    @property
    def passed(self) -> bool:
        """True when the model value lies within the fact's band."""
        return math.isfinite(self.value) and self.fact.low <= self.value <= self.fact.high

    def as_dict(self) -> dict[str, object]:
        """The row for JSON output."""
        f = self.fact
        return {
            "key": f.key,
            "claim": f.claim,
            "source": f.source,
            "published": f.published,
            "model": self.value,
            "unit": f.unit,
            "tolerance": f.tolerance,
            "passed": self.passed,
            "note": f.note,
        }


FACTS: list[Fact] = []


def register(facts: Iterable[Fact]) -> None:
    """Add facts to the validation table; keys must be unique."""
    for fact in facts:
        if any(existing.key == fact.key for existing in FACTS):
            raise ValueError(f"fact {fact.key} registered twice")
        FACTS.append(fact)


def run_validation(keys: Iterable[str] | None = None) -> list[Check]:
    """Compute every registered fact (or those named) and return the checks in table order."""
    wanted = set(keys) if keys is not None else None
    return [Check(f, float(f.compute())) for f in FACTS if wanted is None or f.key in wanted]
