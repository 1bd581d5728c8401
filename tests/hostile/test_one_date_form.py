"""Issue 17: a date is typed one way, YYYY-MM-DD, at every edge. `date.fromisoformat` reads every
ISO 8601 form since Python 3.11, so a holiday `2026-W49-1` (an ISO week date), a birth date
`1980-001` (an ordinal date) or `20261207` were taken as dates nobody meant; the command line,
the web forms and the JSON import now read dates and times through one parser
(`itbtwin.typed_dates`) and refuse every other form, naming the one expected."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from itbtwin.errors import ItbError, RecordError, RegimenError
from itbtwin.typed_dates import parse_date, parse_datetime

OTHER_FORMS = ["2026-W49-1", "2026-W49", "2026-341", "20261207", "2026-12-7", "+2026-12-07"]


@pytest.mark.parametrize("text", [*OTHER_FORMS, "2026-02-30", "07/12/2026", "2026-12-07x", ""])
def test_issue_17_a_date_in_another_form_is_refused_naming_the_one_expected(text):
    with pytest.raises(RegimenError, match=r"the holiday .* is not a date YYYY-MM-DD"):
        parse_date(text, "the holiday", RegimenError)


def test_issue_17_a_date_typed_yyyy_mm_dd_is_read():
    assert parse_date(" 2026-12-07 ", "the holiday") == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "offset", "written"),
    [
        ("2026-W49-1T10:00", True, True),
        ("2026-341T10:00", True, True),
        ("20261207T1000", True, True),
        ("2026-12-07T10:00:00.5", False, False),
        ("2026-12-07T10:00+01:00", False, False),
    ],
)
def test_issue_17_a_time_in_another_form_is_none(text, offset, written):
    assert parse_datetime(text, offset=offset, written=written) is None


def test_issue_17_a_time_as_an_export_writes_it_is_read():
    assert parse_datetime(
        "2026-12-07T10:00:00.123456+01:00", written=True
    ) == datetime.fromisoformat("2026-12-07T10:00:00.123456+01:00")


@pytest.mark.parametrize("text", OTHER_FORMS)
def test_issue_17_schedule_and_refill_plan_refuse_a_holiday_in_another_form(cli, text):
    result = cli("refill", "plan", "examples/stable_sci_three_refills.toml", "--holiday", text)
    assert isinstance(result.exception, ItbError), result.output
    assert f"holiday {text!r} is not a date YYYY-MM-DD" in str(result.exception)


def test_issue_17_a_birth_date_in_another_form_is_refused_and_nobody_is_added(cli):
    assert cli("db", "upgrade").exit_code == 0
    args = ["patient", "add", "P1", "--weight", "70 kg", "--origin", "spinal"]
    result = cli(*args, "--birth-date", "1980-W01-1")
    assert isinstance(result.exception, ItbError), result.output
    assert "the birth date '1980-W01-1' is not a date YYYY-MM-DD" in str(result.exception)
    assert "P1" not in cli("patient", "list").output
    assert cli(*args, "--birth-date", "1980-01-01").exit_code == 0


def test_issue_17_the_demo_refuses_a_today_in_another_form_before_its_folder_is_made(cli, tmp_path):
    result = cli("demo", "--today", "2026-W49-1", "--size", "8", "--out", str(tmp_path / "d"))
    assert isinstance(result.exception, RecordError), result.output
    assert "--today '2026-W49-1' is not a date YYYY-MM-DD" in str(result.exception)
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize(
    ("value", "kind"),
    [("1980-W01-1", "date"), ("1980-001", "date"), ("2026-W49-1T10:00", "datetime")],
)
def test_issue_17_an_import_refuses_a_date_in_another_form(value, kind):
    from itbtwin.store._exchange_format import _typed

    with pytest.raises(RecordError, match=r"patients\[0\]\.birth_date: expected a date"):
        _typed(value, kind, "patients[0].birth_date")


def test_issue_17_a_web_form_refuses_a_time_in_another_form():
    from itbtwin.web._forms import FieldErrors

    errors, default = FieldErrors(), datetime(2026, 12, 7, 9, 0)
    assert errors.time({"at": "2026-W49-1T10:00"}, "at", default) == default
    assert errors == {"at": 'a clinic date and time "YYYY-MM-DD HH:MM"'}
    assert FieldErrors().time({"at": "2026-12-07T10:00"}, "at", default) == datetime(
        2026, 12, 7, 10, 0
    )
