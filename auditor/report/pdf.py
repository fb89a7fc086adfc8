"""HTML → PDF with WeasyPrint: packaged assets only, tagged for screen readers, optional PDF/A-3b."""

from __future__ import annotations

import os
import warnings
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

    from auditor.report import page_references

    page_references.install()  # tagging reads every page's reference per element: cached, not rebuilt
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
    # Rendered into a temporary file beside the target, then renamed: a failed render never
    # leaves a truncated PDF where a reader (or an archive) expects a finished report.
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with warnings.catch_warnings():
            if pdf_a:
                # WeasyPrint 70 opens its packaged sRGB2014.icc for the PDF/A output intent and
                # never closes it (weasyprint/pdf/__init__.py): a ResourceWarning, nothing more.
                warnings.simplefilter("ignore", ResourceWarning)
            HTML(string=html, url_fetcher=fetcher).write_pdf(partial, attachments=files or None, **options)
        os.replace(partial, out)
    except OSError as exc:
        raise ReportError(f"{out}: the report cannot be written ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)
    return out
