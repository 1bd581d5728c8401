"""A share typed as a percentage (`units.parse_share`): what the CLI's `pump event --share` and
the web's event form read, one rule for both (h39)."""

from __future__ import annotations

import pytest

from itbtwin.errors import UnitError
from itbtwin.units import parse_share


@pytest.mark.parametrize(("text", "share"), [("30 %", 0.3), ("30%", 0.3), (" 100 % ", 1.0)])
def test_a_percentage_reads_as_a_share(text, share):
    assert parse_share(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["0.3", "30", "0 %", "130 %", "-5 %", "thirty %", "%", "nan %"])
def test_a_share_without_its_percent_sign_or_outside_0_to_100_is_refused(text):
    with pytest.raises(UnitError, match="must be a percentage above 0 and at most 100"):
        parse_share(text)
