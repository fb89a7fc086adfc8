"""`auditor sample`: a seeded, reproducible draw written as a Sample sheet into a copy of the workbook,
and what the filled sheet becomes in the results JSON and the facility report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from builders import InspectionBuilder, sha256
from openpyxl import load_workbook
from scipy.stats import beta

from auditor.sampling.draw import draw
from auditor.sampling.size import Design

GRIEVANCES = 30


def grievances() -> list[dict]:
    start = dt.datetime(2026, 2, 1, 8, 0)
    return [
        {"grievance_id": f"G{i:03d}", "kind": "informal", "received": start + dt.timedelta(hours=i)}
        for i in range(1, GRIEVANCES + 1)
    ]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return InspectionBuilder().sheet("Grievances", grievances()).xlsx(tmp_path / "inspection.xlsx")


def sample_rows(path: Path) -> list[dict]:
    ws = load_workbook(path)["Sample"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_draw_is_sized_by_hand_and_written_with_its_seed_and_method(cli, workbook, tmp_path):
    # 30 grievances, 10 % tolerable, none expected, 95 %: ceil(0.1 × 30) = 3 deviant records are all
    # missed with probability (30-n)(29-n)(28-n) / (30·29·28): n = 18 gives 1320/24360 = 0.054 > 0.05,
    # n = 19 gives 990/24360 = 0.041 ≤ 0.05. So 19 records.
    before = sha256(workbook)
    out = tmp_path / "sampled.xlsx"
    done = cli("sample", workbook, "--sheet", "grievances", "--margin", "0.10", "--seed", "42", "-o", out)
    assert done.exit_code == 0, done.output
    assert "Sample: 19 of 30 Grievances records, seed 42" in done.output
    rows = sample_rows(out)
    assert len(rows) == 19
    sheet_rows = [r["sheet_row"] for r in rows]
    assert sheet_rows == sorted(set(sheet_rows)) and min(sheet_rows) >= 2 and max(sheet_rows) <= 31
    # the key is the record's own id, from the row it names (row 2 holds G001)
    assert all(r["record_key"] == f"G{r['sheet_row'] - 1:03d}" for r in rows)
    first = rows[0]
    assert (first["population_sheet"], first["population"], first["seed"]) == ("Grievances", 30, 42)
    assert (first["confidence"], first["margin"], first["expected_rate"]) == (0.95, 0.10, 0)
    assert "default_rng(42).choice(30, 19, replace=False)" in first["method"]
    assert "hypergeometric" in first["method"]
    assert all(r["compliant"] is None and r["note"] is None for r in rows)
    dropdowns = [
        dv for dv in load_workbook(out)["Sample"].data_validations.dataValidation if dv.type == "list"
    ]
    assert [dv.formula1 for dv in dropdowns] == ['"Yes,No"']
    assert str(dropdowns[0].sqref) == "D2:D20"
    assert sha256(workbook) == before  # the input is never modified
    assert cli("validate", out).exit_code == 0  # the copy is a valid inspection


def test_the_same_seed_draws_the_same_records_and_another_seed_others(cli, workbook, tmp_path):
    runs = {}
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        out = tmp_path / f"{name}.xlsx"
        assert cli("sample", workbook, "--sheet", "Grievances", "--seed", seed, "-o", out).exit_code == 0
        runs[name] = [r["sheet_row"] for r in sample_rows(out)]
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]
    # and the draw itself, from the stored seed and population, repeats the sheet's rows
    again = draw("Grievances", range(2, 32), Design(0.95, 0.05), seed=7)
    assert again.rows.tolist() == runs["a"]


def test_without_a_seed_a_fresh_one_is_printed_and_stored(cli, workbook, tmp_path):
    out = tmp_path / "fresh.xlsx"
    done = cli("sample", workbook, "--sheet", "Grievances", "-o", out)
    assert done.exit_code == 0, done.output
    seed = sample_rows(out)[0]["seed"]
    assert f"seed {seed} " in done.output
    assert [r["sheet_row"] for r in sample_rows(out)] == draw(
        "Grievances", range(2, 32), Design(0.95, 0.05), seed=seed
    ).rows.tolist()


def test_a_csv_folder_is_sampled_into_an_xlsx_copy(cli, tmp_path):
    folder = InspectionBuilder().sheet("Grievances", grievances()).csv(tmp_path / "folder")
    done = cli("sample", folder, "--sheet", "Grievances", "--seed", "3", "-o", f"{tmp_path}/out/")
    assert done.exit_code == 0, done.output
    # 30 records, 5 % tolerable: ceil(1.5) = 2 deviant ones, both missed with probability
    # (30-n)(29-n)/870: n = 22 gives 56/870 = 0.064, n = 23 gives 42/870 = 0.048 ≤ 0.05
    assert len(sample_rows(tmp_path / "out" / "folder-sample.xlsx")) == 23


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--sheet", "Grievances", "--margin", "0"), 2, "error: margin must be from 0.01 to 0.5"),
        (("--sheet", "Grievances", "--confidence", "1.5"), 2, "error: confidence must be from 0.5 to 0.999"),
        (("--sheet", "Grievances", "--expected-rate", "0.99"), 2, "error: expected rate must be from 0"),
        (("--sheet", "Facility"), 2, "error: --sheet 'Facility': records are sampled from one of Intake"),
        (("--sheet", "Intake"), 1, "has no Intake records to sample"),
        (("--sheet", "Grievances", "--seed", "-1"), 2, "error: Invalid value for '--seed'"),
    ],
)
def test_what_cannot_be_drawn_is_one_line_and_its_exit_code(cli, workbook, tmp_path, args, code, message):
    done = cli("sample", workbook, *args, "-o", tmp_path / "never.xlsx")
    assert done.exit_code == code, done.output
    assert message in done.output
    assert "Traceback" not in done.output
    assert not (tmp_path / "never.xlsx").exists()


def test_a_workbook_with_errors_or_a_sample_already_is_refused(cli, tmp_path, workbook):
    bad = InspectionBuilder().sheet(
        "Grievances", [{"grievance_id": "G1", "kind": "nonsense", "received": None}]
    )
    done = cli("sample", bad.xlsx(tmp_path / "bad.xlsx"), "--sheet", "Grievances", "-o", tmp_path / "o.xlsx")
    assert done.exit_code == 1 and "errors: a sample is drawn from a valid workbook" in done.output
    first = tmp_path / "first.xlsx"
    assert cli("sample", workbook, "--sheet", "Grievances", "--seed", "1", "-o", first).exit_code == 0
    again = cli("sample", first, "--sheet", "Grievances", "-o", tmp_path / "second.xlsx")
    assert again.exit_code == 1 and "already has a Sample sheet" in again.output
    same = cli("sample", workbook, "--sheet", "Grievances", "-o", workbook)
    assert same.exit_code == 1 and "must not overwrite the input" in same.output


def fill(path: Path, out: Path, findings: dict[int, tuple[str | None, str | None]]) -> Path:
    """The inspector's review: {index of the Sample row: (compliant, note)}."""
    book = load_workbook(path)
    ws = book["Sample"]
    for index, (found, note) in findings.items():
        ws.cell(row=index + 2, column=4).value = found
        ws.cell(row=index + 2, column=5).value = note
    book.save(out)
    return out


def test_a_filled_sample_is_stated_with_its_exact_interval_in_the_json_and_the_report(
    cli, workbook, tmp_path
):
    drawn = tmp_path / "drawn.xlsx"
    assert cli("sample", workbook, "--sheet", "Grievances", "--margin", "0.10", "--seed", "42", "-o", drawn)
    # 19 drawn: 18 reviewed (2 not compliant, 16 compliant), the last left blank
    findings = {i: ("Yes", None) for i in range(18)} | {4: ("No", "no answer on file"), 9: ("No", None)}
    filled = fill(drawn, tmp_path / "filled.xlsx", findings)
    out = tmp_path / "results.json"
    done = cli("audit", filled, "-f", "json", "-o", out)
    assert done.exit_code == 0, done.output
    [sample] = json.loads(out.read_text(encoding="utf-8"))["samples"]
    rows = sample_rows(drawn)
    assert {k: sample[k] for k in ("sheet", "population", "drawn", "reviewed", "not_compliant", "seed")} == {
        "sheet": "Grievances",
        "population": 30,
        "drawn": 19,
        "reviewed": 18,
        "not_compliant": 2,
        "seed": 42,
    }
    assert sample["rate"] == pytest.approx(2 / 18)
    # Clopper-Pearson by its beta-quantile form: Beta(α/2; k, n-k+1) and Beta(1-α/2; k+1, n-k)
    assert sample["interval"] == pytest.approx([beta.ppf(0.025, 2, 17), beta.ppf(0.975, 3, 16)], abs=1e-9)
    assert sample["statement"] == "found in 2 of 18 sampled records (95 % CI 1.4 %–34.7 %)"
    assert sample["not_compliant_records"] == [
        {"sample_row": 6, "sheet_row": rows[4]["sheet_row"], "note": "no answer on file"},
        {"sample_row": 11, "sheet_row": rows[9]["sheet_row"], "note": None},
    ]
    from auditor.contracts.results import Results
    from auditor.report.facility import facility_html

    html = facility_html(Results.read(out))
    assert "File reviews by sample" in html
    assert "found in 2 of 18 sampled records (95 % CI 1.4 %–34.7 %)" in html
    assert "1 not reviewed yet" in html


def test_an_inspection_without_a_sample_has_an_empty_samples_list_and_no_section(cli, workbook, tmp_path):
    out = tmp_path / "results.json"
    assert cli("audit", workbook, "-f", "json", "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["samples"] == []
    from auditor.contracts.results import Results
    from auditor.report.facility import facility_html

    assert "File reviews by sample" not in facility_html(Results.read(out))


def test_the_sample_sheet_is_checked_by_the_workbook_contract(cli, workbook, tmp_path):
    drawn = tmp_path / "drawn.xlsx"
    assert cli("sample", workbook, "--sheet", "Grievances", "--seed", "5", "-o", drawn).exit_code == 0
    filled = fill(drawn, tmp_path / "maybe.xlsx", {0: ("Maybe", None)})
    done = cli("validate", filled)
    assert done.exit_code == 1
    assert "Sample!D2" in done.output


def test_a_key_that_looks_like_a_formula_stays_text_in_the_sample_sheet(cli, tmp_path):
    hostile = grievances()[:3]
    hostile[0]["grievance_id"] = '=HYPERLINK("http://x","y")'
    path = InspectionBuilder().sheet("Grievances", hostile).xlsx(tmp_path / "hostile.xlsx")
    out = tmp_path / "sampled.xlsx"
    # 3 records at 10 % tolerable: one deviant record, missed by any draw short of all 3: a census
    done = cli("sample", path, "--sheet", "Grievances", "--margin", "0.10", "--seed", "1", "-o", out)
    assert done.exit_code == 0, done.output
    assert "Sample: 3 of 3 Grievances records (every record: a census)" in done.output
    cell = load_workbook(out)["Sample"]["C2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")
