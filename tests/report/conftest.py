"""Reports rendered once per test session (WeasyPrint takes seconds), shared read-only by the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from report_scenarios import Scenario, pdf_text, realistic, small_builder

from auditor.contracts.results import Results
from auditor.core import audit_inspection
from auditor.report.facility import facility_html, facility_pdf


@dataclass
class Rendered:
    scenario: Scenario
    pdf: Path
    text: str  # pdftotext, reading order
    layout: str  # pdftotext -layout
    html: str  # the HTML preview of the same results

    @property
    def results(self) -> Results:
        return self.scenario.results


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The realistic inspection (see report_scenarios.realistic), audited."""
    return realistic(tmp_path_factory.mktemp("realistic"))


@pytest.fixture(scope="session")
def rendered(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The realistic inspection's facility report as PDF (and its text) and as HTML preview."""
    pdf = facility_pdf(scenario.results, tmp_path_factory.mktemp("report") / "report.pdf")
    return Rendered(
        scenario=scenario,
        pdf=pdf,
        text=pdf_text(pdf),
        layout=pdf_text(pdf, layout=True),
        html=facility_html(scenario.results, preview=True),
    )


@pytest.fixture(scope="session")
def small_results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    done = audit_inspection(small_builder().xlsx(tmp_path_factory.mktemp("small") / "small.xlsx"))
    assert done.results is not None
    return done.results


@pytest.fixture(scope="session")
def undecided(small_results: Results) -> Results:
    """Hand-built results with indeterminate records and requirements (see undecided.py)."""
    from undecided import undecided_results

    return undecided_results(small_results)


@pytest.fixture(scope="session")
def undecided_pdf(undecided: Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return facility_pdf(undecided, tmp_path_factory.mktemp("undecided") / "undecided.pdf")
