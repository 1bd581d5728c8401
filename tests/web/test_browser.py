"""The workspace in a real browser (issue 15): Playwright drives the distribution's Chromium
(`chromium-headless-shell`, installed by `.ci/run`) against the app served on the loopback.

A physician signs in with TOTP and sees the dashboard; a nurse proposes a program change and the
physician confirms it; the nurse records a refill with a pocket fill and an assessment; the audit
view shows who did what. With ``ITBTWIN_README_SCREENSHOTS=1`` the suite writes the README's
screenshots (docs/img/web-*.png), as the report suite does; otherwise it writes them to a temporary
folder, so a test run never changes the documentation.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from itbtwin import store
from web.conftest import NOW, password

CHROMIUM = Path("/usr/bin/chromium-headless-shell")
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need chromium-headless-shell (apt-get install chromium-headless-shell; "
    ".ci/run installs it)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(clinic):  # type: ignore[no-untyped-def]
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(clinic.app, host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


def _sign_in(browser, base: str, name: str, code: str = ""):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password(name))
    if code:
        page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    return page


@pytest.fixture
def shots(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """Where the screenshots go: docs/img when ITBTWIN_README_SCREENSHOTS is set."""
    return README_SHOTS if os.environ.get("ITBTWIN_README_SCREENSHOTS") else tmp_path


def test_a_clinic_day_in_the_browser(clinic, served, browser, shots):
    with store.transaction(clinic.engine) as db:
        pump = store.implanted_pumps(db)[0]
        patient, dose = pump.patient_id, store.version_at(pump, NOW).mean_daily_dose_mcg

    doctor = _sign_in(browser, served, "dr-alice", clinic.code("dr-alice"))
    doctor.wait_for_selector("text=Refill queue")
    assert doctor.locator("ol.calendar li").count() == 14
    shots.mkdir(parents=True, exist_ok=True)
    doctor.screenshot(path=str(shots / "web-dashboard.png"), full_page=True)

    nurse = _sign_in(browser, served, "nurse-carol", clinic.code("nurse-carol"))
    nurse.goto(f"{served}/patients/{patient}")
    nurse.wait_for_selector("#plot-0 .main-svg")  # Plotly drew the twin from the local script
    nurse.click("text=Change the program")
    nurse.fill("input[name=daily_dose]", f"{dose * 1.05:.1f} mcg/day")
    nurse.click("button:has-text('Review')")
    nurse.wait_for_selector("text=Current and proposed, side by side")
    nurse.screenshot(path=str(shots / "web-wizard-review.png"), full_page=True)
    nurse.fill("textarea[name=why]", "spasms at night")
    nurse.click("button:has-text('Send for confirmation')")
    nurse.wait_for_selector("text=confirmed by a second person")
    change = nurse.url

    doctor.goto(change)
    doctor.click("button:has-text('Confirm and store')")
    doctor.wait_for_url(re.compile(rf"/patients/{patient}\?confirmed=\d+$"))
    assert doctor.locator("text=The program change is confirmed").count() == 1
    assert doctor.locator("text=confirmed by dr-alice").count() == 0  # no leftovers on the page
    with store.transaction(clinic.engine) as db:
        assert db.get(store.Pump, pump.id).programs[-1].entered_by == "dr-alice"

    nurse.goto(f"{served}/patients/{patient}/refill")
    for name, value in {
        "expected": "5 mL",
        "withdrawn": "5 mL",
        "injected": "18 mL",
        "measured": "14 mL",
        "concentration": "500 mcg/mL",
        "product": "Lioresal Intrathecal",
        "lot": "L123",
        "expiry": "2027-01-31",
    }.items():
        nurse.fill(f"input[name={name}]", value)
    nurse.click("button:has-text('Record the refill')")
    nurse.wait_for_selector("text=Pocket fill suspected: do not refill again, escalate")

    nurse.goto(f"{served}/patients/{patient}/assess")
    nurse.fill("input[name=muscle_0]", "hip adductors L")
    nurse.fill("input[name=grade_0]", "1+")
    nurse.fill("input[name=penn_frequency]", "1")
    nurse.click("button:has-text('Record the assessment')")
    nurse.wait_for_url(f"{served}/patients/{patient}")

    doctor.goto(f"{served}/audit?user=nurse-carol")
    text = doctor.inner_text("main")
    for action in ("Program change proposed", "Refill recorded", "Assessment recorded"):
        assert action in text  # issue 15: in words, not the keys


def test_a_new_nurse_sets_up_her_account_at_first_sign_in_in_the_browser(clinic, served, browser):
    from datetime import UTC

    import pyotp

    with store.transaction(clinic.engine) as db:
        store.add_user(db, "admin", "nurse-new", "nurse", "handed-over-at-the-desk")
    page = browser.new_context().new_page()
    page.goto(f"{served}/login")
    page.fill("input[name=username]", "nurse-new")
    page.fill("input[name=password]", "handed-over-at-the-desk")
    page.click("button[type=submit]")  # no code yet: the __Host- cookie over the loopback's HTTP
    page.wait_for_selector("text=Choose your own password")
    page.fill("input[name=current_password]", "handed-over-at-the-desk")
    page.fill("input[name=new_password]", "my-own-long-passphrase")
    page.fill("input[name=repeat_password]", "my-own-long-passphrase")
    page.click("button:has-text('Save my password')")
    page.wait_for_selector("text=Add the workspace to your authenticator app")
    key = re.sub(r"\s", "", page.inner_text("p.totp-key code"))
    epoch = int(clinic.clock.utc.replace(tzinfo=UTC).timestamp())
    page.fill("input[name=code]", pyotp.TOTP(key).at(epoch))
    page.click("button:has-text('Confirm')")
    page.wait_for_selector("text=Refill queue")  # the dashboard, signed in with the new session
    page.click("text=Account")
    page.wait_for_selector("text=this browser")
