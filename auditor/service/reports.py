"""Files rendered on request and kept: the blank template, facility report PDFs, portfolio PDFs.

Rendering a PDF takes seconds, so each is rendered once (at most two at a time), written beside
the upload's results, and served from disk afterwards.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.contracts.results import Results
from auditor.service import store
from auditor.service.trends import report_parts

if TYPE_CHECKING:
    from auditor.service.workspace import Workspace

_render_slots = threading.BoundedSemaphore(2)
_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
_locks_guard = threading.Lock()


def _lock(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks[key]


def template_workbook(ws: Workspace) -> Path:
    from auditor.workbook.template import write_template

    path = ws.reports_dir / "inspection-template.xlsx"
    with _lock(str(path)):
        if not path.exists():
            partial = path.with_name(".inspection-template.partial.xlsx")
            write_template(partial)
            partial.replace(path)
    return path


def results_path(ws: Workspace, upload_id: int) -> Path:
    return ws.outputs(upload_id) / "results.json"


def facility_report(ws: Workspace, upload_id: int) -> Path:
    """The version's signed report when it was signed off (stored once, served as it is), else its
    draft, marked DRAFT on every page."""
    from auditor.report.facility import facility_pdf
    from auditor.service.signoff import signed_report

    signed = signed_report(ws, upload_id)
    if signed is not None:
        return signed
    path = ws.outputs(upload_id) / "draft.pdf"  # not report.pdf, which older releases wrote unmarked
    with _lock(str(path)):
        if not path.exists():
            results = Results.read(results_path(ws, upload_id))
            with _render_slots:
                facility_pdf(results, path, draft=True, **report_parts(ws, upload_id))
    return path


def facility_preview(ws: Workspace, upload_id: int) -> str:
    from auditor.report.facility import facility_html
    from auditor.service.signoff import signed_report

    draft = signed_report(ws, upload_id) is None
    results = Results.read(results_path(ws, upload_id))
    return facility_html(results, preview=True, draft=draft, **report_parts(ws, upload_id))


def portfolio_report(ws: Workspace, as_of: str | None = None) -> Path | None:
    """The portfolio of every facility's latest audited inspection (earlier ones as its history),
    started from ICE's roster when the registry holds one, overdue judged as of `as_of` (YYYY-MM-DD,
    default today; else a ConfigError); None when there is neither an audit nor a registry. The
    same renderer as `auditor portfolio`, given the same kind of input."""
    from auditor.registry import registry_roster, registry_version
    from auditor.report.portfolio import portfolio_pdf
    from auditor.report.roster import as_of_day
    from auditor.service.cap import open_counts

    day = as_of_day(as_of)  # checked before anything is read
    db = ws.db
    uploads = store.audited_inspections(db)
    roster = registry_roster(db)
    if not uploads and roster is None:
        return None
    today = day
    items = open_counts(db, today=today)  # they change with returned plans, not only with uploads
    key = hashlib.sha256(
        (
            "".join(f"{u}:{(store.get_upload(db, u) or {}).get('processed_at')};" for u in uploads)
            + (f"registry {registry_version(db)} as of {today}" if roster else "")
            + f"items {sorted(items.items())}"
        ).encode()
    ).hexdigest()[:16]
    path = ws.reports_dir / f"portfolio-{key}.pdf"
    with _lock(str(path)):
        if not path.exists():
            results = [Results.read(results_path(ws, u)) for u in uploads]
            extra = {"roster": roster, "as_of": today} if roster else {}
            with _render_slots:
                portfolio_pdf(results, path, open_items=items, **extra)
            for older in ws.reports_dir.glob("portfolio-*.pdf"):  # superseded by this one
                if older != path:
                    older.unlink(missing_ok=True)
    return path
