"""The facility compliance report: PDF for administrators, the same template as HTML for the web."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.contracts.results import Results
from auditor.report import odo
from auditor.report.environment import render
from auditor.report.pdf import Attachment, write_pdf
from auditor.report.trend import TrendPoint, item_ages_chart, trend_chart
from auditor.report.view import EVIDENCE_CAP, facility_view


@dataclass(frozen=True)
class Issue:
    """What a signed-off report states of its sign-off (auditor.service.signoff fills it in)."""

    issued: str  # when it was signed off, UTC, ISO 8601 to the second
    signer: str
    role: str
    version: int  # the inspection's version signed off
    results_sha256: str  # of the results JSON embedded in the PDF
    certificate: str  # the signing certificate's subject
    fingerprint: str  # its SHA-256
    self_signed: bool  # made by this auditor installation: nobody else vouches for it


def facility_html(
    results: Results,
    *,
    preview: bool = False,
    cap: int = EVIDENCE_CAP,
    draft: bool = False,
    issue: Issue | None = None,
    trend: list[TrendPoint] | None = None,
    items: list[dict[str, Any]] | None = None,
    items_as_of: str | None = None,
    plan_items: list[dict[str, Any]] | None = None,
    roster: dict[str, Any] | None = None,
) -> str:
    """The report's HTML; `draft` marks every page DRAFT, `issue` states a sign-off (never both);
    `trend`, the facility's inspections up to this one, draws its course when there are two;
    `items`, its open corrective-action items on `items_as_of`, their ages; `plan_items`, the
    corrective-action items of its earlier inspections (any status), the previous plan's status;
    `roster`, its entry in ICE's roster (a Facility's fields), for the facility overview."""
    view = facility_view(results, cap)
    plan, plan_source = odo.previous_plan(results, plan_items)
    facility, inspection = results.facility, results.inspection
    return render(
        "facility.html",
        **view,
        preview=preview,
        draft=draft and issue is None,
        issue=issue,
        trend_chart=trend_chart(trend or []),
        ages_chart=item_ages_chart(items or []),
        items_as_of=items_as_of,
        previous_plan=plan,
        previous_plan_source=plan_source,
        overview=odo.overview(results, roster),
        roster=roster,
        version=__version__,
        title=f"Compliance report — {facility['facility_name']} — {inspection['inspection_id']}",
        subject=(
            f"{results.standards['edition']} compliance of {facility['facility_name']} "
            f"({facility['facility_id']}), inspection {inspection['inspection_id']}: {results.summary.rating}"
        ),
    )


def facility_pdf(
    results: Results,
    out: str | Path,
    *,
    pdf_a: bool = False,
    cap: int = EVIDENCE_CAP,
    draft: bool = False,
    trend: list[TrendPoint] | None = None,
    items: list[dict[str, Any]] | None = None,
    items_as_of: str | None = None,
    plan_items: list[dict[str, Any]] | None = None,
    roster: dict[str, Any] | None = None,
) -> Path:
    """Write the facility report; with pdf_a, a PDF/A-3b carrying the results JSON as an attachment."""
    attachments = ()
    if pdf_a:
        name = f"{results.inspection['inspection_id']}-results.json"
        attachments = (
            Attachment(name, results.to_json().encode("utf-8"), "Audit results (auditor results JSON)"),
        )
    html = facility_html(
        results,
        cap=cap,
        draft=draft,
        trend=trend,
        items=items,
        items_as_of=items_as_of,
        plan_items=plan_items,
        roster=roster,
    )
    return write_pdf(html, out, pdf_a=pdf_a, attachments=attachments)
