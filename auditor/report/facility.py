"""The facility compliance report: PDF for administrators, the same template as HTML for the web."""

from __future__ import annotations

from pathlib import Path

from auditor import __version__
from auditor.contracts.results import Results
from auditor.report.environment import render
from auditor.report.pdf import Attachment, write_pdf
from auditor.report.view import EVIDENCE_CAP, facility_view


def facility_html(results: Results, *, preview: bool = False, cap: int = EVIDENCE_CAP) -> str:
    view = facility_view(results, cap)
    facility, inspection = results.facility, results.inspection
    return render(
        "facility.html",
        **view,
        preview=preview,
        version=__version__,
        title=f"Compliance report — {facility['facility_name']} — {inspection['inspection_id']}",
        subject=(
            f"{results.standards['edition']} compliance of {facility['facility_name']} "
            f"({facility['facility_id']}), inspection {inspection['inspection_id']}: {results.summary.rating}"
        ),
    )


def facility_pdf(results: Results, out: str | Path, *, pdf_a: bool = False, cap: int = EVIDENCE_CAP) -> Path:
    """Write the facility report; with pdf_a, a PDF/A-3b carrying the results JSON as an attachment."""
    attachments = ()
    if pdf_a:
        name = f"{results.inspection['inspection_id']}-results.json"
        attachments = (
            Attachment(name, results.to_json().encode("utf-8"), "Audit results (auditor results JSON)"),
        )
    return write_pdf(facility_html(results, cap=cap), out, pdf_a=pdf_a, attachments=attachments)
