"""A bank of programming changes for the safety check (issue 5): half safe, half with one known
error each. Every erroneous change must be caught by the right rule; no safe one may be blocked.
Sources: saulino2016-dosing (steps, bridge), synchromed2:S45 (24x slip), S13 (concentration,
priming), S2 (stability), the label's dose ranges, the device catalogue."""

from __future__ import annotations

from dataclasses import replace

import pytest

from itbtwin.clinic import ProgramChange, Verdict, check_program
from itbtwin.errors import RegimenError
from itbtwin.pump import DEVICES, ClockBolus, DemandSettings, Fill, Program, Step

SM20 = DEVICES["synchromed2-20"]
SM40 = DEVICES["synchromed2-40"]


def change(now: float = 250, new: float | None = None, conc: float = 500, **kw) -> ProgramChange:
    """A continuous change from `now` to `new` mcg/day on a SynchroMed II 20 mL at 500 mcg/mL."""
    proposed = kw.pop("program", None) or Program.continuous(now if new is None else new, conc)
    base = dict(
        current=Program.continuous(now, 500),
        proposed=proposed,
        reservoir_mcg_per_ml=500,
        device=SM20,
    )
    return ProgramChange(**(base | kw))


def flex(day: float, night: float, conc: float = 500) -> Program:
    return Program.flex((Step(0, 8, night), Step(8, 14, day), Step(22, 2, night)), conc)


REFILL_2000 = Fill(20, 2000, "Lioresal")

SAFE = {
    "same dose": change(),
    "spinal +10%": change(250, 275),
    "spinal +30% exactly": change(250, 325),
    "spinal -10%": change(250, 225),
    "side effects -20%": change(250, 200),
    "cerebral +15% exactly": change(200, 230, origin="cerebral"),
    "cerebral +5%": change(200, 210, origin="cerebral"),
    "child +15%": change(100, 115, age_years=8),
    "refill same concentration": change(refill=Fill(20, 500, "Lioresal"), next_refill_days=30),
    "concentration change with bridge": change(
        250, 250, 2000, refill=REFILL_2000, bridge_bolus=True, next_refill_days=150
    ),
    "revision with priming": change(catheter_empty=True, priming_bolus=True),
    "flex day/night same mean": change(program=flex(280, 190)),
    "periodic bolus within step": change(
        program=Program.periodic(200, (ClockBolus(8, 25, 1),), 500)
    ),
    "demand within device": change(
        program=replace(Program.continuous(250, 500), demand=DemandSettings(25, 0.25, 3, 4))
    ),
    "high dose +20%": change(900, 1080),
    "40 mL pump refill 150 d": change(
        100,
        100,
        2000,
        device=SM40,
        reservoir_mcg_per_ml=2000,
        current=Program.continuous(100, 2000),
        refill=Fill(40, 2000, "Lioresal"),
        next_refill_days=150,
    ),
    "titration after 24 h": change(250, 300, hours_since_last_change=24, phase="titration"),
    "low dose cerebral -10%": change(100, 90, origin="cerebral"),
    "stability cap exactly 180 d": change(refill=Fill(20, 500, "Lioresal"), next_refill_days=180),
    "spinal +35% in maintenance": change(400, 540, phase="maintenance"),
}

ERRORS = {
    "spinal +40%": (change(250, 350), "step_too_large", Verdict.BLOCK),
    "cerebral +20%": (change(200, 240, origin="cerebral"), "step_too_large", Verdict.BLOCK),
    "child +20%": (change(100, 120, age_years=8), "step_too_large", Verdict.BLOCK),
    "raise twice in 24 h": (
        change(250, 275, hours_since_last_change=12),
        "step_too_soon",
        Verdict.BLOCK,
    ),
    "concentration told 2000, holds 500": (
        change(250, 250, 2000),
        "concentration_mismatch",
        Verdict.BLOCK,
    ),
    "refill 2000 told 500": (
        change(refill=REFILL_2000, bridge_bolus=True),
        "concentration_mismatch",
        Verdict.BLOCK,
    ),
    "per hour as per day x24": (change(250, 6000), "unit_slip_per_hour", Verdict.BLOCK),
    "per day as per hour /24": (change(240, 10), "unit_slip_per_hour", Verdict.BLOCK),
    "flex per-hour slip": (
        change(current=flex(280, 190), program=flex(280, 190).unit_slipped()),
        "unit_slip_per_hour",
        Verdict.BLOCK,
    ),
    "mg for mcg x1000": (change(0.25, 250), "unit_slip_mg_mcg", Verdict.BLOCK),
    "mcg for mg /1000": (change(250, 0.25), "unit_slip_mg_mcg", Verdict.BLOCK),
    "decimal x10": (change(250, 2500), "decimal_slip", Verdict.BLOCK),
    "decimal /10": (change(250, 25), "decimal_slip", Verdict.BLOCK),
    "no bridge on concentration change": (
        change(250, 250, 2000, refill=REFILL_2000),
        "missing_bridge_bolus",
        Verdict.BLOCK,
    ),
    "no bridge on concentration decrease": (
        change(
            250,
            250,
            500,
            reservoir_mcg_per_ml=2000,
            current=Program.continuous(250, 2000),
            refill=Fill(20, 500, "Lioresal"),
        ),
        "missing_bridge_bolus",
        Verdict.BLOCK,
    ),
    "revision without priming": (
        change(catheter_empty=True),
        "missing_priming_bolus",
        Verdict.BLOCK,
    ),
    "above observed range": (change(2000, 2100), "dose_outside_observed_range", Verdict.WARN),
    "rate above device maximum": (
        change(2000, 2000, 50, reservoir_mcg_per_ml=50, current=Program.continuous(2000, 50)),
        "device_limit",
        Verdict.BLOCK,
    ),
    "bolus faster than device": (
        change(program=Program.periodic(200, (ClockBolus(8, 1000, 0.5),), 500)),
        "device_limit",
        Verdict.BLOCK,
    ),
    "refill interval 200 d": (
        change(refill=Fill(20, 500, "Lioresal"), next_refill_days=200),
        "stability_cap",
        Verdict.BLOCK,
    ),
}


def test_bank_has_at_least_40_changes_half_safe():
    assert len(SAFE) + len(ERRORS) >= 40
    assert len(SAFE) == len(ERRORS)


@pytest.mark.parametrize("name", SAFE)
def test_no_safe_change_is_blocked(name):
    assert check_program(SAFE[name]).verdict != Verdict.BLOCK, check_program(SAFE[name]).reasons


@pytest.mark.parametrize("name", ERRORS)
def test_every_erroneous_change_is_caught_by_its_rule(name):
    proposed, rule, verdict = ERRORS[name]
    result = check_program(proposed)
    fired = {r.rule: r.verdict for r in result.reasons}
    assert fired.get(rule) == verdict, result.reasons
    assert result.verdict in (Verdict.WARN, Verdict.BLOCK)
    assert all(r.source for r in result.reasons)


def test_spinal_step_of_30_percent_passes_and_30_point_1_blocks():
    assert "step_too_large" not in check_program(change(1000, 1300)).rules
    assert "step_too_large" in check_program(change(1000, 1301)).rules


def test_slip_ratio_within_two_percent_is_caught_and_beyond_is_not():
    assert "unit_slip_per_hour" in check_program(change(250, 250 * 24 * 1.019)).rules
    assert "unit_slip_per_hour" not in check_program(change(250, 250 * 24 * 1.03)).rules


def test_refill_lasting_past_stability_warns_without_a_planned_date():
    slow = change(
        40,
        40,
        2000,
        device=SM40,
        reservoir_mcg_per_ml=2000,
        current=Program.continuous(40, 2000),
        refill=Fill(40, 2000, "Lioresal"),
    )
    fired = {r.rule: r.verdict for r in check_program(slow).reasons}
    assert fired["stability_cap"] == Verdict.WARN


def test_block_is_overridden_only_with_a_written_reason():
    result = check_program(change(250, 350), override_reason="ICU, monitored")
    assert result.verdict == Verdict.BLOCK and result.may_send
    assert "ICU, monitored" in result.reasons[-1].text
    assert not check_program(change(250, 350)).may_send
    with pytest.raises(RegimenError):
        check_program(change(250, 350), override_reason="  ")


def test_a_clean_change_says_which_rule_passed_it():
    assert check_program(change(400, 440)).reasons[0].rule == "change_within_limits"
