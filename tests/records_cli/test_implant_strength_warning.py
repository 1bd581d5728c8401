"""An implant's first fill at a strength no product is marketed at is recorded with the WARN
check-program gives a refill (issue 17, h36 sweep: 7 mcg/mL, a 20 mL fill emptied in 1.4 days at
100 mcg/day, was taken without a word)."""

from __future__ import annotations

from records_cli.conftest import IMPLANT


def test_issue_17_an_implant_at_a_strength_not_marketed_is_recorded_with_a_warning(records):
    records.run('patient add P001 --birth-date 1980-05-01 --weight "75 kg" --origin spinal')
    strength = IMPLANT.replace('"500 mcg/mL"', '"7 mcg/mL"')
    result = records.run(strength.replace('"250 mcg/day"', '"100 mcg/day"'))
    assert "implanted NGP001 in P001" in result.stdout
    assert "[warn] a refill of 7 mcg/mL" in result.stdout
    assert "(compounded_concentration; source product-page)" in " ".join(result.stdout.split())


def test_a_marketed_strength_at_implant_gives_no_reason(records):
    records.run('patient add P001 --birth-date 1980-05-01 --weight "75 kg" --origin spinal')
    assert records.data(IMPLANT)["reasons"] == []
