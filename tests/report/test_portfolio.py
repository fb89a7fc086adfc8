"""The portfolio report across facilities, and every facility's report rendered on both cores."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_scenarios import all_clear, pdf_text, squeeze, variant

from auditor.contracts.results import Results
from auditor.report import portfolio as portfolio_module
from auditor.report.portfolio import facility_reports, most_often_deficient, portfolio_html, portfolio_view

NAMES = {
    "ATL-SPC-0001": "Fictional Service Processing Center",
    "ELP-CDF-0002": "Second County Detention Facility",
    "SEA-IGSA-0003": "Third Regional Jail",
    "NEW-IGSA-0004": "Fourth Hudson Correctional Facility",
}


@pytest.fixture(scope="module")
def facilities(small_results, scenario) -> list[Results]:
    """Four facilities: Incomplete (ATL SPC), Does Not Meet (ELP CDF), Meets twice (SEA and NEW IGSA)."""
    return [
        small_results,
        variant(scenario.results, facility_id="ELP-CDF-0002", facility_name=NAMES["ELP-CDF-0002"],
                facility_type="CDF", aor="ELP"),
        all_clear(variant(small_results, facility_id="SEA-IGSA-0003", facility_name=NAMES["SEA-IGSA-0003"],
                          facility_type="IGSA", aor="SEA")),
        all_clear(variant(scenario.results, facility_id="NEW-IGSA-0004", facility_name=NAMES["NEW-IGSA-0004"],
                          facility_type="IGSA", aor="NEW")),
    ]


@pytest.fixture(scope="module")
def files(facilities, tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("results")
    return [r.write(folder / f"{r.facility['facility_id']}.json") for r in facilities]


def test_the_facilities_have_the_known_ratings(facilities):
    assert [r.summary.rating for r in facilities] == [
        "Incomplete",
        "Does Not Meet Standards",
        "Meets Standards",
        "Meets Standards",
    ]


def test_portfolio_view_rows_and_counts(facilities):
    view = portfolio_view(facilities)
    assert view["total"] == 4
    assert view["ratings"] == [
        ("Does Not Meet Standards", 1, "fails"),
        ("Incomplete", 1, "incomplete"),
        ("Meets Standards", 2, "meets"),
    ]
    # the worst first, then by name
    assert [row["id"] for row in view["rows"]] == [
        "ELP-CDF-0002",
        "ATL-SPC-0001",
        "NEW-IGSA-0004",
        "SEA-IGSA-0003",
    ]
    elp = view["rows"][0]
    assert (elp["deficient"], elp["priority"], elp["repeat"], elp["date"]) == (14, 3, 4, "2026-04-09")
    assert view["deficiencies"] == 14 + 1


def test_most_often_deficient_counts_facilities_and_assessed(facilities):
    top = most_often_deficient(facilities)
    # FS-STORAGE: deficient at the small and the realistic inspection, assessed at all four
    assert top[0] == {
        "id": "FS-STORAGE",
        "title": "Food stored at least 6 inches off the floor and away from walls",
        "facilities": 2,
        "assessed": 4,
        "share": 50.0,
    }
    # a waived deficiency still counts as deficient
    dental = next(t for t in top if t["id"] == "MC-DENTAL-SCREEN")
    assert dental["facilities"] == 1
    assert all(t["facilities"] == 1 for t in top[1:])
    assert len(top) == 15


@pytest.mark.slow
def test_portfolio_cli_with_a_report_per_facility_on_two_cores(cli, files, tmp_path):
    out = tmp_path / "portfolio.pdf"
    reports = tmp_path / "reports"
    result = cli("portfolio", *files, "-o", out, "--reports", reports, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "Portfolio:" in result.output and "4 facilities" in result.output
    assert "Facility reports: 4" in squeeze(result.output)

    text = squeeze(pdf_text(out))
    for facility_id, name in NAMES.items():
        assert name in text
        assert facility_id in text
    # the cover's rating counts: figures above their labels
    cover = pdf_text(out, layout=True).split("\f")[0]
    assert re.search(
        r"^\s*1\s+1\s+2\s*\n\s*Does Not Meet Standards\s+Incomplete\s+Meets Standards\s*$", cover, re.M
    ), cover
    assert "Requirements most often deficient" in text
    assert "FS-STORAGE Food stored at least 6 inches off the floor and away from walls 2 of 4 50 %" in text
    assert "Ratings by ERO area of responsibility." in text and "Ratings by facility type." in text
    count = len(PdfReader(out).pages)
    assert f"Page 1 of {count}" in text and f"Page {count} of {count}" in text
    assert PdfReader(out).metadata.title == "Portfolio compliance report — 4 facilities"

    written = sorted(p.name for p in reports.iterdir())
    assert written == sorted(f"{f.stem}.pdf" for f in files)
    for file in files:
        facility_id = file.stem
        title = PdfReader(reports / f"{facility_id}.pdf").metadata.title
        assert title.startswith(f"Compliance report — {NAMES[facility_id]} — ")


def test_portfolio_html_has_the_charts_by_aor_and_type(facilities):
    html = portfolio_html(facilities, preview=True)
    assert 'aria-label="Ratings by area of responsibility"' in html
    assert 'aria-label="Ratings by facility type"' in html
    assert 'aria-label="Requirements most often deficient"' in html
    for label in ("ATL", "ELP", "SEA", "NEW", "SPC", "CDF", "IGSA"):
        assert f">{label}</text>" in html


def test_portfolio_cli_reads_a_folder_of_results(cli, files, tmp_path):
    out = tmp_path / "portfolio.pdf"
    result = cli("portfolio", files[0].parent, "-o", out)
    assert result.exit_code == 0, result.output
    assert "4 facilities" in result.output
    assert PdfReader(out).metadata.title == "Portfolio compliance report — 4 facilities"


def test_portfolio_cli_refuses_a_file_that_is_not_results(cli, tmp_path):
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"facility": {}}', encoding="utf-8")
    out = tmp_path / "portfolio.pdf"
    result = cli("portfolio", bogus, "-o", out)
    assert result.exit_code == 2  # a usage error (ConfigError)
    assert "not a results file" in squeeze(result.output)
    assert not out.exists()


def test_facility_reports_names_one_pdf_per_results_file(tmp_path, monkeypatch):
    """Same-named results from different folders get distinct PDFs (rendering stubbed out)."""
    rendered: list[tuple[str, str, bool]] = []

    def fake(job):
        rendered.append(job)
        Path(job[1]).write_bytes(b"%PDF-")
        return job[1]

    monkeypatch.setattr(portfolio_module, "_render_one", fake)
    sources = [tmp_path / "a" / "results.json", tmp_path / "b" / "results.json", tmp_path / "c.json"]
    out = facility_reports(sources, tmp_path / "out", jobs=1, pdf_a=True)
    assert [p.name for p in out] == ["results.pdf", "results-2.pdf", "c.pdf"]
    assert [job[0] for job in rendered] == [str(s) for s in sources]
    assert all(job[2] is True for job in rendered)
