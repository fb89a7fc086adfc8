"""`auditor validate --annotate OUT`: a copy with every bad cell filled and commented."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from builders import at, sha256

RED, YELLOW = "00F8B4B4", "00FDE68A"


def annotated(cli, source: Path, out: Path) -> openpyxl.Workbook:
    before = sha256(source)
    result = cli("validate", source, "--annotate", out)
    assert result.exit_code == 1, result.output
    assert sha256(source) == before, "the input was modified"
    assert f"Annotated copy: {out}" in result.stdout
    return openpyxl.load_workbook(out)


def spoiled(builder):
    """Intake: C2 not allowed (error), D1 an unknown column (warning); Checks without Placements."""
    return builder.sheet("Intake", [
        {"detainee_id": "A1", "arrival": at("2026-01-05 08:00"), "sex": "Q", "notes": "x"},
        {"detainee_id": "A2", "arrival": at("2026-01-06 08:00"), "sex": "F", "notes": "=1+1"},
    ]).sheet("Checks", [{"placement_id": "P1", "checked": at("2026-01-06 09:00")}])


def test_the_copy_marks_each_bad_cell_and_lists_every_problem(cli, builder, tmp_path):
    source = spoiled(builder).xlsx(tmp_path / "in.xlsx")
    book = annotated(cli, source, tmp_path / "out.xlsx")
    assert book.sheetnames == ["Problems", "Facility", "Intake", "Checks"]
    bad = book["Intake"]["C2"]
    assert bad.fill.fgColor.rgb == RED
    assert bad.comment.text == (
        "ERROR: not one of the allowed values. Expected one of F, M, X"
    )
    assert book["Intake"]["D1"].fill.fgColor.rgb == YELLOW
    assert book["Intake"]["D1"].comment.text.startswith("WARNING: column 'notes' is not part of")
    assert book["Intake"]["B2"].comment is None and book["Intake"]["B2"].fill.fgColor.rgb != RED
    summary = [[c.value for c in row] for row in book["Problems"].iter_rows()]
    assert summary[0] == ["severity", "sheet", "cell", "column", "value", "problem", "expected"]
    assert [row[:5] for row in summary[1:]] == [
        ["error", "Intake", "C2", "sex", "Q"],
        ["warning", "Intake", "D1", "notes", "notes"],
        ["warning", "Checks", None, None, None],  # a sheet-level problem is listed too
    ]
    assert book["Problems"]["C2"].hyperlink.location is None
    assert book["Problems"]["C2"].hyperlink.target == "#'Intake'!C2"


def test_the_copy_of_a_csv_folder_is_built_from_the_csv_text(cli, builder, tmp_path):
    source = spoiled(builder).csv(tmp_path / "in")
    book = annotated(cli, source, tmp_path / "out.xlsx")
    assert book.sheetnames == ["Problems", "Checks", "Facility", "Intake"]
    intake = book["Intake"]
    assert [c.value for c in intake[1]] == ["detainee_id", "arrival", "sex", "notes"]
    assert [c.value for c in intake[3]] == ["A2", "2026-01-06 08:00", "F", "=1+1"]
    formula_like = intake["D3"]
    assert (formula_like.data_type, formula_like.value) == ("s", "=1+1")  # text, never a formula
    assert intake["C2"].fill.fgColor.rgb == RED and intake["C2"].comment is not None
    assert book["Facility"]["A5"].value == "aor" and book["Facility"]["B5"].value == "ATL"


def test_a_problem_inside_merged_cells_is_marked_on_the_first_cell(cli, builder, tmp_path):
    source = builder.sheet("Housing", [
        {"unit_id": "A-1", "rated_capacity": 40, "population": 31},
        {"unit_id": "B-1", "rated_capacity": 20, "population": None},
    ]).xlsx(tmp_path / "in.xlsx")
    book = openpyxl.load_workbook(source)
    book["Housing"].merge_cells("B3:C3")
    book.save(source)
    anchor = annotated(cli, source, tmp_path / "out.xlsx")["Housing"]["B3"]
    assert anchor.fill.fgColor.rgb == RED
    assert anchor.comment.text.splitlines() == [  # errors first, as everywhere
        "C3: ERROR: a value is required here. Expected a whole number ≥ 0",
        "WARNING: merged cells B3:C3: only the first cell keeps its value; unmerge them and fill every cell",
    ]


def test_an_inspector_sheet_named_problems_is_kept(cli, builder, tmp_path):
    source = spoiled(builder).sheet("Problems", [{"what": "our own list"}]).xlsx(tmp_path / "in.xlsx")
    book = annotated(cli, source, tmp_path / "out.xlsx")
    assert book.sheetnames[0] == "Problems (auditor)"
    assert book["Problems"]["A2"].value == "our own list"


def test_the_copy_never_overwrites_the_input(cli, builder, tmp_path):
    source = spoiled(builder).xlsx(tmp_path / "in.xlsx")
    before = sha256(source)
    result = cli("validate", source, "--annotate", source)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip() == (
        f"error: {source}: the annotated copy must not overwrite the input; choose another name"
    )
    assert sha256(source) == before
