"""Log-bin histograms: exact merging and quantiles within the bin resolution."""

from __future__ import annotations

import numpy as np
import pytest

from itbtwin.scale import LogBins


def test_histograms_of_parts_add_up_to_the_histogram_of_the_whole() -> None:
    bins = LogBins()
    values = np.random.default_rng(0).lognormal(2, 2, (3, 5000))
    whole = np.zeros((3, bins.size), np.int64)
    bins.count(values, whole)
    parts = np.zeros_like(whole)
    for part in np.array_split(values, 7, axis=1):
        bins.count(np.ascontiguousarray(part), parts)
    assert np.array_equal(whole, parts)


def test_quantiles_lie_within_the_bin_resolution_of_numpy() -> None:
    bins = LogBins(sub_bits=6)
    values = np.random.default_rng(1).lognormal(3, 1, (1, 20000))
    counts = np.zeros((1, bins.size), np.int64)
    bins.count(values, counts)
    probabilities = np.array([0.05, 0.5, 0.95])
    ours = bins.quantiles(counts, probabilities)[0]
    exact = np.quantile(values[0], probabilities, method="inverted_cdf")
    assert np.all(np.abs(ours / exact - 1) <= 2.0**-6)


def test_zeros_and_round_off_negatives_fall_in_the_underflow_bin() -> None:
    bins = LogBins()
    counts = np.zeros((1, bins.size), np.int64)
    bins.count(np.array([[0.0, -1e-18, 1e-30, 1e12]]), counts)
    assert counts[0, 0] == 3
    assert counts[0, -1] == 1
    assert bins.quantiles(counts[0], np.array([0.5]))[0] == 0.0


def test_bins_need_a_power_of_two_lowest_value() -> None:
    with pytest.raises(ValueError, match="power-of-two"):
        LogBins(lowest=0.001)
