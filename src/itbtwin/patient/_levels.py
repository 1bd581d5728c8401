"""Vertebral levels of the spine, named as clinicians write them (C1-C7, T1-T12, L1-L5, S1-S5).

Levels name where a catheter tip sits, where CSF is sampled and the neurological level of a spinal
cord injury. "Th10" and "D10" are accepted spellings of T10 (heetla2016 writes Th10); anything else,
such as "T13", is an error.
"""

from __future__ import annotations

import re

from itbtwin.errors import ParameterError

_REGIONS = (("C", 7), ("T", 12), ("L", 5), ("S", 5))
LEVELS: tuple[str, ...] = tuple(
    f"{region}{i}" for region, count in _REGIONS for i in range(1, count + 1)
)
"""Every vertebral level, rostral (C1) to caudal (S5)."""

_SPELLING = re.compile(r"^\s*(C|TH|T|D|L|S)\s*-?\s*(\d{1,2})\s*$", re.IGNORECASE)


def parse_level(text: str) -> str:
    """Return the canonical name of a vertebral level ("th10" → "T10"); unknown levels raise."""
    match = _SPELLING.match(str(text))
    if match is None:
        raise ParameterError(
            f"unknown vertebral level {text!r}: write a region letter and a number, e.g. T10, L3"
        )
    region = {"TH": "T", "D": "T"}.get(match.group(1).upper(), match.group(1).upper())
    number = int(match.group(2))
    count = dict(_REGIONS)[region]
    if not 1 <= number <= count:
        raise ParameterError(
            f"there is no vertebral level {region}{number}: the {_NAMES[region]} levels are "
            f"{region}1-{region}{count}"
        )
    return f"{region}{number}"


_NAMES = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}


def level_index(level: str) -> int:
    """Position of a level from C1 (0) to S5 (28): larger is more caudal."""
    return LEVELS.index(parse_level(level))


def region_of(level: str) -> str:
    """The region of a level: "cervical", "thoracic", "lumbar" or "sacral"."""
    return _NAMES[parse_level(level)[0]]


def is_at_or_above(level: str, reference: str) -> bool:
    """True when ``level`` is at or rostral to ``reference`` (e.g. C5 is above T6)."""
    return level_index(level) <= level_index(reference)
