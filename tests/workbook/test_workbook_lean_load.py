"""`load(path, text=False)`: each sheet parsed as it is read and its text dropped in the reader child.

What the audit loads this way must be what `load(path)` gives: every problem (cell, value, message)
and every typed cell alike, for an .xlsx and a CSV folder (where Facility.csv comes after Checks.csv
in the folder's order, so the reader must take it first), with the text gone but for the Sample sheet's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import InspectionBuilder, problem_at, valid_sheets

from auditor.workbook import declarations as decl
from auditor.workbook.inspection import load


def spoiled() -> InspectionBuilder:
    """The valid inspection with a bad cell of each kind the cross-sheet and per-sheet checks find."""
    sheets = valid_sheets()
    sheets["Checks"][1]["placement_id"] = "P-404"  # row 3: no such placement (a reference, by its text)
    sheets["Checks"][0]["checked"] = "2026-03-01"  # row 2: a bare date in a datetime column
    sheets["Intake"][2]["arrival"] = "03/04/2026"  # row 4: ambiguous
    sheets["Intake"][1]["sex"] = "Q"  # row 3: not allowed
    sheets["Housing"][0]["toilets"] = "six"  # row 2: not a number
    builder = InspectionBuilder()
    for name, rows in sheets.items():
        builder.sheet(name, rows)
    return builder


@pytest.fixture(params=["xlsx", "csv"])
def inspection(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    builder = spoiled()
    return builder.xlsx(tmp_path / "in.xlsx") if request.param == "xlsx" else builder.csv(tmp_path / "in")


def test_a_lean_load_finds_every_problem_a_full_load_finds(inspection: Path) -> None:
    full, lean = load(inspection), load(inspection, text=False)
    pd.testing.assert_frame_equal(lean.problems.frame, full.problems.frame)
    letters = full.inspection.letters
    # the known answers, in both: the unknown placement keeps the text the inspector wrote
    for loaded in (full, lean):
        found = loaded.problems.frame
        unknown = problem_at(found, f"Checks!{letters['Checks']['placement_id']}3")
        assert (unknown["code"], unknown["value"]) == ("unknown_reference", "P-404")
        ambiguous = problem_at(found, f"Intake!{letters['Intake']['arrival']}4")
        assert (ambiguous["code"], ambiguous["value"]) == ("bad_date", "03/04/2026")
        assert problem_at(found, f"Intake!{letters['Intake']['sex']}3")["code"] == "not_allowed"
        assert problem_at(found, f"Housing!{letters['Housing']['toilets']}2")["code"] == "not_a_number"


def test_a_lean_load_types_every_cell_as_a_full_load_does(inspection: Path) -> None:
    full, lean = load(inspection), load(inspection, text=False)
    assert list(lean.inspection.sheets) == list(full.inspection.sheets)
    for name, frame in full.inspection.sheets.items():
        pd.testing.assert_frame_equal(lean.inspection.sheets[name], frame)
    assert lean.inspection.facility == full.inspection.facility
    assert lean.inspection.letters == full.inspection.letters
    assert (lean.inspection.inputs, lean.raw.sha256) == (full.inspection.inputs, full.raw.sha256)
    assert lean.raw.sources == full.raw.sources  # in the workbook's (folder's) order, Facility not first
    if inspection.is_dir():  # read Facility first, listed in the folder's order (Checks.csv before it)
        assert list(lean.raw.sources.values()) == sorted(lean.raw.sources.values())
    assert lean.inspection.date_only.keys() == full.inspection.date_only.keys()
    for name, columns in full.inspection.date_only.items():
        assert lean.inspection.date_only[name].keys() == columns.keys()
        for column, cells in columns.items():
            np.testing.assert_array_equal(lean.inspection.date_only[name][column], cells)
    # the bare date of Checks row 2 is known only to the day; row 3's time is not
    assert list(full.inspection.date_only["Checks"]["checked"][:2]) == [True, False]


def test_a_lean_load_holds_no_text_but_the_sample_sheets(tmp_path: Path) -> None:
    builder = InspectionBuilder().with_valid_sheets("Intake")
    builder.sheet(
        "Sample",
        [
            {"population_sheet": "Intake", "sheet_row": 9, "population": 3, "confidence": 0.9,
             "margin": 0.1, "expected_rate": 0.0, "seed": 7, "method": "simple random"},
        ],
    )  # fmt: skip
    path = builder.csv(tmp_path / "sampled")
    full, lean = load(path), load(path, text=False)
    assert lean.raw.sheets["Intake"].frame.shape == (0, 0)
    assert len(full.raw.sheets["Intake"].frame.columns) > 0
    pd.testing.assert_frame_equal(lean.raw.sheets["Sample"].frame, full.raw.sheets["Sample"].frame)
    pd.testing.assert_frame_equal(lean.problems.frame, full.problems.frame)
    assert problem_at(lean.problems.frame, "Sample!B2")["code"] == "sample_unknown_row"  # no Intake row 9


def test_a_folder_without_a_facility_sheet_is_refused_alike(tmp_path: Path) -> None:
    folder = InspectionBuilder().with_valid_sheets("Intake").csv(tmp_path / "nofacility")
    (folder / "Facility.csv").unlink()
    messages = []
    for text in (True, False):
        with pytest.raises(Exception) as refused:
            load(folder, text=text)
        messages.append(str(refused.value))
    assert messages[0] == messages[1] and "there is no Facility sheet" in messages[0]


def test_every_reference_column_is_text_so_its_typed_value_is_the_text_written() -> None:
    # references() reports an unknown reference with the typed value once the text is dropped
    for sheet in decl.SHEETS:
        for column, _, _ in sheet.references:
            assert sheet.column(column).kind is decl.Kind.TEXT, (sheet.name, column)


def test_a_time_zone_warning_needs_times_in_a_lean_load_too(tmp_path: Path) -> None:
    builder = InspectionBuilder().facility(state=None).with_valid_sheets("Housing")
    path = builder.csv(tmp_path / "notimes")
    assert "time_zone_unknown" not in set(load(path, text=False).problems.frame["code"])
    builder.with_valid_sheets("Intake")
    path = builder.csv(tmp_path / "times")
    codes = list(load(path, text=False).problems.frame["code"])
    assert codes.count("time_zone_unknown") == 1


def test_cells_are_trimmed_and_blank_ones_missing_copied_only_when_one_changes() -> None:
    import pyarrow as pa

    from auditor.workbook.read import _trim

    spaced = pa.chunked_array([pa.array([" x ", "", None, "y", "\u00a0z"])])
    plain = pa.chunked_array([pa.array(["P-001", "P-002", None, "P-004", "P-005"])])
    plain_data = plain.chunk(0).buffers()[2].address
    table = _trim(pa.table({"a": spaced, "b": plain}))
    assert table.column_names == ["0", "1"]
    assert table.column(0).to_pylist() == ["x", None, None, "y", "z"]  # a no-break space is a space
    assert table.column(1).to_pylist() == ["P-001", "P-002", None, "P-004", "P-005"]
    assert table.column(1).chunk(0).buffers()[2].address == plain_data  # nothing to trim: not copied


def test_ascii_text_is_not_decoded_whole_to_be_checked() -> None:
    from auditor.workbook.text_files import decode_text

    plain = decode_text(b"placement_id,checked\r\nP-001,2026-03-01 10:15\r\n", "Checks.csv")
    assert (plain.decoded, plain.encoding, plain.warning) == (None, "utf-8", None)
    assert plain.text == "placement_id,checked\r\nP-001,2026-03-01 10:15\r\n"
    lone = decode_text(b"a,b\r1,2\r", "Old.csv")  # classic Mac line ends: decoded and made LF
    assert (lone.text, lone.data) == ("a,b\n1,2\n", b"a,b\n1,2\n")
    accented = decode_text("name\nJosé\n".encode(), "Names.csv")
    assert (accented.decoded, accented.data) == ("name\nJosé\n", "name\nJosé\n".encode())
