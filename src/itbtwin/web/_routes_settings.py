"""The clinic's settings form (physicians): the name, phone number and hours that reports and the
patient card print, stored by the same `store.set_clinic_contact` as `itbtwin clinic set`, audited
as `clinic.settings` with each changed value before and after."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from itbtwin import store
from itbtwin.web._deps import Db, Physician, form_of
from itbtwin.web._forms import FieldErrors, stored
from itbtwin.web._pages import render

router = APIRouter()
FIELDS = ("name", "phone", "hours")
"""The form's settings, as `store.set_clinic_contact` names them."""


def _form(request: Request, fields, errors, saved: bool = False, status: int = 200) -> Response:  # type: ignore[no-untyped-def]
    context = {"fields": fields, "errors": errors, "saved": saved}
    return render(request, "clinic.html", context, status)


@router.get("/clinic")
def settings_form(request: Request, db: Db, visitor: Physician, saved: bool = False) -> Response:
    return _form(request, store.clinic_contact(db).as_dict(), FieldErrors(), saved)


@router.post("/clinic")
async def save_settings(request: Request, db: Db, visitor: Physician) -> Response:
    fields = await form_of(request, visitor)
    errors = FieldErrors()
    changes = {name: errors.text(fields, name) for name in FIELDS}
    why = errors.text(fields, "why")
    contact = stored(
        db,
        errors,
        lambda: store.set_clinic_contact(db, visitor.username, why=why, **changes),
        {f"clinic's {name}": name for name in FIELDS},
        "form",
    )
    if contact is None:
        if "nothing to change" in errors.get("form", ""):
            errors["form"] = "nothing to change: each setting is as stored"
        return _form(request, fields, errors, status=400)
    return RedirectResponse("/clinic?saved=1", status_code=303)
