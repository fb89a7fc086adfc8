"""Every `auditor …` command shown in README.md and docs/ runs, as written, and succeeds.

The commands run in the order the pages give them, in one folder holding the files they name:
the sample inspection of Red Mesa (with its waivers and previous results), made-up ICE rosters
and a small made-up SRMS export in place of ICE's real files. A command the page changes must
still run; a new command shown must run too. Two are not run, each for a reason said below.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from rosters import NORTH, SOUTH, write_roster
from test_import_srms import write_export

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted(p for p in (REPO / "docs").glob("*.md") if p.name != "cli.md")]
SAMPLE = REPO / "sample_data" / "red-mesa-cdf"
STEWART = ["STEWART DETENTION CENTER", "146 CCA RD", "LUMPKIN", "GA", 31815, "ATL", "CDF", 1752, "ODO",
           "N/A", "PBNDS 2011 - 2016 Revised", "Meets Standard"]  # fmt: skip
PASSWORD = "a long enough password\n"  # for `auditor users add`, which asks twice
NOT_RUN = {
    "auditor serve": "starts a server that runs until stopped: tests/web/test_web_cli.py starts it",
    "auditor --install-completion": "writes the user's shell start-up files",
}


def shown_commands() -> list[tuple[str, str]]:
    """(page, command) for every line of a ```sh block that starts with `auditor `."""
    found = []
    for page in PAGES:
        blocks = re.findall(r"```sh\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
        for line in "\n".join(blocks).splitlines():
            command = re.split(r"\s+#", line.strip(), maxsplit=1)[0].strip()
            if command.startswith("auditor "):
                found.append((page.name, command))
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("readme")
    shutil.copyfile(SAMPLE / "inspection.xlsx", here / "inspection.xlsx")
    shutil.copyfile(SAMPLE / "waivers.yml", here / "waivers.yml")
    shutil.copyfile(SAMPLE / "previous-results.json", here / "last.json")
    fy26 = [NORTH, SOUTH, STEWART]
    write_roster(here / "FY26_detentionStats.xlsx", fy26, year="FY26", data_date="02/05/2026")
    write_roster(here / "FY23_detentionStats.xlsx", [NORTH, SOUTH], year="FY23", data_date="10/31/2023")
    write_export(here / "SRMS_segregation.xlsx")
    return here


def test_the_pages_show_commands() -> None:
    shown = [command for _, command in shown_commands()]
    assert len(shown) >= 20
    assert any(c.startswith("auditor import srms") for c in shown)


def test_every_command_shown_runs(folder: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from auditor.cli import app

    runner = CliRunner()
    monkeypatch.chdir(folder)
    results = folder / "out" / "results"
    results.mkdir(parents=True)
    for sample in sorted((REPO / "sample_data").glob("*/inspection.xlsx")):  # what `make demo` leaves
        done = cli("audit", sample, "--format", "json", "-o", results / f"{sample.parent.name}.json")
        assert done.exit_code == 0, done.output
    ran = 0
    for page, command in shown_commands():
        if any(command.startswith(prefix) for prefix in NOT_RUN):
            continue
        args = []
        for word in shlex.split(command)[1:]:
            args += sorted(glob.glob(word)) if "*" in word else [word]
        done = runner.invoke(app, [str(a) for a in args], input=PASSWORD * 2)
        assert done.exit_code == 0, f"{page}: `{command}` exited {done.exit_code}:\n{done.output}"
        assert "Traceback" not in done.output
        ran += 1
    assert ran >= 18
    assert os.path.getsize("portfolio.pdf") > 10_000 and os.path.getsize("national.pdf") > 10_000
