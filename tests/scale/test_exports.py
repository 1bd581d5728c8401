"""`itbtwin.scale` exports its public names explicitly, each documented (STYLE.md §2, §20)."""

from __future__ import annotations

import inspect

import itbtwin.scale


def test_every_public_name_of_itbtwin_scale_is_documented() -> None:
    names = [name for name in dir(itbtwin.scale) if not name.startswith("_")]
    assert "concentrations" in names and "load_trial" in names
    for name in names:
        value = getattr(itbtwin.scale, name)
        if inspect.ismodule(value) or not callable(value):
            continue
        assert inspect.getdoc(value), f"{name} has no docstring"


def test_the_builtin_outcome_and_generator_kinds_are_registered() -> None:
    assert set(itbtwin.scale.OUTCOMES) >= {"quantiles", "steady_state", "time_in_range", "episodes"}
    assert "baclofen" in itbtwin.scale.GENERATORS
