"""The one exception tree of itbtwin.

Every error a user can cause derives from `ItbError` and carries a message a clinician can act on.
Each also derives from the stdlib type it resembles, so callers that know nothing of itbtwin can
still catch it (the pattern of `pint.errors` and `httpx._exceptions`). Faces (CLI, web) turn these
into exit codes or HTTP 4xx responses, never tracebacks.

    ItbError
    ├── UnitError(ValueError)          a quantity with a missing, wrong or ambiguous unit
    ├── ParameterError(ValueError)     an impossible model parameter or covariate
    ├── RegimenError(ValueError)       a dosing event or regimen that cannot be given
    ├── ProductError(ValueError)       an unknown or unsupported drug product or concentration
    ├── DeviceError(ValueError)        an unknown pump or catheter, or an impossible definition
    ├── ProgramError(ValueError)       a program the device cannot run (rate, steps, bolus)
    ├── ScenarioError(ValueError)      a malformed scenario file; names the field and the line
    ├── TrialError(ValueError)         a virtual-trial description that cannot be run as written
    ├── RecordError(ValueError)        a clinic record that cannot be stored (unknown patient,
    │                                  a volume that does not fit, a date in the future...)
    ├── ReportEngineMissing(RuntimeError)  the PDF engine (WeasyPrint and its system libraries)
    │                                  cannot load; the HTML report is still written
    └── ValidationFailure(AssertionError)  a model result that fails a published fact
"""

from __future__ import annotations


def shown(text: str) -> str:
    """Text as a one-line message quotes it: control codes escaped, at most 40 characters (a
    100,000-character value was echoed whole in its refusal, issue 17)."""
    return ascii(text[:40] + "..." if len(text) > 40 else text)


class ItbError(Exception):
    """Base of every error itbtwin raises on purpose."""


class UnitError(ItbError, ValueError):
    """A quantity has no unit, the wrong dimension, or an ambiguous unit."""


class ParameterError(ItbError, ValueError):
    """A model parameter or patient covariate is impossible (negative volume, unknown level...)."""


class RegimenError(ItbError, ValueError):
    """A dosing event or regimen cannot be given as written."""


class ProductError(ItbError, ValueError):
    """A drug product or concentration is unknown or not allowed where it was used."""


class DeviceError(ItbError, ValueError):
    """A pump or catheter is unknown, or a device definition is impossible."""


class ProgramError(ItbError, ValueError):
    """An infusion program breaks the device's limits (rate range, flex steps, bolus settings)."""


class ScenarioError(ItbError, ValueError):
    """A malformed scenario file; `field` is the dotted key path, `line` its line (or None)."""

    def __init__(self, message: str, field: str = "", line: int | None = None) -> None:
        where = f"{field} (line {line})" if line is not None else field
        super().__init__(f"{where}: {message}" if where else message)
        self.field = field
        self.line = line


class TrialError(ItbError, ValueError):
    """A virtual-trial description that cannot be run as written."""


class RecordError(ItbError, ValueError):
    """A clinic record cannot be read or stored as given; nothing was changed."""


class ReportEngineMissing(ItbError, RuntimeError):
    """The PDF engine cannot load on this machine; says what to install (docs/reports.md)."""


class ValidationFailure(ItbError, AssertionError):
    """A model result disagrees with the published fact it is checked against."""
