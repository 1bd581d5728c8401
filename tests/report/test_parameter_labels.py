"""Every model parameter a report lists has a clinician's label with its unit (h41): the table
read "v_lumbar_ml"; the key stays beside the label for the pharmacometrician."""

from __future__ import annotations

import dataclasses

import pytest

from itbtwin.errors import ItbError
from itbtwin.patient import BaclofenPk, EffectParams
from itbtwin.report._parameter_labels import PARAMETER_LABELS, parameter_label


@pytest.mark.parametrize("model", [BaclofenPk, EffectParams])
def test_every_reported_parameter_of_each_model_has_a_label(model):
    reported = {f.name for f in dataclasses.fields(model) if "unit" in f.metadata}
    assert reported and reported <= PARAMETER_LABELS.keys(), reported - PARAMETER_LABELS.keys()


def test_a_label_carries_its_unit_and_a_ratio_none():
    assert parameter_label("v_lumbar_ml", "mL") == "Lumbar CSF volume (mL)"
    assert parameter_label("cl_csf_ml_h", "mL/h") == "Lumbar CSF clearance (mL/h)"
    assert parameter_label("f_oral", "1") == "Oral bioavailability"


def test_a_parameter_without_a_label_is_refused_not_spelt_out_from_its_key():
    with pytest.raises(ItbError, match="'v_new_ml' has no label"):
        parameter_label("v_new_ml", "mL")


def test_the_scenario_reports_parameter_table_reads_labels_then_keys(missed_refill_report):
    numbers = next(
        s for s in missed_refill_report.sections if s.title == "Model and device numbers"
    )
    table = numbers.blocks[0]
    assert table.header == ("model", "parameter", "key", "value", "description", "source")
    rows = {row[2]: row for row in table.rows}
    assert rows["v_lumbar_ml"][1] == "Lumbar CSF volume (mL)"
    assert rows["ec50_ng_ml"][1] == "EC50 for tone (ng/mL)"
