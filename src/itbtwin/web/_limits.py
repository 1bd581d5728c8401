"""Bounds on what a browser may post: the request body and each form field (issue 17).

The form parser holds a whole form in memory, so a 10 MB text field, or a body of a million empty
fields, would be read and kept before any check of what it says. `FormLimits`, a pure ASGI
middleware, reads a request's body up to `MAX_BODY_BYTES` (refusing a larger one as soon as it
says or shows so, 413), then refuses a form with more than `MAX_FIELDS` fields or a field longer
than `MAX_FIELD_CHARS` characters (413, naming the field), before any route sees it. What each
field may hold (identifiers, free text, volumes) is the records' own check (`store._bounds`).

The form parser also reads what it cannot make sense of without a word (issue 17, h34 sweep): a
byte that is not UTF-8 became U+FFFD and was stored, a field given twice was read as its last
value (a second `csrf_token` or daily dose), and a multipart body's file was dropped. Every form
of the workspace is URL-encoded ASCII with each field once and no NUL character (which
PostgreSQL cannot store), so anything else is refused (400, or 415 for another content type)
before any route reads it; a URL's query (the audit page's filters) is held to the same rules.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import PlainTextResponse

from itbtwin.user_files import TOML_LIMIT_BYTES

MAX_FIELD_CHARS = TOML_LIMIT_BYTES
"""The longest field is a trial or program pasted as TOML, which the TOML reader caps at 1 MB
(`user_files.TOML_LIMIT_BYTES`); every other field is far shorter (free text: 200 characters)."""
MAX_BODY_BYTES = 3 * TOML_LIMIT_BYTES + 65_536
"""A form with one field of `MAX_FIELD_CHARS`, URL-encoded (each byte at most 3 characters,
``%0A``), and 64 kB for the other fields."""
MAX_FIELDS = 1_000
"""The largest form (the refill wizard) has under 50 fields."""
FORM = b"application/x-www-form-urlencoded"
"""The one content type the workspace's forms send (none sends a file)."""


class FormLimits:
    """Refuse a request body or a form field beyond the bounds above, before any route reads it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = _field_problem(scope.get("query_string", b""), "the address's query")
        if problem:
            await _refuse(scope, receive, send, *problem)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        said = headers.get(b"content-length")
        if said is not None and (not said.isdigit() or int(said) > MAX_BODY_BYTES):
            await _refuse(scope, receive, send, _too_large())
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY_BYTES:  # sent without a length, or more than it said
                await _refuse(scope, receive, send, _too_large())
                return
        if said is not None and len(body) != int(said):  # a server would read another request
            why = f"the body has {len(body):,} bytes where its Content-Length says {int(said):,}"
            await _refuse(scope, receive, send, why, 400)
            return
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if body and kind != FORM:
            why = "the workspace reads forms only (application/x-www-form-urlencoded)"
            await _refuse(scope, receive, send, why, 415)
            return
        problem = _field_problem(bytes(body))
        if problem:
            await _refuse(scope, receive, send, *problem)
            return
        await self.app(scope, _replay(bytes(body), receive), send)


def _too_large() -> str:
    return f"the form is larger than {MAX_BODY_BYTES / 1e6:.1f} MB, the most the workspace reads"


def _field_problem(body: bytes, what: str = "the form") -> tuple[str, int] | None:
    """Why the URL-encoded `body` (a form, or a URL's query: `what`) is refused, with the
    status; None: it is read."""
    if body.count(b"&") >= MAX_FIELDS:
        return f"{what} has more than {MAX_FIELDS:,} fields", 413
    try:
        fields = parse_qsl(body.decode("ascii"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return f"{what} is not URL-encoded UTF-8 text, as a browser sends it", 400
    seen: set[str] = set()
    for name, value in fields:
        if len(value) > MAX_FIELD_CHARS:
            why = f"the field {name[:40]!r} holds {len(value):,} characters; at most "
            return why + f"{MAX_FIELD_CHARS:,}", 413
        if name in seen:
            return f"the field {name[:40]!r} is given twice in {what}: each field comes once", 400
        if "\x00" in name + value:  # PostgreSQL refuses it in text, and no field means it
            return f"the field {name[:40]!r} holds a NUL character", 400
        seen.add(name)
    return None


async def _refuse(scope: Any, receive: Any, send: Any, why: str, status: int = 413) -> None:
    await PlainTextResponse(why, status_code=status)(scope, receive, send)


def _replay(body: bytes, receive: Any) -> Any:
    """The body already read, then whatever the server sends next (a disconnect)."""
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
