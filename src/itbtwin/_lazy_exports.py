"""A package's public names imported on first use (PEP 562), from an explicit table.

`import itbtwin.store` used to import every record module and what they import (SQLAlchemy,
Alembic, argon2, pydantic, the clinic rules, SciPy through them): ~1 s before `itbtwin patient
list` read one row (issue 13). With `lazy_exports`, the package names each public name and the
private module that defines it; the module is imported when the name is first read, and the
name then stays in the package like an ordinary import. `dir(package)` lists the table, so
`tests/test_exported_members.py` still checks every name.

Such an import runs with the garbage collector paused (`imports_without_gc`): importing
SQLAlchemy and the record modules makes ~10^5 objects that live as long as the process, and the
collector traversed them again and again (~70 ms of `patient list`'s ~0.55 CPU-seconds).
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def imports_without_gc() -> Iterator[None]:
    """Import with the garbage collector paused; what a new module made is then frozen
    (`gc.freeze`: later collections skip it). Modules, classes and functions live as long as the
    process, so there is nothing for the collector to find among them; a collector paused by the
    caller stays paused."""
    modules = len(sys.modules)
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if len(sys.modules) > modules:
            gc.freeze()
        if enabled:
            gc.enable()


def lazy_exports(
    package: str, table: dict[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, whose `table` maps a private module (relative
    name, e.g. "_patients") to the public names it defines."""
    where = {name: module for module, names in table.items() for name in names}

    def __getattr__(name: str) -> Any:
        try:
            module = where[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        with imports_without_gc():
            value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        private = {name for name in vars(sys.modules[package]) if name.startswith("_")}
        return sorted(set(where) | private)

    return __getattr__, __dir__
