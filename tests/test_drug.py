"""The drug catalogue: US products and concentrations; anything else is flagged compounded."""

from __future__ import annotations

import pytest

from itbtwin.drug import DOSE_RANGES, PRODUCTS, dose_range_for, find_product, match_concentration
from itbtwin.errors import ParameterError, ProductError


@pytest.mark.parametrize("strength", [50, 500, 1000, 2000])
def test_marketed_strengths_are_found_with_their_source(strength: float) -> None:
    match = match_concentration(strength)
    assert not match.compounded
    assert all(p.source.startswith("label") for p in match.products)


def test_lioresal_strengths_are_those_of_the_label() -> None:
    lioresal = {p.concentration_mcg_per_ml for p in PRODUCTS if p.brand.startswith("Lioresal")}
    assert lioresal == {50, 500, 2000}


@pytest.mark.parametrize("strength", [1500, 4000, 250])
def test_other_concentrations_are_flagged_compounded(strength: float) -> None:
    match = match_concentration(strength)
    assert match.compounded and "compounded" in match.note


def test_gablofen_3000_is_flagged_as_not_confirmed_marketed() -> None:
    match = match_concentration(3000)
    assert match.compounded and "not confirmed" in match.note


def test_unknown_product_names_the_known_ones() -> None:
    assert find_product("gablofen", 1000).brand == "Gablofen"
    with pytest.raises(ProductError, match="Lioresal Intrathecal 2000 mcg/mL"):
        find_product("Lioresal", 1000)


def test_non_positive_concentration_is_an_error() -> None:
    with pytest.raises(ProductError):
        match_concentration(0)


def test_dose_ranges_are_the_labels() -> None:
    spinal, cerebral = DOSE_RANGES["spinal"], DOSE_RANGES["cerebral"]
    assert (spinal.typical_low_mcg_per_day, spinal.typical_high_mcg_per_day) == (300, 800)
    assert (spinal.observed_low_mcg_per_day, spinal.observed_high_mcg_per_day) == (12, 2003)
    assert (cerebral.typical_low_mcg_per_day, cerebral.typical_high_mcg_per_day) == (90, 703)
    assert dose_range_for("spinal", 8).mean_mcg_per_day == 274
    with pytest.raises(ParameterError, match="unknown origin"):
        dose_range_for("muscular", 40)
