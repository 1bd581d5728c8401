"""The device catalogue: every pump the issue names, sources on every number, clinic TOML files."""

from __future__ import annotations

import pytest

from itbtwin import sources
from itbtwin.errors import DeviceError
from itbtwin.pump import CATHETERS, DEVICES, find_catheter, find_device, load_devices


def test_catalogue_holds_the_pumps_the_issue_names() -> None:
    assert {
        "synchromed2-20",
        "synchromed2-40",
        "synchromed3",
        "prometra2-20",
        "prometra2-40",
        "prometra-20",
        "codman3000",
    } <= set(DEVICES)
    assert (
        DEVICES["synchromed2-20"].reservoir_ml == 20
        and DEVICES["synchromed2-40"].reservoir_ml == 40
    )
    assert DEVICES["codman3000"].kind == "constant_flow" and not DEVICES["codman3000"].has_alarms


@pytest.mark.parametrize("key", sorted(DEVICES))
def test_every_device_number_names_a_resolvable_source(key: str) -> None:
    device = DEVICES[key]
    for name, provenance in device.provenance.items():
        assert sources.check(provenance.source), name
    assert sources.check(device.source_of("reservoir_ml").source)


def test_values_from_memory_are_flagged_unverified_defaults() -> None:
    synchromed = DEVICES["synchromed2-20"]
    assert {"min_rate_ml_per_day", "max_rate_ml_per_day", "pump_volume_ml"} <= set(
        synchromed.unverified()
    )
    assert "flex_step_limit" not in synchromed.unverified()
    assert synchromed.source_of("low_reservoir_alarm_ml").source == "synchromed2:S25"
    assert all(not c.provenance.verified for c in CATHETERS.values())


def test_pocket_fill_threshold_is_1_ml_for_20_ml_and_2_ml_for_40_ml_pumps() -> None:
    assert DEVICES["synchromed2-20"].pocket_fill_threshold_ml == 1.0
    assert DEVICES["synchromed2-40"].pocket_fill_threshold_ml == 2.0


def test_synchromed_battery_stops_90_days_after_eri_and_at_7_years() -> None:
    device = DEVICES["synchromed2-20"]
    assert device.eri_to_stop_h == 90 * 24
    assert device.eos_h == 7 * 365.25 * 24


def test_unknown_device_names_the_known_ones() -> None:
    with pytest.raises(DeviceError, match="synchromed2-20"):
        find_device("synchromed9")
    with pytest.raises(DeviceError, match="8709SC"):
        find_catheter("nope")


def test_clinic_device_file_overrides_a_base_and_records_its_provenance(tmp_path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text(
        '[device.ours]\nbase = "synchromed2-20"\nverified = true\nmin_rate = "0.05 mL/day"\n'
        'low_reservoir_alarm = "4 mL"\n\n[catheter.ours]\nvolume_per_cm = "0.003 mL"\n'
    )
    devices, catheters = load_devices(path)
    ours = devices["ours"]
    assert ours.min_rate_ml_per_day == 0.05 and ours.low_reservoir_alarm_ml == 4.0
    assert ours.source_of("min_rate_ml_per_day").source == "clinic"
    assert "min_rate_ml_per_day" not in ours.unverified()
    assert catheters["ours"].volume_ml(100) == pytest.approx(0.3)


def test_clinic_device_file_errors_name_the_device(tmp_path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text('[device.bad]\nbase = "synchromed2-20"\nlow_reservoir_alarm = "9 mL"\n')
    with pytest.raises(DeviceError, match=r"device\.bad.*outside its range"):
        load_devices(path)
    path.write_text('[device.bad]\nbase = "synchromed2-20"\ncolour = "red"\n')
    with pytest.raises(DeviceError, match="unknown device key 'colour'"):
        load_devices(path)


def test_docs_list_every_device_and_fault_kind() -> None:
    from pathlib import Path

    from itbtwin.pump import FAULT_KINDS

    docs = (Path(__file__).parents[2] / "docs" / "pump.md").read_text()
    for key in DEVICES:
        assert f"| `{key}` |" in docs, key
    for kind in FAULT_KINDS:
        assert f"`{kind}`" in docs, kind


def test_every_public_name_of_the_pump_package_is_documented() -> None:
    import itbtwin.pump as pump

    for name in dir(pump):
        if not name.startswith("_"):
            obj = getattr(pump, name)
            if callable(obj):
                assert obj.__doc__, name
