"""Issue 17 leftover 5: imported times are checked as typed ones are. In the pump's zone a time
in the hour the clocks repeated needs its UTC offset, and a time in the future (a refill dated
next year) is refused with its row named; a planned program change may lie ahead. An export
writes the offset of such a time, so a clinic still round-trips through JSON and FHIR."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from exchange.conftest import NOW, build_clinic
from itbtwin import store
from itbtwin.errors import RecordError
from itbtwin.store._exchange_format import read_clinic
from itbtwin.store._fhir_import import bundle_clinic

LONDON = ZoneInfo("Europe/London")
REPEATED = datetime(2026, 10, 25, 1, 30)
"""01:30 on 25 Oct 2026 happened twice in London: BST (+01:00), then GMT (+00:00)."""
REFILL = "patients[0].pumps[0].refills[1]"
"""P001's refill on 1 Oct 2026 in the small clinic (`exchange.conftest.build_clinic`)."""


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    """The small clinic plus an event at 01:30 BST on 25 Oct, as itbtwin JSON and FHIR."""
    engine = store.open_engine(f"sqlite:///{tmp_path_factory.mktemp('clinic') / 'c.db'}")
    build_clinic(engine)
    with store.transaction(engine) as session:
        pump = store.find_pump(session, "NGP001")
        store.record_event(
            session, "nurse", pump, occurred_at=REPEATED.replace(tzinfo=LONDON),
            kind="interrogation", detail="", now=NOW,
        )  # fmt: skip
    with store.transaction(engine) as session:
        found = {"clinic": store.export_clinic(session), "fhir": store.export_fhir(session)}
    engine.dispose()
    return json.loads(json.dumps(found, default=str))


def _with(document: dict, path: list, value: object) -> dict:
    changed = copy.deepcopy(document)
    where = changed
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    return changed


def _refill_at(exported: dict, text: str) -> dict:
    return _with(
        exported["clinic"], ["patients", 0, "pumps", 0, "refills", 1, "performed_at"], text
    )


def test_issue_17_an_export_writes_the_offset_of_a_time_in_the_repeated_hour(exported):
    events = exported["clinic"]["patients"][0]["pumps"][0]["events"]
    assert [e["occurred_at"] for e in events] == ["2026-10-25T01:30:00+01:00"]


@pytest.mark.parametrize("kind", ["clinic", "fhir"])
def test_issue_17_a_clinic_with_a_repeated_hour_round_trips(exported, kind):
    document = exported["clinic"] if kind == "clinic" else bundle_clinic(exported["fhir"])
    events = read_clinic(document)["patients"][0]["pumps"][0]["events"]
    assert [e["occurred_at"] for e in events] == [REPEATED]


def test_issue_17_an_imported_time_in_the_repeated_hour_without_offset_is_refused(exported):
    with pytest.raises(RecordError) as caught:
        read_clinic(_refill_at(exported, "2026-10-25T01:30:00"))
    message = str(caught.value)
    assert message.startswith(f"{REFILL}: performed_at at 2026-10-25 01:30 happened twice")
    assert "+01:00 or +00:00" in message


@pytest.mark.parametrize(
    ("given", "wall"), [("01:30:00+01:00", "01:30"), ("02:30:00+02:00", "01:30")]
)
def test_issue_17_an_imported_time_with_its_offset_is_the_pumps_wall_time(exported, given, wall):
    document = read_clinic(_refill_at(exported, f"2026-10-25T{given}"))
    at = document["patients"][0]["pumps"][0]["refills"][1]["performed_at"]
    assert f"{at:%H:%M}" == wall and at.tzinfo is None


SECOND_HOUR = (
    "2026-10-25 01:30+00:00 is in the second of the two repeated hours in Europe/London (the "
    "clocks went back): the records keep the pump's wall-clock time and read a repeated hour as "
    "the first, so this time would be taken an hour early; give 2026-10-25 02:00"
)
"""The refusal of the second 01:30 (GMT), which the records would store as the first (BST)."""


def test_issue_17_an_imported_time_in_the_second_repeated_hour_is_refused(exported):
    with pytest.raises(RecordError) as caught:
        read_clinic(_refill_at(exported, "2026-10-25T01:30:00+00:00"))
    assert str(caught.value).startswith(f"{REFILL}: performed_at at {SECOND_HOUR}")


def test_issue_17_a_fhir_time_in_the_second_repeated_hour_is_refused(exported):
    bundle = copy.deepcopy(exported["fhir"])
    moved = 0
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for field in ("effectiveDateTime", "performedDateTime"):
            if str(resource.get(field, "")).startswith("2026-10-25T01:30:00"):
                resource[field] = "2026-10-25T01:30:00+00:00"
                moved += 1
    assert moved  # the interrogation at the first 01:30
    with pytest.raises(RecordError) as caught:
        read_clinic(bundle_clinic(bundle))
    assert f"occurred_at at {SECOND_HOUR}" in str(caught.value)


def test_issue_17_import_of_the_second_repeated_hour_changes_nothing(
    cli, tmp_path, exported, database_url
):
    url = database_url
    assert cli("db", "upgrade", "--database", url).exit_code == 0
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(_refill_at(exported, "2026-10-25T01:30:00+00:00")))
    result = cli("import", str(path), "--database", url)
    assert result.exit_code == 2
    assert SECOND_HOUR in result.output.replace("\n", " ")
    assert cli("patient", "list", "--json", "--database", url).stdout.count("P00") == 0


def test_issue_17_an_imported_time_the_clocks_skipped_is_refused(exported):
    with pytest.raises(RecordError) as caught:
        read_clinic(_refill_at(exported, "2026-03-29T01:30:00"))
    assert str(caught.value).startswith(
        f"{REFILL}: performed_at at 2026-03-29 01:30 did not happen"
    )


def test_issue_17_a_refill_dated_next_year_is_refused_naming_the_row(exported):
    next_year = (datetime.now() + timedelta(days=365)).replace(microsecond=0)
    with pytest.raises(RecordError) as caught:
        read_clinic(_refill_at(exported, next_year.isoformat()))
    assert str(caught.value).startswith(f"{REFILL}: performed_at at {next_year:%Y-%m-%d %H:%M}")
    assert "is in the future" in str(caught.value)


def test_issue_17_a_time_minutes_ahead_is_a_clock_difference_not_the_future(exported):
    ahead = datetime.now(LONDON).replace(tzinfo=None) + timedelta(minutes=2)
    event = ["patients", 0, "pumps", 0, "events", 0, "occurred_at"]
    assert read_clinic(_with(exported["clinic"], event, ahead.isoformat()))


@pytest.mark.parametrize(
    ("path", "row"),
    [
        (["audit", 0, "at"], "audit[0]: at at"),
        (["patients", 1, "pumps", 0, "events", 0, "occurred_at"], "patients[1].pumps[0].events[0]"),
        (["patients", 0, "assessments", 0, "assessed_at"], "patients[0].assessments[0]"),
    ],
)
def test_issue_17_any_recorded_time_in_the_future_is_refused(exported, path, row):
    with pytest.raises(RecordError, match="is in the future") as caught:
        read_clinic(_with(exported["clinic"], path, "2099-01-01T10:00:00"))
    assert str(caught.value).startswith(row)


def test_issue_17_a_planned_program_change_may_lie_ahead(exported):
    ahead = (datetime.now() + timedelta(days=30)).replace(microsecond=0)
    path = ["patients", 0, "pumps", 0, "programs", 1, "effective_at"]
    document = read_clinic(_with(exported["clinic"], path, ahead.isoformat()))
    assert document["patients"][0]["pumps"][0]["programs"][1]["effective_at"] == ahead


def test_issue_17_import_of_a_future_refill_is_one_line_and_changes_nothing(
    cli, tmp_path, exported, database_url
):
    url = database_url
    assert cli("db", "upgrade", "--database", url).exit_code == 0
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(_refill_at(exported, "2099-01-01T10:00:00")))
    result = cli("import", str(path), "--database", url)
    assert result.exit_code == 2
    assert "performed_at at 2099-01-01 10:00 is in the future" in result.output
    assert cli("patient", "list", "--json", "--database", url).stdout.count("P00") == 0
