"""Issue 15: the enrolment page shows the authenticator key as a QR code, inline SVG made on the
server by segno, under the Content-Security-Policy that allows no inline script."""

from __future__ import annotations

import re

import pyotp
import segno
from sqlalchemy import select

from itbtwin import store
from itbtwin.web import _qr
from web.conftest import sign_in
from web.test_account import MINE, TEMPORARY, _add, _change


def _enrolment_page(clinic, monkeypatch) -> tuple[str, list[str], str]:  # type: ignore[no-untyped-def]
    """The set-up page at its authenticator step, the URIs segno was given, and the CSP."""
    given: list[str] = []
    make = segno.make

    def spy(content, *args, **kwargs):  # type: ignore[no-untyped-def]
        given.append(content)
        return make(content, *args, **kwargs)

    monkeypatch.setattr(_qr.segno, "make", spy)
    _add(clinic)
    client = clinic.client()
    sign_in(client, "nurse-new", TEMPORARY)
    _change(client, TEMPORARY, MINE)
    response = client.get("/account/setup")
    monkeypatch.undo()
    return response.text, given, response.headers["content-security-policy"]


def test_issue_15_the_qr_code_carries_pyotps_provisioning_uri_of_the_pending_key(
    clinic, monkeypatch
):
    page, given, _ = _enrolment_page(clinic, monkeypatch)
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    assert given == [pyotp.TOTP(key).provisioning_uri(name="nurse-new", issuer_name="itbtwin")]
    with store.transaction(clinic.engine) as db:  # the key the server keeps for this sign-in
        pending = db.scalars(select(store.WebSession.pending_totp_secret)).all()
        assert key in pending


def test_issue_15_the_qr_code_is_inline_svg_and_the_page_has_no_inline_script(clinic, monkeypatch):
    page, _, csp = _enrolment_page(clinic, monkeypatch)
    figure = re.search(r'<figure class="totp-qr">(.*?)</figure>', page, re.S).group(1)
    assert re.match(r'<svg width="(\d+)" height="\1" class="qr">', figure), figure[:80]
    assert figure.count("<path") == 2 and "<script" not in figure  # the light and dark modules
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert all(re.search(r'\ssrc="/', tag) for tag in re.findall(r"<script[^>]*>", page))
