"""Page rendering: Jinja2 templates with autoescaping, shared helpers and the visitor's context."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def day(value: date | datetime | None) -> str:
    """One date format for clinicians: "Mon 07 Dec 2026" ("-" when there is none)."""
    return "-" if value is None else f"{value:%a %d %b %Y}"


def moment(value: datetime | None) -> str:
    """A date and time: "Mon 07 Dec 2026 08:00"."""
    return "-" if value is None else f"{value:%a %d %b %Y %H:%M}"


def days_left(hours: float | None) -> str:
    """Hours ahead as the clinician reads them: hours up to 48 h, days past that."""
    if hours is None:
        return "-"
    if hours <= 0:
        return "now (passed)"
    if hours <= 48:
        return f"in {hours:.0f} h"
    return f"in {hours / 24:.1f} days"


def number(value: float | None, digits: int = 1) -> str:
    """A clinical quantity without scientific notation."""
    return "-" if value is None else f"{value:,.{digits}f}"


templates.env.filters.update(day=day, moment=moment, days_left=days_left, number=number)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page, with the visitor and their CSRF token in its context."""
    visitor = getattr(request.state, "visitor", None)
    base = {"visitor": visitor, "csrf": visitor.csrf_token if visitor else ""}
    return templates.TemplateResponse(request, name, base | context, status_code=status)
