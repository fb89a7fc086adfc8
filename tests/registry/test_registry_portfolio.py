"""The portfolio started from the facility registry, from the command line (the web app's: in
tests/web/test_web_registry.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from auditor.db import Database
from auditor.imports.roster import import_roster
from auditor.registry import registry_roster, save_roster


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", out)


def test_the_registry_is_one_roster_each_facility_as_of_its_latest_file(rosters, tmp_path):
    db = Database(tmp_path / "auditor.sqlite3")
    assert registry_roster(db) is None
    for path in rosters:
        save_roster(db, import_roster(path))
    roster = registry_roster(db)
    assert roster is not None
    by_name = {f.name: f for f in roster.facilities}
    assert sorted(by_name) == ["DILLEY FAMILY CENTER", "NORTH JAIL", "SOUTH PROCESSING CENTER"]
    assert (by_name["NORTH JAIL"].final_rating, by_name["NORTH JAIL"].zip) == ("Fail", "04101")
    assert roster.source["files"] == ["FY28.xlsx"]  # the later file restated all three
    assert roster.source["data_date"] == "2028-01-05"


def test_cli_portfolio_from_the_registry(cli, rosters, tmp_path):
    data = tmp_path / "data"
    for path in rosters:
        assert cli("facilities", "import", path, "--data", data).exit_code == 0
    out = tmp_path / "portfolio.pdf"
    result = cli("portfolio", "--data", data, "--as-of", "2026-12-01", "-o", out)
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())  # the console wraps long lines
    assert "2 of the 3 facilities in ICE's roster governed by these standards" in said
    assert "standards, 1 overdue as of 2026-12-01, 0 audited" in said
    text = text_of(out)
    assert "imported into the facility registry (FY28.xlsx" in text
    # cutoff 2025-12-01: NORTH (2026-03-05) is current, SOUTH (2025-11-20) is not; DILLEY, a family
    # center under the Family Residential Standards, is not counted
    assert "1 of 2 facilities have no inspection that ended on or after 2025-12-01" in text
    assert "DILLEY FAMILY CENTER" in text and "against the Family Residential Standards" in text


def test_cli_portfolio_takes_one_roster_source(cli, rosters, tmp_path):
    both = cli("portfolio", "--data", tmp_path / "d", "--roster", rosters[0], "-o", tmp_path / "p.pdf")
    assert both.exit_code == 2 and "not both" in both.stderr
    (tmp_path / "empty").mkdir()
    Database(tmp_path / "empty" / "auditor.sqlite3")
    empty = cli("portfolio", "--data", tmp_path / "empty", "-o", tmp_path / "p.pdf")
    assert empty.exit_code == 1
    assert "import a roster first" in empty.stderr
