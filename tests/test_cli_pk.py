"""`itbtwin pk` end to end, in-process."""

from __future__ import annotations

import json

import pytest


def test_pk_bolus_json_has_equal_length_series_and_the_label_peak(cli) -> None:
    result = cli("pk", "--bolus", "50 mcg", "--hours", "24", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    lengths = {
        len(payload[k])
        for k in ("time_h", "csf_lumbar_ng_ml", "csf_cisternal_ng_ml", "plasma_ng_ml")
    }
    assert lengths == {97}  # 0 to 24 h every 0.25 h
    # 50 mcg into 65.4 mL of lumbar CSF: C0 = 765 ng/mL.
    assert payload["csf_lumbar_ng_ml"][0] == pytest.approx(
        50 / (30 * 1.51 / 0.693147) * 1000, rel=1e-3
    )
    assert payload["summary"]["csf_lumbar"]["half_life_h"] == pytest.approx(1.51)


def test_pk_infusion_reaches_rate_over_clearance(cli) -> None:
    result = cli("pk", "--infusion", "500 mcg/day", "--days", "7", "--step", "1", "--json")
    payload = json.loads(result.stdout)
    assert len(payload["time_h"]) == 169
    assert payload["csf_lumbar_ng_ml"][-1] == pytest.approx(500 / 24 / 30 * 1000, rel=0.002)


def test_pk_oral_every_8h_repeats_until_the_end(cli) -> None:
    result = cli("pk", "--oral", "20 mg", "--every", "8h", "--days", "5", "--json")
    payload = json.loads(result.stdout)
    plasma = payload["plasma_ng_ml"]
    assert max(plasma) > 400 and payload["summary"]["plasma"]["cmin_last_24h_ng_ml"] > 50


def test_pk_routes_combine(cli) -> None:
    result = cli(
        "pk", "--infusion", "300 mcg/day", "--bolus", "50 mcg@24h", "--oral", "10 mg", "--days", "2"
    )
    assert result.exit_code == 0, result.output
    assert "lumbar CSF" in result.output and "Cmax" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--infusion", "500 mcg/L"), "typo for mcg/day"),
        (("--bolus", "50"), "has no unit"),
        (("--bolus", "50 mcg", "--hours", "5", "--days", "1"), "not both"),
        (("--every", "8h", "--bolus", "5 mcg"), "give --oral too"),
        ((), "at least one dose"),
        (("--bolus", "50 mcg", "--weight", "-4 kg"), "negative"),
    ],
)
def test_pk_bad_input_is_one_clear_error(cli, args: tuple[str, ...], message: str) -> None:
    result = cli("pk", *args)
    assert result.exit_code != 0
    assert message in str(result.exception) + result.output


@pytest.mark.parametrize("suffix", ["png", "html"])
def test_pk_writes_a_plot(cli, tmp_path, suffix: str) -> None:
    target = tmp_path / f"plot.{suffix}"
    result = cli("pk", "--bolus", "50 mcg", "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 10_000


def test_pk_refuses_an_unknown_plot_format(cli, tmp_path) -> None:
    result = cli("pk", "--bolus", "50 mcg", "--plot", str(tmp_path / "plot.bmp"))
    assert "use a .png or .html" in str(result.exception)
