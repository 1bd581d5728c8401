"""Issue 17, h29 sweep: `pump implant --time-zone localtime` (whatever zone the machine is set
to), `posixrules`, `Factory` and `right/Europe/London` (a clock with leap seconds, 27 s off
civil time) were accepted as a pump's zone; a pump's clock follows a place."""

from __future__ import annotations

import pytest

from itbtwin.errors import ItbError
from itbtwin.pump import zone


@pytest.mark.parametrize(
    "name", ["localtime", "posixrules", "Factory", "right/Europe/London", "posix/Europe/London"]
)
def test_issue_17_a_zone_file_that_is_no_place_is_refused(name):
    with pytest.raises(ItbError, match=rf"time zone '{name}' is not a place"):
        zone(name)


def test_issue_17_implant_refuses_the_machines_own_zone(cli):
    assert cli("db", "upgrade").exit_code == 0
    assert cli("patient", "add", "P1", "--birth-date", "1980-05-01", "--weight", "75 kg",
               "--origin", "spinal").exit_code == 0  # fmt: skip
    result = cli(
        "pump", "implant", "P1", "--device", "synchromed2-20", "--serial", "S1",
        "--time-zone", "localtime", "--catheter", "8709SC", "--catheter-length", "50 cm",
        "--fill", "20 mL", "--concentration", "500 mcg/mL", "--daily-dose", "100 mcg/day",
    )  # fmt: skip
    assert isinstance(result.exception, ItbError), result.output
    assert "is not a place" in str(result.exception)
    assert "S1" not in cli("patient", "list").output
