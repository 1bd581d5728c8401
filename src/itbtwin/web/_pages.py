"""Page rendering: Jinja2 templates with autoescaping, shared helpers and the visitor's context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from itbtwin.web._filters import FILTERS

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


templates.env.filters.update(FILTERS)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page, with the visitor and their CSRF token in its context."""
    visitor = getattr(request.state, "visitor", None)
    base = {"visitor": visitor, "csrf": visitor.csrf_token if visitor else ""}
    return templates.TemplateResponse(request, name, base | context, status_code=status)
