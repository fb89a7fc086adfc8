"""Every file of the hostile corpus through the real CLI, in a subprocess under a safety net.

Each must end in a clear answer within the limits: the exit code its kind calls for (1 a bad file,
2 a bad config, 0 a valid result), one `error:` line saying why (or the problems table, or
"valid"), no traceback, no death by signal, no timeout, and the CLI and its reader each within
memory (the reader's own limit is 2 GiB; the safety net 6 GiB).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus import ENTRIES, Entry
from harness import GiB, run_cli

pytestmark = pytest.mark.slow  # a few seconds each: a CLI process or an upload per file

READER_MEMORY = 2 * GiB + GiB // 2  # the reader's 2 GiB on top of what the CLI itself holds


@pytest.mark.parametrize("name", list(ENTRIES))
def test_each_hostile_input_gets_a_clear_answer_from_the_cli(name: str, tmp_path: Path) -> None:
    entry = ENTRIES[name]
    home = tmp_path / "in"
    home.mkdir()
    path = entry.make(home)  # made here, opened only by the subprocess
    outcome = run_cli(entry.command(path, tmp_path), cwd=tmp_path)
    said = outcome.describe()
    assert not outcome.timed_out and outcome.seconds < entry.seconds, said
    assert outcome.returncode >= 0, said  # not killed by a signal
    assert "Traceback" not in outcome.output, said
    assert outcome.returncode == entry.exit_code, said
    assert outcome.max_rss < READER_MEMORY, said
    check_answer(entry, outcome.stderr, outcome.output)


def check_answer(entry: Entry, stderr: str, output: str) -> None:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    if entry.answer == "error":
        assert len(errors) == 1, stderr
        assert re.search(entry.message, errors[0]), errors[0]
    else:
        assert errors == [], stderr
        assert re.search(entry.message, output), output


def test_the_critical_file_is_small_and_reaches_excels_last_cell(tmp_path: Path) -> None:
    """The corpus file is what the issue describes: a few hundred bytes naming XFD1048576."""
    import zipfile

    path = ENTRIES["xlsx-xfd1048576"].make(tmp_path)
    assert path.stat().st_size < 1600
    with zipfile.ZipFile(path) as archive:
        assert 'r="XFD1048576"' in archive.read("xl/worksheets/sheet1.xml").decode()


def test_the_bombs_are_small_on_disk_and_huge_inflated(tmp_path: Path) -> None:
    """What the corpus claims of its bombs, from the zip headers (nothing is inflated here)."""
    import zipfile

    sizes = {}
    for name in ("xlsx-bomb-zeros", "xlsx-bomb-rows", "xlsx-bomb-many-parts"):
        home = tmp_path / name
        home.mkdir()
        path = ENTRIES[name].make(home)
        with zipfile.ZipFile(path) as archive:
            sizes[name] = (path.stat().st_size, sum(i.file_size for i in archive.infolist()))
    assert sizes["xlsx-bomb-zeros"][0] < 4_000_000 and sizes["xlsx-bomb-zeros"][1] > 3.5 * GiB
    assert sizes["xlsx-bomb-rows"][0] < 3_000_000 and sizes["xlsx-bomb-rows"][1] > 900 * (1 << 20)
    assert sizes["xlsx-bomb-many-parts"][1] > 2.1 * GiB  # 300 × 7.5 MiB


def test_the_corpus_script_writes_the_files_and_a_manifest(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    script = Path(__file__).with_name("corpus.py")
    names = ["xlsx-xfd1048576", "tailoring-nan-hours", "csv-utf-16-bom"]
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path), *names], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert [(m["name"], m["kind"], m["exit_code"]) for m in manifest] == [
        ("xlsx-xfd1048576", "workbook", 1),
        ("tailoring-nan-hours", "tailoring", 2),
        ("csv-utf-16-bom", "csv-folder", 0),
    ]
    assert all(Path(m["path"]).exists() for m in manifest)
    assert (tmp_path / "csv-utf-16-bom" / "utf-16" / "Facility.csv").read_bytes()[:2] == b"\xff\xfe"
