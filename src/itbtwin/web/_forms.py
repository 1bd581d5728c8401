"""Reading form fields with units: each field is parsed on its own, through the same
`units.parse_quantity` as every other edge, and a refusal is kept on the field it belongs to,
so the form re-renders with the message next to it and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from itbtwin.clinic import entered_program, program_table
from itbtwin.errors import ItbError
from itbtwin.typed_dates import parse_datetime
from itbtwin.units import parse_quantity
from itbtwin.user_files import parse_toml
from itbtwin.web._deps import savepoint

Stored = TypeVar("Stored")

MAX_TEXT = 2000
"""Longest free text a field takes (characters; the longest text column)."""


class FieldErrors(dict[str, str]):
    """Field name → the message shown next to it."""

    def quantity(self, fields: dict[str, str], name: str, kind: str, *, required: bool = True):  # type: ignore[no-untyped-def]
        """The field as a canonical magnitude of `kind` (see `units.parse_quantity`), or None."""
        text = fields.get(name, "").strip()
        if not text:
            if required:
                self[name] = "required"
            return None
        try:
            return parse_quantity(text, kind)
        except ItbError as err:
            self[name] = str(err)
            return None

    def text(self, fields: dict[str, str], name: str, *, required: bool = False) -> str:
        """Free text, stored verbatim (escaped only when shown)."""
        value = fields.get(name, "")
        if len(value) > MAX_TEXT:
            self[name] = f"at most {MAX_TEXT} characters"
        elif required and not value.strip():
            self[name] = "required"
        return value

    def time(self, fields: dict[str, str], name: str, default: datetime) -> datetime:
        """A clinic time "YYYY-MM-DD HH:MM" (empty: `default`, usually now); in the hour
        repeated when the clocks go back, with its UTC offset, as the command line takes it: the
        store converts it to the pump's wall time and refuses the second hour (issue 17)."""
        text = fields.get(name, "").strip()
        if not text:
            return default
        parsed = parse_datetime(text, offset=True)  # the one form: no week date
        if parsed is None:
            self[name] = 'a clinic date and time "YYYY-MM-DD HH:MM"'
            return default
        return parsed

    def whole(self, fields: dict[str, str], name: str, allowed: range) -> int | None:
        """A whole number in `allowed` (empty: None)."""
        text = fields.get(name, "").strip()
        if not text:
            return None
        # digits 0-9 only: "²" passed isdigit() and crashed int(), "٣" was read as 3 (issue 17)
        if not (text.isascii() and text.isdigit()) or int(text) not in allowed:
            self[name] = f"a whole number from {allowed.start} to {allowed.stop - 1}"
            return None
        return int(text)


def stored(
    db: Session,
    errors: FieldErrors,
    change: Callable[[], Stored],
    fields: dict[str, str],
    default: str,
) -> Stored | None:
    """The form's change, made by its store function inside a savepoint when the form has no
    errors. A refusal stores nothing and is kept on the field it concerns: the first field of
    `fields` (words in the message → field) whose words the message holds, else `default`.
    None: not stored (the form re-renders with `errors`)."""
    if errors:
        return None
    try:
        with savepoint(db):
            return change()
    except ItbError as err:
        message = str(err)
        errors[next((f for words, f in fields.items() if words in message), default)] = message
        return None


def program_document(fields: dict[str, str], errors: FieldErrors) -> dict[str, Any] | None:
    """The program in the scenario format: a daily dose (mcg/day) for a simple continuous
    program, or a TOML program table (flex, periodic, boluses); optionally the concentration."""
    toml_text = fields.get("program_toml", "").strip()
    if toml_text and fields.get("daily_dose", "").strip():
        errors["daily_dose"] = "give a daily dose or a program table, not both"
        return None
    program: dict[str, Any] | float | None
    if toml_text:
        try:
            data = parse_toml(toml_text, "the program", ItbError)
            start = "the change starts when it is confirmed"
            program = program_table(data, "the program table", start=start)
        except ItbError as err:
            errors["program_toml"] = str(err)
            return None
    else:
        program = errors.quantity(fields, "daily_dose", "daily_dose")
        if program is None:
            return None
    told = errors.quantity(fields, "concentration", "concentration", required=False)
    try:
        document = entered_program(program, told)
    except ItbError as err:
        errors["concentration"] = str(err)
        return None
    return None if errors else document
