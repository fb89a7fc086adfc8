"""`auditor report` and `auditor ucap` from a workbook, a CSV folder or a results JSON; PDF/A-3b."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from builders import REMOVE, InspectionBuilder
from pypdf import PdfReader
from report_scenarios import pdf_text, small_builder, squeeze

from auditor.contracts.results import Results

FACILITY = "Fictional Service Processing Center"


def assert_small_report(pdf, results_rating: str = "Incomplete") -> str:
    assert pdf.is_file()
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = squeeze(pdf_text(pdf))
    assert FACILITY in text
    assert results_rating in text
    assert "FS-STORAGE · Deficient · Corrected on site" in text
    return text


def test_report_from_a_workbook(cli, tmp_path):
    workbook = small_builder().xlsx(tmp_path / "inspection.xlsx")
    out = tmp_path / "out" / "report.pdf"
    html = tmp_path / "preview.html"
    result = cli("report", workbook, "-o", out, "--html", html)
    assert result.exit_code == 0, result.output
    assert f"Report: {out} — {FACILITY}: Incomplete" in squeeze(result.output)
    text = assert_small_report(out)
    assert "Input inspection.xlsx" in text
    assert html.read_text(encoding="utf-8").count('<body class="preview">') == 1
    assert [p.name for p in out.parent.iterdir()] == ["report.pdf"]  # no partial file left behind


def test_report_from_a_csv_folder(cli, tmp_path):
    folder = small_builder().csv(tmp_path / "inspection-csv")
    out = tmp_path / "report.pdf"
    result = cli("report", folder, "-o", out)
    assert result.exit_code == 0, result.output
    text = assert_small_report(out)
    assert "Input Facility.csv" in text and "Input Checklist.csv" in text


def test_report_from_results_json(cli, small_results, tmp_path):
    source = small_results.write(tmp_path / "results.json")
    out = tmp_path / "report.pdf"
    result = cli("report", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert_small_report(out)
    assert PdfReader(out).attachments == {}  # only --pdf-a embeds the results


def test_report_of_an_invalid_workbook_writes_nothing(cli, tmp_path):
    workbook = (
        InspectionBuilder().facility(rated_capacity=-1, aor=REMOVE).xlsx(tmp_path / "bad.xlsx")
    )
    out = tmp_path / "report.pdf"
    result = cli("report", workbook, "-o", out)
    assert result.exit_code == 1
    assert "No report was written" in squeeze(result.output)
    assert "Facility!" in result.output  # the problems, by cell
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [workbook]


def test_report_of_a_file_that_is_no_workbook(cli, tmp_path):
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "report.pdf"
    result = cli("report", bogus, "-o", out)
    assert result.exit_code == 1
    assert "error:" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_results_json_refuses_audit_options(cli, small_results, tmp_path):
    source = small_results.write(tmp_path / "results.json")
    waivers = tmp_path / "waivers.yml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    out = tmp_path / "report.pdf"
    result = cli("report", source, "-o", out, "--waivers", waivers)
    assert result.exit_code == 2  # a usage error (ConfigError)
    assert "is a results file" in squeeze(result.output)
    assert not out.exists()


@pytest.mark.slow
def test_report_applies_waivers_tailoring_and_previous(cli, scenario, tmp_path):
    """The same options as `audit`: the report of the realistic inspection shows all three."""
    out = tmp_path / "report.pdf"
    result = cli(
        "report", scenario.workbook, "-o", out,
        "--waivers", scenario.waivers, "--tailoring", scenario.tailoring, "--previous", scenario.previous,
    )
    assert result.exit_code == 0, result.output
    text = squeeze(pdf_text(out))
    assert "MC-DENTAL-SCREEN · Waived" in text
    assert "(tailored; default: Medical screening within 12 hours of arrival)" in text
    assert "Compared with the previous inspection (INSP-2025-0001" in text


def test_pdf_a_embeds_the_results(cli, small_results, tmp_path):
    source = small_results.write(tmp_path / "results.json")
    out = tmp_path / "archive.pdf"
    result = cli("report", source, "-o", out, "--pdf-a")
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    # PDF/A-3b: part 3, conformance B (as an attribute or an element of the XMP description)
    assert re.search(r'pdfaid:part\s*=\s*"3"|<pdfaid:part>3</pdfaid:part>', xmp)
    assert re.search(r'pdfaid:conformance\s*=\s*"B"|<pdfaid:conformance>B</pdfaid:conformance>', xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]
    name = f"{small_results.inspection['inspection_id']}-results.json"
    assert list(reader.attachments) == [name]
    (data,) = reader.attachments[name]
    embedded = Results.from_dict(json.loads(data))
    assert embedded.summary == small_results.summary
    assert embedded.to_dict() == small_results.to_dict()
    # still a tagged report with its text
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"].value is True
    assert_small_report(out)


def test_ucap_from_a_workbook(cli, tmp_path):
    workbook = small_builder().xlsx(tmp_path / "inspection.xlsx")
    out = tmp_path / "plan.xlsx"
    result = cli("ucap", workbook, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Corrective-action plan" in result.output
    book = openpyxl.load_workbook(out)
    rows = list(book["Corrective actions"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[5]) for row in rows] == [("FS-STORAGE", "Standard")]


def test_ucap_of_an_invalid_workbook_writes_nothing(cli, tmp_path):
    workbook = InspectionBuilder().facility(rated_capacity=-1).xlsx(tmp_path / "bad.xlsx")
    out = tmp_path / "plan.xlsx"
    result = cli("ucap", workbook, "-o", out)
    assert result.exit_code == 1
    assert not out.exists()
