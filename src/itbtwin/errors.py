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
    └── ValidationFailure(AssertionError)  a model result that fails a published fact
"""

from __future__ import annotations


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


class ValidationFailure(ItbError, AssertionError):
    """A model result disagrees with the published fact it is checked against."""
