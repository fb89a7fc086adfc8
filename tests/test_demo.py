"""`auditor demo` end to end: every sample's PDF, plan and results, and the portfolio."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> tuple[Path, str]:
    from typer.testing import CliRunner

    from auditor.cli import app

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_the_demo_writes_each_facilitys_report_plan_and_results(demo_out) -> None:
    out, _ = demo_out
    for slug, name in (
        ("cedar-flats-spc", "Cedar Flats Service Processing Center"),
        ("red-mesa-cdf", "Red Mesa Contract Detention Facility"),
        ("larkin-county-jail", "Larkin County Jail"),
        ("pine-hollow-usms", "Pine Hollow Regional Detention Center"),
    ):
        pdf = out / "reports" / f"{slug}.pdf"
        assert name in " ".join(_text(pdf).split())
        plan = load_workbook(out / "ucap" / f"{slug}-ucap.xlsx")
        about = {row[0].value: row[1].value for row in plan["About"].iter_rows()}
        assert name in about["Facility"]
        assert (out / "results" / f"{slug}.json").is_file()


def test_a_sample_with_previous_results_reports_its_trend(demo_out) -> None:
    """Red Mesa's manifest gives its previous results (8 deficient, 2 priority, none repeat): its
    report charts both inspections; the others have no earlier inspection and no trend."""
    out, _ = demo_out
    text = " ".join(_text(out / "reports" / "red-mesa-cdf.pdf").split())
    caption = "Deficiencies over the facility's inspections"
    assert caption in text
    assert "FIC-CDF-0002-2025B, 2025-10-07 8 2 0" in text  # the chart's table, oldest first
    assert caption not in _text(out / "reports" / "cedar-flats-spc.pdf")


def test_the_portfolio_names_every_facility(demo_out) -> None:
    out, _ = demo_out
    text = " ".join(_text(out / "portfolio.pdf").split())
    assert "4 facilities" in text
    for name in ("Cedar Flats", "Red Mesa", "Larkin County Jail", "Pine Hollow"):
        assert name in text


def test_the_demo_ends_with_the_paths_and_a_verdict_per_facility(demo_out) -> None:
    out, output = demo_out
    assert str(out / "portfolio.pdf") in output.replace("\n", "")
    assert (
        output.count("Does Not Meet Standards") + output.count("Incomplete") + output.count("Meets Standards")
        >= 4
    )
    assert "Pine Hollow Regional Detention Center (fictional): Incomplete" in output
