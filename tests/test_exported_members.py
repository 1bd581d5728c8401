"""Every package re-exports its public names explicitly, each documented (httpx-style)."""

from __future__ import annotations

import importlib
import inspect

import pytest

PACKAGES = [
    "itbtwin.units",
    "itbtwin.drug",
    "itbtwin.patient",
    "itbtwin.sim",
    "itbtwin.clinic",
    "itbtwin.validation",
    "itbtwin.store",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_public_names_are_documented_and_come_from_private_modules(name: str) -> None:
    package = importlib.import_module(name)
    public = [n for n in dir(package) if not n.startswith("_")]  # lazy names too (issue 13)
    assert public, f"{name} exports nothing"
    for attribute in public:
        value = getattr(package, attribute)
        if inspect.ismodule(value):
            continue
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, f"{name}.{attribute} has no docstring"
            assert value.__module__.startswith(f"{name}._"), (
                f"{name}.{attribute} from {value.__module__}"
            )
