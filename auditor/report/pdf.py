"""HTML → PDF with WeasyPrint: packaged assets only, tagged for screen readers, optional PDF/A-3b."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.errors import ReportError
from auditor.report.fetcher import PackagedAssetFetcher


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    description: str


def write_pdf(
    html: str, out: str | Path, *, pdf_a: bool = False, attachments: tuple[Attachment, ...] = ()
) -> Path:
    """Render `html` to `out`. PDF/A-3b (archival) when pdf_a; attachments are embedded files."""
    from weasyprint import HTML
    from weasyprint import Attachment as WeasyAttachment

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fetcher = PackagedAssetFetcher()
    options: dict = {"pdf_tags": True}
    if pdf_a:
        options["pdf_variant"] = "pdf/a-3b"
    files = [
        WeasyAttachment(string=a.data, name=a.name, description=a.description, relationship="Data")
        for a in attachments
    ]
    try:
        HTML(string=html, url_fetcher=fetcher).write_pdf(out, attachments=files or None, **options)
    except OSError as exc:
        raise ReportError(f"{out}: the report cannot be written ({exc})") from None
    return out
