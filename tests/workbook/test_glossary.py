"""The glossary labels every field of the workbook contract and every status and code, once."""

from __future__ import annotations

import json

import pytest

from auditor import glossary
from auditor.contracts.results import STATUSES
from auditor.engine.outcome import INDETERMINATE, VIOLATION
from auditor.paths import data_dir
from auditor.workbook import declarations as decl


def _schema_enum(name: str) -> list[str]:
    schema = json.loads((data_dir("standards") / "schema" / "requirement.schema.json").read_text())
    return schema["$defs"][name]["enum"] if name in schema["$defs"] else schema["properties"][name]["enum"]


def test_every_column_of_every_sheet_has_a_label():
    missing = [
        f"{sheet.name}.{column.name}"
        for sheet in decl.SHEETS
        for column in sheet.columns
        if column.name not in glossary.sheet_labels(sheet.name)
    ]
    assert missing == [], "add a label to auditor/glossary.yml for: " + ", ".join(missing)
    extra = [
        f"{name}.{column}"
        for name, labels in glossary.glossary()["fields"].items()
        for column in labels
        if name not in decl.SHEETS_BY_NAME or column not in decl.sheet(name).column_names
    ]
    assert extra == []  # a label of no column is a typo


def test_a_label_never_reads_as_another_column_of_its_sheet():
    # The reader accepts the label as a header: two columns must never share one.
    for sheet in decl.SHEETS:
        keys = {decl.normalise_name(c.name): c.name for c in sheet.columns}
        seen: dict[str, str] = {}
        for name, label in glossary.sheet_labels(sheet.name).items():
            key = decl.normalise_name(label)
            assert keys.get(key, name) == name, f"{sheet.name}: {label!r} reads as {keys[key]}"
            assert seen.setdefault(key, name) == name, f"{sheet.name}: {label!r} twice"


@pytest.mark.parametrize(
    ("group", "codes"),
    [
        ("statuses", STATUSES),
        ("verdicts", (VIOLATION, INDETERMINATE, "compliant")),
        ("aors", decl.AORS),
        ("facility_types", decl.FACILITY_TYPES),
        ("editions", decl.EDITIONS),
        ("confidence", _schema_enum("confidence_level")),
        ("areas", _schema_enum("area")),
        ("badges", ("P",)),
    ],
)
def test_every_code_has_a_label(group, codes):
    labels = glossary.glossary()[group]
    assert [c for c in codes if c not in labels] == []
    assert all(glossary.term(group, c) != c for c in codes)


def test_known_labels():
    assert glossary.term("aors", "SNA") == "San Antonio"
    assert glossary.term("facility_types", "IGSA") == "Intergovernmental Service Agreement facility"
    assert glossary.term("statuses", "indeterminate") == "Evidence needed"
    assert glossary.term("confidence", "V-2nd") == "Verified in secondary sources"
    assert glossary.term("aors", "XYZ") == "XYZ"  # unknown: shown as found, never dropped
    assert glossary.field_label("FoodTemps", "temp_f") == "Temperature (°F)"


def test_thresholds_read_in_labels():
    assert (
        glossary.humanise("field_office_notified within 14 days of start")
        == "Field office notified within 14 days of start"
    )
    assert (
        glossary.humanise("medical_screening within 12 hours of arrival and no later than release")
        == "Medical screening within 12 hours of arrival and no later than release"
    )
    assert (
        glossary.humanise("tb_screening within 5 days of arrival") == "TB screening within 5 days of arrival"
    )
    assert (
        glossary.humanise("at most 24 hours between checks of a placement, kind is hold-room")
        == "at most 24 hours between checks of a placement, kind is hold-room"
    )
    assert glossary.humanise("a value of unit_id") == "a value of unit"  # its sheets differ: `common`
    assert glossary.humanise("cpr_expires not before inspection_start") == (
        "CPR expires not before inspection start"
    )
