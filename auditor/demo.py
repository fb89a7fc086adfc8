"""`auditor demo`: the whole product on the four fictional sample facilities.

Validates and audits every sample, writes its results JSON, corrective-action workbook and
PDF report, then the portfolio PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from auditor.config_yaml import load_yaml
from auditor.contracts.results import Results
from auditor.core import results_of
from auditor.errors import ConfigError, WorkbookError
from auditor.paths import data_dir
from auditor.report.portfolio import facility_reports, portfolio_pdf, report_links
from auditor.report.ucap import write_ucap


@dataclass
class DemoFacility:
    slug: str
    results: Results
    results_path: Path
    report_path: Path
    ucap_path: Path

    @property
    def verdict(self) -> str:
        from auditor.report.view import headline

        s, head = self.results.summary, headline(self.results)
        return (
            f"{self.results.facility['facility_name']}: {s.rating} (our policy) — {s.deficient} deficient "
            f"({s.priority_deficiencies} priority, {s.repeat_deficiencies} repeat), {head.decided_text}, "
            f"{s.indeterminate} indeterminate, {s.waived} waived, {s.not_assessed + s.error} not assessed"
        )


def samples(root: Path | None = None) -> list[Path]:
    root = root or data_dir("sample_data")
    return sorted(p.parent for p in root.glob("*/sample.yml"))


MANIFEST_FILES = ("inspection", "waivers", "previous", "tailoring")  # file names, in the sample's folder
MANIFEST_FIELDS = ("notice", "name", *MANIFEST_FILES)


def read_manifest(folder: Path) -> dict[str, Any]:
    """A sample's `sample.yml`: its name and, as paths in `folder`, its inspection and the optional
    waivers, previous results and tailoring. Read like any YAML file of the project (aliases, size,
    duplicate keys limited); each refusal is a ConfigError naming the file, the line and the field."""
    doc = load_yaml(folder / "sample.yml", what="sample manifest")
    data = doc.data
    if not isinstance(data, dict):
        raise ConfigError(f"{doc.where()}: expected {', '.join(MANIFEST_FIELDS)}")
    for key in data:
        if key not in MANIFEST_FIELDS:
            raise ConfigError(
                f"{doc.where(key)}: {key}: unknown field (a sample has {', '.join(MANIFEST_FIELDS)})"
            )
    for key in ("name", "inspection"):
        if key not in data:
            raise ConfigError(f"{doc.where()}: {key}: required")
    manifest: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{doc.where(key)}: {key}: must be text")
        if key in MANIFEST_FILES:
            name = PurePosixPath(value)
            # a sample names its own files: never a path out of its folder
            if name.is_absolute() or ".." in name.parts:
                raise ConfigError(f"{doc.where(key)}: {key}: must name a file in the sample's folder")
            manifest[key] = folder / name
        elif key == "name":
            manifest[key] = value
    return manifest


def run_demo(
    out: Path, *, root: Path | None = None, jobs: int = 2, step: Callable[[str], None] = lambda _: None
) -> tuple[list[DemoFacility], Path]:
    """Audit every sample into `out`; returns the facilities and the portfolio PDF."""
    done, earlier = [], []  # earlier: each sample's previous results, where its trend chart starts
    for folder in samples(root):
        manifest = read_manifest(folder)
        earlier.append(manifest.get("previous"))
        step(f"Auditing {manifest['name']}")
        extra = {key: manifest[key] for key in ("waivers", "previous", "tailoring") if key in manifest}
        audit = results_of(manifest["inspection"], **extra)
        if audit.results is None:
            raise WorkbookError(
                f"the sample {folder.name} does not validate: {audit.loaded.problems.errors} error(s)"
            )
        results_path = audit.results.write(_in(out / "results", f"{folder.name}.json"))
        step(f"Writing the corrective-action plan of {manifest['name']}")
        ucap_path = write_ucap(audit.results, _in(out / "ucap", f"{folder.name}-ucap.xlsx"))
        done.append(
            DemoFacility(
                folder.name, audit.results, results_path, out / "reports" / f"{folder.name}.pdf", ucap_path
            )
        )
    step(f"Rendering {len(done)} facility reports on {jobs} processes")
    facility_reports([d.results_path for d in done], out / "reports", jobs=jobs, previous=earlier)
    step("Rendering the portfolio report")
    links = report_links([(d.results_path, d.results) for d in done], out / "reports", out / "portfolio.pdf")
    portfolio = portfolio_pdf([d.results for d in done], out / "portfolio.pdf", report_links=links)
    return done, portfolio


def _in(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
