"""Issue 17, h29 sweep of the JSON import: an object that gives a key twice was read with the
last value (Python's json keeps it silently: `"patients": [], "patients": [...]`), and an event
with a share of the flow of 500 % was stored (the command line refuses it). Both are refused,
naming the key or the row, and the import changes nothing."""

from __future__ import annotations

import json

import pytest

from records_cli.conftest import clinic, records  # noqa: F401


def _renamed(clinic, tmp_path):  # noqa: F811
    """The clinic's export with P001/NGP001 renamed, so that it can be imported beside them."""
    path = tmp_path / "clinic.json"
    clinic.run(f"export {path}")
    text = path.read_text().replace("P001", "P002").replace("NGP001", "NGP002")
    return json.loads(text)


def _refused(clinic, tmp_path, document) -> str:  # noqa: F811
    """Import `document`: require exit status 2 and no record changed; the message on one line."""
    path = tmp_path / "refused.json"
    path.write_text(json.dumps(document))
    before = clinic.counts()
    result = clinic.invoke(f"import {path}")
    assert result.exit_code == 2, result.output
    assert clinic.counts() == before
    return " ".join(result.output.split())


def test_issue_17_an_import_giving_a_key_twice_is_refused(clinic, tmp_path):  # noqa: F811
    document = _renamed(clinic, tmp_path)
    plain = json.dumps(document)
    text = plain.replace('"weight_kg": 75.0', '"weight_kg": 75.0, "weight_kg": 7.5', 1)
    assert text != plain
    path = tmp_path / "twice.json"
    path.write_text(text)
    before = clinic.counts()
    result = clinic.invoke(f"import {path}")
    assert result.exit_code == 2, result.output
    assert "gives the key 'weight_kg' twice in one object" in result.output
    assert clinic.counts() == before


@pytest.mark.parametrize("share", [5, 0, -0.5])
def test_issue_17_an_imported_share_of_the_flow_outside_0_to_100_percent_is_refused(
    clinic,  # noqa: F811
    tmp_path,
    share,
):
    document = _renamed(clinic, tmp_path)
    pump = document["patients"][0]["pumps"][0]
    pump["events"] = [
        {"occurred_at": "2026-11-03T10:00:00", "kind": "occlusion", "detail": "", "fraction": share}
    ]
    said = _refused(clinic, tmp_path, document)
    assert "a share of the flow is given only for a catheter fault" in said
    assert "patients[0].pumps[0].events[0]" in said


def test_issue_17_an_imported_share_within_the_flow_is_stored(clinic, tmp_path):  # noqa: F811
    document = _renamed(clinic, tmp_path)
    document["patients"][0]["pumps"][0]["events"] = [
        {"occurred_at": "2026-11-03T10:00:00", "kind": "occlusion", "detail": "", "fraction": 0.3}
    ]
    path = tmp_path / "share.json"
    path.write_text(json.dumps(document))
    clinic.run(f"import {path}")
    assert clinic.counts()["event"] == 1


def test_issue_17_an_imported_mean_dose_that_is_not_its_programs_is_refused(clinic, tmp_path):  # noqa: F811
    """The weekly mean is derived from the program's document, as `program set` stores it: an
    import stored -5 mcg/day beside a program of 250 mcg/day."""
    document = _renamed(clinic, tmp_path)
    document["patients"][0]["pumps"][0]["programs"][0]["mean_daily_dose_mcg"] = -5
    said = _refused(clinic, tmp_path, document)
    assert "mean_daily_dose_mcg -5 is not the weekly mean of the program's document (250" in said


@pytest.mark.parametrize("where", ["refills", "programs"])
def test_issue_17_an_imported_concentration_no_pump_solution_has_is_refused(
    clinic,  # noqa: F811
    tmp_path,
    where,
):
    """The command line and the web refuse a concentration outside 1-10,000 mcg/mL; an import
    stored 1e300 mcg/mL (the same bound, `store._bounds`)."""
    document = _renamed(clinic, tmp_path)
    document["patients"][0]["pumps"][0][where][0]["concentration_mcg_per_ml"] = 1e300
    said = _refused(clinic, tmp_path, document)
    assert "a concentration of over 1000000000000 mcg/mL is impossible" in said


def test_issue_17_an_import_with_two_refills_in_one_minute_is_refused(clinic, tmp_path):  # noqa: F811
    """`refill record` refuses a second refill at the same minute; an import stored one."""
    document = _renamed(clinic, tmp_path)
    refills = document["patients"][0]["pumps"][0]["refills"]
    second = dict(refills[0], performed_at=refills[0]["performed_at"][:16] + ":30")
    refills.append(second)
    said = _refused(clinic, tmp_path, document)
    assert "already has refills[0] at" in said
