"""What the pages and the API show about an upload, read from the files processing wrote."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from auditor.contracts.results import Results
from auditor.errors import AuditorError
from auditor.report.view import (
    STATUS_WORDS,
    Headline,
    area_chart,
    conclusion,
    evidence_needed_rows,
    findings_by_area,
    headline,
    record_counts,
    undecided_by_area,
)
from auditor.service.store import HEADLINE_COLUMNS
from auditor.service.workspace import Workspace

PROBLEMS_SHOWN = 500
EVIDENCE_SHOWN = 10
# Beside every rating the API gives: it is ours, not ICE's (ICE publishes no thresholds).
RATING_BY = "this project's policy, not an ICE rating"


def problems_report(ws: Workspace, upload_id: int) -> dict[str, Any] | None:
    """The validation report (the `auditor validate --format json` shape), when processing wrote one."""
    path = ws.outputs(upload_id) / "problems.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def results_of(ws: Workspace, upload_id: int) -> Results | None:
    path = ws.outputs(upload_id) / "results.json"
    return Results.read(path) if path.exists() else None


def headline_of(ws: Workspace, upload: dict[str, Any] | None) -> Headline | None:
    """ODO's headline of an audited upload (decided of in scope, indeterminate), from its results file;
    None when there is none to read (the page then shows the stored counts alone)."""
    if not upload or upload.get("status") != "audited":
        return None
    try:
        results = results_of(ws, upload["id"])
    except AuditorError:
        return None
    return headline(results) if results is not None else None


def upload_page(ws: Workspace, upload: dict[str, Any]) -> dict[str, Any]:
    """The template context of an upload's page: its problems, or its results."""
    upload_id = upload["id"]
    report = problems_report(ws, upload_id)
    problems = report["problems"] if report else []
    sheets = Counter(p["sheet"] or "(file)" for p in problems if p["severity"] == "error")
    context: dict[str, Any] = {
        "upload": upload,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_total": len(problems),
        "errors_by_sheet": sorted(sheets.items(), key=lambda kv: -kv[1]),
        "has_annotated": upload["status"] in ("invalid", "audited")
        and bool(upload["errors"] or upload["warnings"]),
        "results": None,
    }
    results = results_of(ws, upload_id) if upload["status"] == "audited" else None
    if results is not None:
        context.update(
            results=results,
            summary=results.summary,
            conclusion=conclusion(results),
            headline=headline(results),
            areas=findings_by_area(results, EVIDENCE_SHOWN),
            undecided=undecided_by_area(results, EVIDENCE_SHOWN),
            evidence_needed=evidence_needed_rows(results),
            record_counts=record_counts,
            chart=area_chart(results),
            unassessed=[r for r in results.results if r.status in ("not_assessed", "error")],
            status_words=STATUS_WORDS,
        )
    return context


def upload_json(upload: dict[str, Any]) -> dict[str, Any]:
    """An upload as the API shows it (links are to the downloads the caller may fetch)."""
    upload_id = upload["id"]
    data = {
        key: upload[key]
        for key in (
            "id",
            "original_name",
            "size",
            "sha256",
            "uploaded_at",
            "status",
            "message",
            "kind",
            "attempts",
            "processed_at",
            "facility_id",
            "inspection_id",
            "facility_name",
            "version",
            "errors",
            "warnings",
            "rating",
            "compliant",
            "deficient",
            "priority",
            "repeats",
            "waived",
            "indeterminate",
            "decided",
            "in_scope",
            "coverage_percent",
            "inspection_end",
            "edition",
        )
    }
    data["rating_by"] = RATING_BY
    data["uploaded_by"] = upload["uploaded_by_name"]
    data["inspection"] = upload["inspection"]
    data["links"] = {
        "page": f"/uploads/{upload_id}",
        "original": f"/uploads/{upload_id}/original",
        "annotated": f"/uploads/{upload_id}/annotated.xlsx",
        "results": f"/api/uploads/{upload_id}/results",
        "report_pdf": f"/uploads/{upload_id}/report.pdf",
    }
    return data


def output_file(ws: Workspace, upload_id: int, name: str) -> Path:
    return ws.outputs(upload_id) / name


def inspection_json(inspection: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": inspection["id"],
        "facility_id": inspection["facility_id"],
        "inspection_id": inspection["inspection_id"],
        "facility_name": inspection.get("facility_name"),
        "created_at": inspection["created_at"],
        "versions": [upload_json(v) for v in inspection.get("versions", [])],
        "not_filed": [upload_json(u) for u in inspection.get("unfiled", [])],
        "links": {"page": f"/inspections/{inspection['id']}"},
    }


def facility_json(detail: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "facility_id",
        "facility_name",
        "inspections",
        "uploads",
        "rating",
        "deficient",
        "priority",
        "repeats",
        "indeterminate",
        "decided",
        "in_scope",
        "coverage_percent",
        "last_inspection",
        "last_upload",
    )
    data: dict[str, Any] = {key: detail[key] for key in keys}
    data["latest_upload"] = detail["latest"]["id"] if detail.get("latest") else None
    data["rating_by"] = RATING_BY
    data["links"] = {"page": f"/facilities/{detail['facility_id']}"}
    if "inspection_rows" in detail:
        data["inspection_history"] = [
            {
                "id": row["id"],
                "inspection_id": row["inspection_id"],
                "versions": row["versions"],
                "latest_status": row["latest"]["status"] if row["latest"] else None,
                "audited_upload": row["audited"]["id"] if row["audited"] else None,
                "rating": row["audited"]["rating"] if row["audited"] else None,
                "deficient": row["audited"]["deficient"] if row["audited"] else None,
                "priority": row["audited"]["priority"] if row["audited"] else None,
                "repeats": row["audited"]["repeats"] if row["audited"] else None,
                **{key: row["audited"][key] if row["audited"] else None for key in HEADLINE_COLUMNS},
                "inspection_end": row["audited"]["inspection_end"] if row["audited"] else None,
            }
            for row in detail["inspection_rows"]
        ]
        data["deficient_more_than_once"] = detail["repeated"]
    return data
