"""Declared model parameters: value, unit, description and source in one place (STYLE.md §5)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from itbtwin import sources
from itbtwin.errors import ParameterError

Value = float | np.ndarray
"""A parameter is a float for one patient or a 1-D array with the patient on axis 0."""


def param(
    unit: str,
    help: str,
    source: str,
    lower: float = 0.0,
    upper: float = math.inf,
    *,
    allow_lower: bool = False,
) -> Any:
    """Declare a parameter field: value in (lower, upper] ([lower, upper] with ``allow_lower``).

    ``source`` must be a resolvable source key (`itbtwin.sources`).
    """
    sources.check(source)
    return dataclasses.field(
        metadata={
            "unit": unit,
            "help": help,
            "source": source,
            "lower": lower,
            "upper": upper,
            "allow_lower": allow_lower,
        }
    )


def check_fields(obj: object) -> int:
    """Check every declared field of a parameter dataclass; return the batch size (1 for scalars).

    Raises `ParameterError` naming the parameter, its unit and the allowed range when a value is
    missing, not finite, out of range, or when batched arrays disagree in length.
    """
    sizes = set()
    for field in dataclasses.fields(obj):  # type: ignore[arg-type]
        meta = field.metadata
        if "unit" not in meta:
            continue
        value = np.asarray(getattr(obj, field.name), dtype=float)
        if value.ndim > 1:
            raise ParameterError(f"{field.name} must be a number or a 1-D array of patients")
        if value.ndim == 1:
            sizes.add(value.shape[0])
        below = value < meta["lower"] if meta["allow_lower"] else value <= meta["lower"]
        bad = ~np.isfinite(value) | below | (value > meta["upper"])
        if np.any(bad):
            shown = value[bad].flat[0] if value.ndim else float(value)
            upper = "" if math.isinf(meta["upper"]) else f" and at most {meta['upper']:g}"
            lower = "at least" if meta["allow_lower"] else "greater than"
            raise ParameterError(
                f"impossible {field.name} = {shown:g} {meta['unit']} ({meta['help']}): "
                f"it must be {lower} {meta['lower']:g}{upper}"
            )
    if len(sizes) > 1:
        raise ParameterError(f"batched parameters disagree in the number of patients: {sizes}")
    return sizes.pop() if sizes else 1


def describe(obj: object) -> list[dict[str, Any]]:
    """The annotated parameter table (name, value, unit, description, source) for reports."""
    rows = []
    for field in dataclasses.fields(obj):  # type: ignore[arg-type]
        if "unit" in field.metadata:
            value = getattr(obj, field.name)
            rows.append(
                {
                    "name": field.name,
                    "value": float(np.mean(value)),
                    "unit": field.metadata["unit"],
                    "help": field.metadata["help"],
                    "source": field.metadata["source"],
                }
            )
    return rows
