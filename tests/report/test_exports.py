"""`itbtwin.report` re-exports its public names from private modules, each documented."""

from __future__ import annotations

import inspect

import itbtwin.report


def test_public_report_names_are_documented_and_come_from_private_modules() -> None:
    public = [n for n in dir(itbtwin.report) if not n.startswith("_")]  # names load lazily
    assert {"scenario_report", "clinic_report", "patient_report", "write_html", "write_pdf"} <= set(
        public
    )
    for name in public:
        value = getattr(itbtwin.report, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name
            assert value.__module__.startswith("itbtwin.report._"), name
