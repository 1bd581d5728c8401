"""Why a rule fired: every clinical output carries the rule, its source and a sentence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from itbtwin import sources


class Verdict(StrEnum):
    """How serious a finding is; the worst finding decides the outcome."""

    PASS = "pass"
    WARN = "warn"
    BLOCK = "block"


_ORDER = {Verdict.PASS: 0, Verdict.WARN: 1, Verdict.BLOCK: 2}


@dataclass(frozen=True)
class Reason:
    """One rule that fired: its name, verdict, source key and a sentence a clinician reads."""

    rule: str
    verdict: Verdict
    source: str
    text: str

    def __post_init__(self) -> None:
        sources.check(self.source)

    def as_dict(self) -> dict[str, str]:
        """For JSON output."""
        return {
            "rule": self.rule,
            "verdict": self.verdict.value,
            "source": self.source,
            "text": self.text,
        }


def worst(reasons: list[Reason]) -> Verdict:
    """The most serious verdict among ``reasons`` (pass when there are none)."""
    return max((r.verdict for r in reasons), key=_ORDER.__getitem__, default=Verdict.PASS)
