"""The portfolio counts facilities: one row per facility (its latest inspection, earlier ones as its
history); the same inspection given twice counts once; no input is an error, not an empty PDF."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from report_scenarios import all_clear, pdf_text, squeeze

from auditor.contracts.results import Results
from auditor.report.portfolio import by_facility, most_often_deficient, portfolio_view


def inspection(results: Results, inspection_id: str, end: str, **facility: Any) -> Results:
    """A copy of `results` as another inspection (id and end date), of another facility if given."""
    data = results.to_dict()
    data["facility"] = {**data["facility"], **facility}
    data["inspection"] = {**data["inspection"], "inspection_id": inspection_id, "inspection_end": end}
    return Results.from_dict(data)


@pytest.fixture(scope="module")
def audits(small_results, scenario) -> dict[str, Results]:
    """Facility ELP inspected twice (failing in 2025, all clear in 2026), facility ATL once."""
    elp = {"facility_id": "ELP-CDF-0002", "facility_name": "Second County Detention Facility", "aor": "ELP"}
    return {
        "elp_2025": inspection(scenario.results, "ELP-2025", "2025-04-30", **elp),
        "elp_2026": all_clear(inspection(scenario.results, "ELP-2026", "2026-03-31", **elp)),
        "atl": small_results,
    }


def test_the_inspections_have_the_known_ratings(audits):
    assert audits["elp_2025"].summary.rating == "Does Not Meet Standards"
    assert audits["elp_2026"].summary.rating == "Meets Standards"
    assert audits["atl"].summary.rating == "Incomplete"
    assert audits["elp_2025"].summary.deficient > 0


def test_one_entry_per_facility_its_latest_inspection_first(audits):
    # Given newest first or oldest first, and ATL twice: two facilities, ELP's 2026 inspection latest.
    for order in (["elp_2025", "elp_2026", "atl", "atl"], ["atl", "elp_2026", "atl", "elp_2025"]):
        entries = {e.latest.facility["facility_id"]: e for e in by_facility([audits[k] for k in order])}
        assert sorted(entries) == ["ATL-SPC-0001", "ELP-CDF-0002"]
        assert entries["ELP-CDF-0002"].latest.inspection["inspection_id"] == "ELP-2026"
        assert [r.inspection["inspection_id"] for r in entries["ELP-CDF-0002"].earlier] == ["ELP-2025"]
        assert entries["ATL-SPC-0001"].earlier == []  # the same inspection twice is not its own history


def test_the_view_counts_facilities_and_their_latest_ratings(audits):
    view = portfolio_view([audits["elp_2025"], audits["elp_2026"], audits["atl"], audits["atl"]])
    assert view["total"] == 2
    assert view["inspections"] == 3
    assert view["ratings"] == [
        ("Does Not Meet Standards", 0, "fails"),  # ELP failed only in 2025, before its latest inspection
        ("Incomplete", 1, "incomplete"),
        ("Meets Standards", 1, "meets"),
    ]
    assert view["deficiencies"] == audits["atl"].summary.deficient  # ELP's latest has none
    # Deficiencies are counted over the latest inspections: 2025's are history, not a third facility.
    assert view["top"] == most_often_deficient([audits["elp_2026"], audits["atl"]])
    assert all(t["facilities"] <= 1 and t["assessed"] <= 2 for t in view["top"])
    only_2025 = {r.requirement_id for r in audits["elp_2025"].results if r.deficient} - {
        r.requirement_id for r in audits["atl"].results if r.deficient
    }
    assert only_2025 and not only_2025 & {t["id"] for t in view["top"]}
    elp = next(row for row in view["rows"] if row["id"] == "ELP-CDF-0002")
    assert (elp["inspection"], elp["date"], elp["rating"]) == ("ELP-2026", "2026-03-31", "Meets Standards")
    assert elp["history"] == [
        {
            "inspection": "ELP-2025",
            "date": "2025-04-30",
            "rating": "Does Not Meet Standards",
            "deficient": audits["elp_2025"].summary.deficient,
        }
    ]


@pytest.fixture
def files(audits, tmp_path) -> dict[str, Path]:
    folder = tmp_path / "results"
    folder.mkdir()
    written = {name: r.write(folder / f"{name}.json") for name, r in audits.items()}
    written["atl_copy"] = Path(shutil.copy(written["atl"], tmp_path / "atl-copy.json"))
    return written


def test_the_cli_counts_a_file_given_twice_and_its_copy_once(cli, files, tmp_path):
    out = tmp_path / "new" / "portfolio"  # a folder that does not exist yet: written with a slash
    reports = tmp_path / "reports"
    result = cli(
        "portfolio",
        files["atl"].parent,
        files["atl"],
        files["atl_copy"],
        "-o",
        f"{out}/",
        "--reports",
        reports,
    )
    assert result.exit_code == 0, result.output
    assert "2 facilities (their latest of 4 results files)" in squeeze(result.stdout)
    text = squeeze(pdf_text(out / "portfolio.pdf"))
    assert "Portfolio of 2 facilities (their latest of 3 inspections)" in text
    assert "earlier: ELP-2025, 2025-04-30 — Does Not Meet Standards" in text
    # one report per facility, of its latest inspection: ATL's file once, ELP's 2026 file
    assert sorted(p.name for p in reports.glob("*.pdf")) == ["atl.pdf", "elp_2026.pdf"]


def test_a_results_folder_with_nothing_in_it_is_an_error_and_writes_no_pdf(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "portfolio.pdf"
    result = cli("portfolio", empty, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no results files (*.json) in ")
    assert not out.exists()
