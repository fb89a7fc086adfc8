"""One core: the CLI's `--data` and the web app work on the same Workspace, and the walls between
the faces and the service hold (checked on the import statements themselves)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from builders import InspectionBuilder

from auditor.service import store
from auditor.service.accounts import add_user, user_named
from auditor.service.assignments import assign
from auditor.service.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "cedar-flats-spc" / "inspection.xlsx"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    ws = Workspace.open(tmp_path / "data")
    add_user(ws.db, "ines", "inspector", "correct horse battery")
    assign(ws.db, None, "ines", ["FIC-SPC-0001", "ATL-SPC-0001"])  # an inspector records only for hers
    return ws.data_dir


def test_audit_with_data_records_the_inspection_as_an_upload_does(data: Path, cli) -> None:
    recorded = cli("audit", SAMPLE, "--data", data, "--as", "ines", "--format", "json")
    assert recorded.exit_code == 0, recorded.output
    assert "Recorded as upload 1" in recorded.stderr and ": audited." in recorded.stderr
    plain = cli("audit", SAMPLE, "--format", "json")
    ours, theirs = json.loads(recorded.stdout), json.loads(plain.stdout)
    assert ours["summary"] == theirs["summary"]
    assert [(r["requirement_id"], r["status"], r["violations"]) for r in ours["results"]] == [
        (r["requirement_id"], r["status"], r["violations"]) for r in theirs["results"]
    ]
    # the web app's store sees it as ines's upload, with its results on disk
    ws = Workspace.open(data)
    ines = user_named(ws.db, "ines")
    (upload,) = store.list_uploads(ws.db, ines)
    assert (upload["status"], upload["original_name"], upload["facility_id"]) == (
        "audited",
        "inspection.xlsx",
        theirs["facility"]["facility_id"],
    )
    assert json.loads((ws.outputs(upload["id"]) / "results.json").read_text())["summary"] == ours["summary"]
    assert (ws.uploads_dir / upload["sha256"]).read_bytes() == SAMPLE.read_bytes()


def test_a_workbook_with_errors_is_recorded_invalid_with_its_annotated_copy(
    data: Path, cli, tmp_path: Path
) -> None:
    bad = InspectionBuilder().facility(rated_capacity=-1).xlsx(tmp_path / "bad.xlsx")
    done = cli("audit", bad, "--data", data, "--as", "ines")
    assert done.exit_code == 1
    assert "Recorded as upload 1" in done.stderr and ": invalid." in done.stderr
    ws = Workspace.open(data)
    assert store.get_upload(ws.db, 1)["status"] == "invalid"
    assert (ws.outputs(1) / "annotated.xlsx").is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "--data records the inspection for an account: add --as NAME"),
        (("--as", "nobody"), "--as 'nobody': there is no such account"),
        (("--as", "ines", "--waivers", SAMPLE.parent.parent / "red-mesa-cdf" / "waivers.yml"), "with --data"),
    ],
)
def test_audit_with_data_refuses_what_it_cannot_do(data: Path, cli, extra: tuple, message: str) -> None:
    done = cli("audit", SAMPLE, "--data", data, *extra)
    assert done.exit_code == 2, done.output
    assert message in " ".join(done.stderr.split())
    assert store.get_upload(Workspace.open(data).db, 1) is None  # nothing recorded


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def _package(name: str) -> list[Path]:
    folder = REPO / "auditor" / name
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [REPO / "auditor" / f"{name}.py"]


def test_the_faces_do_not_import_each_other_and_the_service_imports_neither() -> None:
    for file in _package("web"):
        assert not {m for m in _imports(file) if m.startswith("auditor.cli")}, file.name
    for file in _package("service"):
        assert not {m for m in _imports(file) if m.startswith(("auditor.web", "auditor.cli"))}, file.name
    # the CLI starts the web app in `serve` (its factory, settings and server) and uses nothing else of it
    cli_imports = {m for m in _imports(REPO / "auditor" / "cli.py") if m.startswith("auditor.web")}
    assert cli_imports <= {"auditor.web", "auditor.web.server", "auditor.web.settings"}


def test_the_web_portfolio_shows_a_facilitys_earlier_inspections_as_the_cli_does(
    data: Path, tmp_path: Path
) -> None:
    import datetime as dt
    import subprocess

    from auditor.service.audits import audit_file
    from auditor.service.reports import portfolio_report

    day = dt.date.fromisoformat
    earlier = InspectionBuilder(
        inspection_id="INSP-2025-0001",
        inspection_start=day("2025-04-07"),
        inspection_end=day("2025-04-10"),
        review_period_start=day("2025-01-01"),
        review_period_end=day("2025-03-31"),
        previous_inspection_id=None,
    ).with_valid_sheets()
    later = InspectionBuilder().with_valid_sheets()  # INSP-2026-0001, the same facility
    ws = Workspace.open(data)
    ines = user_named(ws.db, "ines")
    for name, builder in (("2025.xlsx", earlier), ("2026.xlsx", later)):
        assert audit_file(ws, builder.xlsx(tmp_path / name), ines).upload["status"] == "audited"
    audit_file(ws, later.xlsx(tmp_path / "2026-again.xlsx"), ines)  # a second version: counted once
    pdf = portfolio_report(ws)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "earlier: INSP-2025-0001" in text
    assert text.count("INSP-2026-0001") == 1


def test_users_list_on_a_folder_from_a_newer_auditor_is_one_error_line(data: Path, cli) -> None:
    import sqlite3

    with sqlite3.connect(data / "auditor.sqlite3") as conn:
        conn.execute("PRAGMA user_version = 999")
    done = cli("users", "list", "--data", data)
    assert done.exit_code != 0
    assert "Traceback" not in done.output
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert "newer auditor" in line


def test_the_contracts_depend_on_no_room() -> None:
    """Inspection, Problems, Results and Roster are plain data every room exchanges: they import
    none of the rooms (only the errors, and the bounded JSON reader for Results.read)."""
    for file in _package("contracts"):
        rooms = {
            m for m in _imports(file) if m.startswith("auditor.") and not m.startswith("auditor.contracts")
        }
        assert rooms <= {"auditor.errors", "auditor.untrusted"}, (
            file.name,
            rooms,
        )


def test_the_engine_reads_no_file() -> None:
    """Tailoring, waivers and previous results are read by auditor.configs; the engine gets models."""
    for file in _package("engine"):
        readers = {m for m in _imports(file) if m.startswith(("auditor.config_yaml", "auditor.untrusted"))}
        readers |= {m for m in _imports(file) if m.startswith(("auditor.configs", "auditor.workbook.read"))}
        assert not readers, (file.name, readers)
