"""The authenticator key as a QR code a phone's camera reads at enrolment (issue 15).

Rendered on the server as inline SVG by segno (pure Python, no image file, no script), so the
page keeps the Content-Security-Policy that allows no inline script; the code carries the same
otpauth:// URI the page links to (`store.totp_uri`, RFC 6238 key, Google Authenticator's
Key Uri Format)."""

from __future__ import annotations

import segno
from markupsafe import Markup

QR_SCALE = 4
"""Pixels per QR module: a key's URI makes a version-6 code (41 modules and the 4-module quiet
zone on each side), 196 px, which a phone reads at arm's length from the screen."""


def qr_svg(uri: str) -> Markup:
    """The URI as an inline SVG QR code (error correction M, dark on white whatever the page's
    colours, so every camera reads it)."""
    code = segno.make(uri, error="m", micro=False)
    svg = code.svg_inline(
        scale=QR_SCALE, dark="#000", light="#fff", svgclass="qr", title="QR code of the key"
    )
    return Markup(svg)  # segno's own markup; the URI is only in the modules' pattern
