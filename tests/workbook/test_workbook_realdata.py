"""Real ICE spreadsheets (../shared/realdata, never copied into the repository) do not explode.

They are not inspection workbooks: every sheet is unknown, which is a warning. The point is that
a sheet declaring 16,383 columns (A1:XFC1041) is read from its cells, quickly and in bounded
memory, never by iterating the declared range. Memory is measured in a child process (its peak
RSS alone), with a loose bound.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.realdata

WIDE = "FY25_detentionStats09252025.xlsx"
PEAK_RSS_LIMIT_MB = 1500

PROBE = """
import json, resource, sys, time
from auditor.workbook.read import read
started = time.perf_counter()
book = read(sys.argv[1])
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "sheets": {
        name: {"shape": list(s.frame.shape), "letters": list(s.letters.values()), "header": s.header_row}
        for name, s in book.sheets.items()
    },
    "problems": sorted(
        {(p["severity"], p["code"]) for part in book.problems for p in part.to_dict("records")}
    ),
}))
"""


def probe(path: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_wide_workbook_reads_in_bounded_memory(realdata):
    report = probe(realdata / WIDE)
    assert report["sheets"] == {}  # none of its sheets is an inspection sheet
    assert report["problems"] == [["warning", "unknown_sheet"]]
    assert report["peak_rss_mb"] < PEAK_RSS_LIMIT_MB, report


def test_the_16383_column_sheet_read_as_intake_keeps_only_its_real_columns(realdata, tmp_path):
    """The wide sheet, renamed Intake in a temporary copy, so that it is really loaded."""
    path = tmp_path / "wide-as-intake.xlsx"
    with zipfile.ZipFile(realdata / WIDE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                assert b'name="Monthly Segregation"' in data
                data = data.replace(b'name="Monthly Segregation"', b'name="Intake"')
            if item.filename == "xl/worksheets/sheet8.xml":
                assert b'<dimension ref="A1:XFC1041"/>' in data[:2000]
            out.writestr(item, data)
    report = probe(path)
    intake = report["sheets"]["Intake"]
    assert intake["header"] == 1
    rows, columns = intake["shape"]
    assert 900 < rows < 1041 and columns <= 6, intake  # real cells only, not 16,383 columns
    assert all(len(letter) == 1 for letter in intake["letters"])
    assert ["error", "missing_column"] in report["problems"]
    assert report["peak_rss_mb"] < PEAK_RSS_LIMIT_MB, report


@pytest.mark.parametrize("name", [
    "FY19-detentionstats.xlsx", "FY21_detentionStats11122021.xlsx",
    "FY22_detentionStats09292022.xlsx", "FY23_detentionStats10312023.xlsx",
    "FY24_detentionStats11152024.xlsx", "FY26_detentionStats_02122026.xlsx",
    "SRMS_segregation_2018-2023_redacted.xlsx",
])
def test_every_real_workbook_is_read_without_error(realdata, cli, name):
    """Through the CLI: no Facility sheet, so one line naming the file, never a traceback."""
    path = realdata / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    result = cli("validate", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip() == (
        f"error: {path}: there is no Facility sheet; every inspection needs one "
        "(column A the field names, column B their values)"
    )
