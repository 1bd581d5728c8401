"""The web pages say what the CLI says (h41): a dry run whose MAS cells are blank says why, as
`check-program` does; the program history shows each program in words (a flex program's steps,
`record_words.program_words`), not its mode; a delivery error is signed ("+2.7%")."""

from __future__ import annotations

import re

from itbtwin import store
from web.conftest import csrf_of
from web.test_readable import unreadable
from web.test_wizard import _pump


def test_a_dry_run_with_no_baseline_says_why_its_mas_is_blank(clinic):
    patient, _, dose, _ = _pump(clinic)
    nurse = clinic.client("nurse-carol")
    form = {"csrf_token": csrf_of(nurse), "daily_dose": f"{dose * 1.05:.1f} mcg/day"}
    page = nurse.post(f"/patients/{patient}/program/review", data=form | {"phase": "titration"})
    dry_run = page.text.split("Dry run, 72 h", 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r"<tr><td>[^<]+</td><td>[^<]+</td><td>([^<]+)</td><td>[^<]+</td><td>([^<]+)", dry_run
    )
    assert rows and {cell for row in rows for cell in row} == {"-"}  # no baseline before implant
    with store.transaction(clinic.engine) as db:
        name = db.get(store.Patient, patient).identifier
    said = (
        f"MAS not predicted: the records hold no assessment of {name} before the implant, "
        "the baseline the predicted MAS is measured from"
    )
    assert said in dry_run


def test_the_program_history_reads_each_program_in_words(clinic):
    patient, _, _, _ = _pump(clinic)
    page = clinic.client("nurse-carol").get(f"/patients/{patient}").text
    history = page.split("Program history</h2>", 1)[1].split("</section>", 1)[0]
    assert "<th>Program</th>" in history and "<th>Mode</th>" not in history
    assert re.search(r"<td>Continuous, \d+ mcg/day at \d+ mcg/mL</td>", history), history
    refills = page.split("Refills</h2>", 1)[1].split("</section>", 1)[0]
    assert "<th>Delivery error</th>" in refills
    assert re.search(r"<td>[+-]\d+\.\d%</td>", refills), refills  # signed, one decimal
    assert unreadable(history + refills) == {}
