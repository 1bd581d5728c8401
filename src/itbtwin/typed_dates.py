"""Dates and times as people type them: one format each, at every edge (issue 17).

`date.fromisoformat` and `datetime.fromisoformat` read every ISO 8601 form since Python 3.11:
week dates (``2026-W49-1``), ordinal dates (``2026-341``), the basic form (``20261207``). Nobody
in a clinic means a week date by a holiday or a birth date, and a form a clinician did not mean
is a date silently guessed; so the command line, the web forms and the JSON import accept the
one documented form only and name it when they refuse.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from itbtwin.errors import ItbError

DATE_FORM = "YYYY-MM-DD"
"""The one date form a user types (a holiday, a birth date, an expiry, a visit)."""
DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
CLOCK = r"[T ]\d{2}:\d{2}"
OFFSET = r"(Z|[+-]\d{2}:\d{2})?"
DATETIME = re.compile(DATE.pattern + CLOCK + r"(:\d{2})?", re.ASCII)
"""A clinic time "YYYY-MM-DD HH:MM" (``T`` or a space; seconds allowed), without an offset."""
DATETIME_OFFSET = re.compile(DATETIME.pattern + OFFSET, re.ASCII)
"""The same, with an optional UTC offset ("2026-10-25 01:30+01:00")."""
DATETIME_WRITTEN = re.compile(DATE.pattern + CLOCK + r"(:\d{2}(\.\d{1,6})?)?" + OFFSET, re.ASCII)
"""A time as itbtwin writes it in an export: also fractions of a second (an audit time)."""


def parse_date(text: str, what: str, error: type[ItbError] = ItbError) -> date:
    """A calendar date typed "YYYY-MM-DD", or `error` naming `what` and the form expected."""
    stripped = text.strip()
    try:
        if not DATE.fullmatch(stripped):
            raise ValueError
        return date.fromisoformat(stripped)
    except ValueError:  # another ISO form, or 2026-02-30
        raise error(f"{what} {text!r} is not a date {DATE_FORM}") from None


def parse_datetime(text: str, *, offset: bool = False, written: bool = False) -> datetime | None:
    """A date and time in the one documented form (`DATETIME`; with `offset` also an offset,
    `DATETIME_OFFSET`; `written`, as an export holds it, `DATETIME_WRITTEN`), or None: the caller
    says what was expected, in its own words."""
    form = DATETIME_WRITTEN if written else DATETIME_OFFSET if offset else DATETIME
    stripped = text.strip()
    if not form.fullmatch(stripped):
        return None
    try:
        return datetime.fromisoformat(stripped)
    except ValueError:  # 2026-02-30, 25:00
        return None
