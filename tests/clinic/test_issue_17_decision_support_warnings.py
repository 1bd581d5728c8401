"""Clinical values a clinician may mean but the label does not cover are accepted with a visible
warning naming the label, never silently (issue 17).

- An effective screening bolus off the label's ladder (25, 50, 75, 100 mcg, label:screening):
  `titrate --bolus "500 mcg"` started the pump at 2 × 500 = 1,000 mcg/day with a PASS only.
- A patient younger than the label's indication (4 years, label-gablofen:1): `screen`,
  `titrate` and `forecast` planned for a 2-year-old without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itbtwin.clinic._indication import age_reasons
from itbtwin.clinic._screening import effective_bolus_reasons

HISTORY = Path(__file__).parents[2] / "examples" / "forecast" / "titration_history.toml"
CHILD = ("--age", "2 year", "--weight", "12 kg")


def rules(cli, *args: str) -> dict[str, dict]:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    return out, {r["rule"]: r for r in out["reasons"]}


def test_issue_17_a_bolus_above_the_ladder_warns_that_the_label_stops_at_100_mcg(cli):
    out, found = rules(cli, "titrate", "--origin", "spinal", "--bolus", "500 mcg")
    assert out["start_mcg_per_day"] == 1000  # still 2 × the bolus: the clinician may mean it
    reason = found["bolus_above_ladder"]
    assert (reason["verdict"], reason["source"]) == ("warn", "label:screening")
    assert "500 mcg is above the label's last screening dose (100 mcg)" in reason["text"]


def test_a_bolus_between_the_ladders_doses_warns_with_the_ladder():
    (reason,) = effective_bolus_reasons(60)
    assert reason.rule == "bolus_off_ladder"
    assert "(25, 50, 75, 100 mcg)" in reason.text


@pytest.mark.parametrize("dose", [25, 50, 75, 100])
def test_each_dose_of_the_ladder_gets_no_warning(dose):
    assert effective_bolus_reasons(dose) == []


def test_the_youngest_indicated_age_gets_no_warning():
    assert age_reasons(4.0) == [] and [r.rule for r in age_reasons(3.9)] == ["age_below_indication"]


def test_issue_17_titrate_warns_for_a_child_younger_than_the_indication(cli):
    _, found = rules(cli, "titrate", "--origin", "cerebral", "--bolus", "50 mcg", *CHILD)
    reason = found["age_below_indication"]
    assert (reason["verdict"], reason["source"]) == ("warn", "label-gablofen:1")
    assert (
        "a patient of 2 years is younger than the label's indication (4 years" in (reason["text"])
    )


def test_issue_17_screen_warns_for_a_child_younger_than_the_indication(cli):
    out, found = rules(cli, "screen", *CHILD)
    assert "age_below_indication" in found and out["status"] == "next dose"
    text = " ".join(cli("screen", *CHILD).output.split())
    assert "[warn] a patient of 2 years is younger than the label's indication" in text


def test_issue_17_forecast_warns_for_a_child_younger_than_the_indication(cli):
    args = ("forecast", str(HISTORY), "--target-mas", "1+", "--origin", "spinal", *CHILD)
    out, found = rules(cli, *args)
    assert "age_below_indication" in found and out["verdict"] in ("warn", "block")


def test_screening_times_past_48_h_read_in_days(cli, tmp_path, wide_console):
    trial = tmp_path / "late.toml"
    bolus = 'baseline_mas = "3"\nbest_mas = "3"\n'
    trial.write_text(
        f'[[bolus]]\ndose = "50 mcg"\ntime = "0 h"\n{bolus}'
        f'[[bolus]]\ndose = "75 mcg"\ntime = "72 h"\n{bolus}',
        encoding="utf-8",
    )
    result = cli("screen", str(trial))
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│ 75 ")]
    assert len(rows) == 1 and "│ 3 days │" in rows[0]


def test_docs_limits_lists_these_warnings_with_the_codes_values():
    from itbtwin.clinic._indication import YOUNGEST_INDICATED_YEARS
    from itbtwin.clinic._screening import ladder

    text = (Path(__file__).parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")
    section = text[text.index("## Accepted with a visible warning") :]
    doses = ", ".join(f"{d:g}" for d in ladder(small_or_sensitive=True))
    for stated in (
        f"ladder ({doses} mcg)",
        f"above {max(ladder()):g} mcg: `bolus_above_ladder`",
        f"under {YOUNGEST_INDICATED_YEARS:g} years: `age_below_indication`",
        "`trip_longer_than_fill`",
    ):
        assert stated in section


STABLE = Path(__file__).parents[2] / "examples" / "stable_sci_three_refills.toml"
REFILL = ("--daily-dose", "250 mcg/day", "--refill-volume", "20 mL", "--bridge")


def test_issue_17_a_refill_at_a_strength_no_product_has_is_warned_as_compounded(cli):
    strength = ("--concentration", "700 mcg/mL", "--refill-concentration", "700 mcg/mL")
    _, found = rules(cli, "check-program", str(STABLE), *REFILL, *strength)
    reason = found["compounded_concentration"]
    assert (reason["verdict"], reason["source"]) == ("warn", "product-page")
    assert "a refill of 700 mcg/mL: no US-marketed product has this strength" in reason["text"]
    assert "(marketed: 50, 500, 1000, 2000 mcg/mL)" in reason["text"]


def test_a_refill_at_a_marketed_strength_is_not_warned(cli):
    strength = ("--concentration", "2000 mcg/mL", "--refill-concentration", "2000 mcg/mL")
    _, found = rules(cli, "check-program", str(STABLE), *REFILL, *strength)
    assert "compounded_concentration" not in found and "bridge_bolus" in found


def test_gablofen_3000_is_warned_as_an_unconfirmed_strength():
    from itbtwin.clinic._safety_rules import compounded_reasons

    (reason,) = compounded_reasons(3000)
    assert "a marketed US strength was not confirmed" in reason.text


def test_a_daily_dose_beyond_every_observed_dose_is_warned_naming_the_labels_section(cli):
    _, found = rules(cli, "titrate", "--origin", "spinal", "--start", "5000 mcg/day")
    reason = found["dose_outside_observed_range"]
    assert (reason["verdict"], reason["source"]) == ("warn", "label:maintenance+product-page")
    assert (
        "5000 mcg/day is outside every dose observed for spinal patients (12-2003"
        in (reason["text"])
    )


def test_docs_limits_lists_the_margin_warning():
    text = (Path(__file__).parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")
    section = text[text.index("## Accepted with a visible warning") :]
    assert "`margin_longer_than_fill`" in section
