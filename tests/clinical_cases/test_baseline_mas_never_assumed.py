"""The baseline MAS is never assumed (known problem 4 of the hand-computed cases: `DoseHistory`,
`titrate` and `pk --baseline-mas` used a MAS of 3 when none was given).

Per command: `pk --effect` predicts a MAS, which is measured from the baseline, so it needs
`--baseline-mas` (refused without it: an `ItbError`, exit 2, nothing printed); `titrate`'s plan
follows the label's steps, which need no MAS, so without `--baseline-mas` the simulated course
shows doses and CSF only, and with it the MAS column names its baseline; a `DoseHistory` has no
default baseline MAS, nor a default Penn frequency when Penn scores are given.
"""

from __future__ import annotations

import json

import pytest

from itbtwin.clinic import DoseHistory
from itbtwin.errors import ItbError, RegimenError

TITRATE = ("titrate", "--origin", "spinal", "--bolus", "75 mcg", "--effect-duration", "6 h")


def test_pk_effect_without_a_baseline_mas_is_refused_naming_the_option(cli):
    result = cli("pk", "--bolus", "50 mcg", "--hours", "12", "--effect")
    assert isinstance(result.exception, ItbError), result.output  # exit 2 in `main`
    assert "--effect needs --baseline-mas" in str(result.exception)
    assert result.stdout == ""


def test_pk_without_effect_needs_no_baseline(cli):
    assert cli("pk", "--bolus", "50 mcg", "--hours", "12").exit_code == 0


def test_titrate_without_a_baseline_shows_no_mas_and_with_one_names_it(cli):
    plain = cli(*TITRATE)
    assert plain.exit_code == 0, plain.output
    assert "MAS at 24 h" not in plain.stdout and "lumbar CSF" in plain.stdout
    course = json.loads(cli(*TITRATE, "--json").stdout)["course"]
    assert {day["mas_grade"] for day in course} == {None}
    named = cli(*TITRATE, "--baseline-mas", "3")
    assert "baseline" in named.stdout and "baseline" not in plain.stdout  # the header wraps
    assert named.stdout.count("┴") == plain.stdout.count("┴") + 1  # one more column: the MAS
    course = json.loads(cli(*TITRATE, "--baseline-mas", "3", "--json").stdout)["course"]
    assert all(isinstance(day["mas_grade"], str) for day in course)


def test_a_dose_history_without_a_baseline_mas_cannot_be_made():
    with pytest.raises(TypeError, match="baseline_mas"):
        DoseHistory((0.0,), (100.0,), (48.0,), ("3",))  # type: ignore[call-arg]


def test_penn_observations_without_a_baseline_penn_frequency_are_refused():
    with pytest.raises(RegimenError, match="baseline_penn_frequency"):
        DoseHistory((0.0,), (100.0,), (48.0,), ("3",), "3", (48.0,), (2,))
    assert DoseHistory((0.0,), (100.0,), (48.0,), ("3",), "3").baseline_penn_frequency is None


def test_a_baseline_has_no_default_mas_and_no_default_penn():
    from itbtwin.patient import Baseline

    with pytest.raises(TypeError, match="mas"):
        Baseline()  # type: ignore[call-arg]
    assert Baseline("3").penn_frequency is None and Baseline("3").penn_severity is None


def test_predict_without_a_baseline_gives_the_effect_but_no_scores():
    import numpy as np

    from itbtwin.patient import BaclofenPk, Baseline
    from itbtwin.sim import Regimen, bolus, predict, typical_effect

    times = np.arange(0.0, 12.5, 0.5)
    plain = predict(BaclofenPk.adult(), Regimen([bolus(50)]), times, effect=typical_effect())
    assert plain.response is not None and plain.response.scores is None
    assert plain.response.tone_reduction.max() > 0
    named = predict(
        BaclofenPk.adult(), Regimen([bolus(50)]), times, effect=typical_effect(),
        baseline=Baseline("2"),
    )  # fmt: skip
    scores = named.response.scores  # type: ignore[union-attr]
    assert scores.mas_grade[0, 0] == "2" and scores.penn_frequency is None


def test_virtual_patients_draw_their_baselines_from_the_stated_distribution():
    import numpy as np

    from itbtwin.patient import generate_population

    baseline = generate_population(4000, "spinal", 3).covariates.baseline
    mas = np.asarray(baseline.mas).astype(str)
    share = {grade: float(np.mean(mas == grade)) for grade in ("2", "3", "4")}
    # _population._MAS: 25% / 50% / 25% (mean code ≈ 4, creedon1997's Ashworth 3.9)
    assert abs(share["2"] - 0.25) < 0.03 and abs(share["3"] - 0.5) < 0.03
    assert set(np.unique(baseline.penn_frequency)) == {2, 3, 4}


def _twin_series(baseline: str):
    from pathlib import Path

    from itbtwin.sim import loads_scenario, run_twin

    text = (Path(__file__).parents[2] / "examples" / "missed_refill.toml").read_text()
    start = text.index('baseline_mas = "3"')
    end = text.index("\n", text.index("baseline_penn_severity"))
    return run_twin(loads_scenario(text[:start] + baseline + text[end + 1 :])).series


def test_the_twin_predicts_scores_only_from_the_scenario_patients_baseline():
    full = _twin_series(
        'baseline_mas = "2"\nbaseline_penn_frequency = 4\nbaseline_penn_severity = 3'
    )
    from itbtwin.patient import MAS_GRADES

    codes = [MAS_GRADES.index(g) for g in full["mas_grade"]]
    assert max(codes) == MAS_GRADES.index("2")  # back at the baseline while the pump is empty
    assert min(codes) < max(codes) and max(full["penn_frequency"]) == 4
    mas_only = _twin_series('baseline_mas = "2"')
    assert "mas_grade" in mas_only and "penn_frequency" not in mas_only
    none = _twin_series("")
    assert "mas_grade" not in none and "penn_frequency" not in none
    assert none["withdrawal_signal"].tolist() == full["withdrawal_signal"].tolist()  # unchanged


def test_a_scenario_baseline_penn_without_its_mas_is_refused():
    from itbtwin.errors import ScenarioError

    with pytest.raises(ScenarioError, match="baseline MAS"):
        _twin_series("baseline_penn_frequency = 2\nbaseline_penn_severity = 1")


def test_the_replay_reads_the_assessment_before_the_implant_as_the_baseline(records):
    """P070's last assessment before the implant (1 Nov, hip adductors 2 and 3, Penn 3/2) is the
    baseline: the highest grade, "3"; the one after the implant (5 Nov) is not. Without it, or for
    the dates (scores=False), the replay carries no baseline and the twin predicts no scores."""
    from datetime import timedelta

    from itbtwin import store
    from itbtwin.sim import run_twin

    records.run("patient add P070 --birth-date 1970-01-01 --weight '80 kg' --origin spinal")
    records.run(
        "assess P070 --mas 'hip adductors L=2' --mas 'hip adductors R=3' --penn-frequency 3 "
        "--penn-severity 2 --at '2026-11-01 10:00'"
    )
    records.run(
        "pump implant P070 --device synchromed2-20 --serial NGP070 --time-zone Europe/London "
        "--catheter 8709SC --catheter-length '50 cm' --fill '20 mL' --concentration "
        "'500 mcg/mL' --daily-dose '250 mcg/day' --at '2026-11-02 10:00'"
    )
    records.run("assess P070 --mas 'hip adductors L=1' --at '2026-11-05 10:00'")
    engine = store.open_engine(records.url)
    try:
        with store.transaction(engine) as session:
            pump = store.find_pump(session, "NGP070")
            since, until = pump.implanted_at, pump.implanted_at + timedelta(days=7)
            scored = store.history_scenario(pump, since=since, until=until, scores=True)
            plain = store.history_scenario(pump, since=since, until=until)
    finally:
        engine.dispose()
    assert scored.document["patient"]["baseline_mas"] == "3"
    assert scored.patient.baseline.penn_frequency == 3  # type: ignore[union-attr]
    assert plain.patient.baseline is None and "mas_grade" not in run_twin(plain).series
    grades = set(run_twin(scored).series["mas_grade"])
    assert grades and grades <= {"0", "1", "1+", "2", "3"}  # never worse than the baseline "3"
