"""The label's screening ladder and post-implant titration, checked against hand arithmetic.

Screening (label:screening; reference/pharmacology.md §1.3): 50 mcg, then 75 mcg 24 h later if
the response is not significant, then 100 mcg 24 h after that; a bolus given 12 h after the
previous one is a warning, and the next one is due 24 h after it (12 + 24 = 36 h).
Titration (saulino2016-dosing; §1.4): start at twice the effective bolus when its effect lasted
8 h or less (75 mcg, 6 h → 150 mcg/day), at the bolus itself when longer (50 mcg, 10 h →
50 mcg/day); spinal steps +30 %: 150 → 195 → 253.5 → 300 (the target caps 329.55); the steady
lumbar CSF level of 300 mcg/day at a clearance of 30 mL/h is 12.5 mcg/h ÷ 30 mL/h = 417 ng/mL
(pharmacology.md §9 item 3; the model's clearance reproduces it within 0.1 %).
"""

from __future__ import annotations

import json

import pytest

TRIAL = """
[[bolus]]
dose = "0.05 mg"
time = "0 h"
baseline_mas = "3"
best_mas = "3"

[[bolus]]
dose = "75 mcg"
time = "{second}"
baseline_mas = "3"
best_mas = "{best}"
{penn}
"""


def _screen(cli, tmp_path, *, second="24 h", best="3", penn=""):
    path = tmp_path / "trial.toml"
    path.write_text(TRIAL.format(second=second, best=best, penn=penn))
    return cli("screen", str(path), "--json")


def test_no_response_to_75_mcg_given_12_h_early_warns_and_asks_100_mcg_24_h_later(cli, tmp_path):
    found = json.loads(_screen(cli, tmp_path, second="12 h").stdout)
    assert (found["status"], found["next_dose_mcg"], found["earliest_next_h"]) == (
        "next dose",
        100,
        36.0,
    )
    assert [r["rule"] for r in found["reasons"]] == ["screening_interval", "screening_escalate"]


def test_a_response_without_a_penn_score_reads_mas_only(cli, tmp_path):
    found = json.loads(_screen(cli, tmp_path, best="1+").stdout)
    assert found["status"] == "eligible" and found["effective_dose_mcg"] == 75.0
    assert found["reasons"][-1]["text"] == (
        "significant decrease in tone or spasms after 75 mcg (MAS 3 → 1+)"
    )


def test_a_penn_score_is_shown_when_it_was_scored(cli, tmp_path):
    penn = "baseline_penn_frequency = 3\nbest_penn_frequency = 1"
    found = json.loads(_screen(cli, tmp_path, penn=penn).stdout)
    assert found["reasons"][-1]["text"].endswith("(MAS 3 → 3, Penn frequency 3 → 1)")


def test_a_penn_score_before_without_one_at_best_is_refused(cli, tmp_path):
    result = _screen(cli, tmp_path, penn="baseline_penn_frequency = 3")
    assert result.exit_code != 0  # the installed command prints it as one line, exit status 2
    assert "before and at best, or neither" in str(result.exception)


@pytest.mark.parametrize(
    ("bolus", "duration", "start"), [("75 mcg", "6 h", 150.0), ("50 mcg", "10 h", 50.0)]
)
def test_the_pump_starts_at_twice_the_bolus_or_at_the_bolus_after_a_long_effect(
    cli, bolus, duration, start
):
    found = json.loads(
        cli(
            "titrate",
            "--origin",
            "spinal",
            "--bolus",
            bolus,
            "--effect-duration",
            duration,
            "--json",
        ).stdout
    )
    assert found["start_mcg_per_day"] == start


def test_spinal_titration_steps_30_percent_a_day_to_the_target(cli):
    found = json.loads(
        cli(
            "titrate",
            "--origin",
            "spinal",
            "--bolus",
            "75 mcg",
            "--effect-duration",
            "6 h",
            "--target",
            "300 mcg/day",
            "--json",
        ).stdout
    )
    assert [d["daily_mcg"] for d in found["plan"]] == [150.0, 195.0, 253.5, 300.0]
    assert found["course"][-1]["csf_lumbar_ng_ml"] == pytest.approx(12.5 / 30 * 1000, rel=1e-3)


@pytest.mark.parametrize(
    ("proposed", "rules"),
    [
        ("320 mcg/day", []),  # a 20% cut: the label's side-effect reduction
        ("200 mcg/day", ["large_decrease"]),  # 50%: beyond 10-20% at a time
    ],
)
def test_titrate_warns_of_a_cut_beyond_the_labels_reduction_as_check_program_does(
    cli, proposed, rules
):
    found = json.loads(
        cli(
            "titrate",
            "--origin",
            "spinal",
            "--current",
            "400 mcg/day",
            "--proposed",
            proposed,
            "--since",
            "30 h",
            "--json",
        ).stdout
    )
    assert [r["rule"] for r in found["reasons"] if r["rule"] == "large_decrease"] == rules


FORECAST = ["forecast", "examples/forecast/titration_history.toml", "--target-mas", "1+"]


def test_the_forecasts_next_step_is_one_program_set_accepts(cli):
    """The history ends at 200 mcg/day, three weeks into titration; the forecast (≈290) is +45%,
    so the next step is the titration limit: 200 × 1.30 = 260 mcg/day (saulino2016-dosing), not
    the maintenance 40 % (280), which `program set` (titration by default) would block."""
    found = json.loads(cli(*FORECAST, "--origin", "spinal", "--json").stdout)
    assert found["next_step_mcg_per_day"] == 260.0
    maintenance = cli(*FORECAST, "--origin", "spinal", "--phase", "maintenance", "--json")
    assert json.loads(maintenance.stdout)["next_step_mcg_per_day"] == 280.0


def test_a_forecast_history_without_its_baseline_mas_is_refused(cli, tmp_path):
    path = tmp_path / "history.toml"
    path.write_text('[[dose]]\nat = "0 h"\ndaily_dose = "100 mcg/day"\n[[mas]]\nat = "1 day"\n'
                    'grade = "3"\n')  # fmt: skip
    result = cli("forecast", str(path), "--target-mas", "1+", "--origin", "spinal")
    assert result.exit_code != 0
    assert "needs baseline_mas" in str(result.exception)
