"""Start-up: a command imports only what it uses (issue 19). Not timed: which modules a fresh
interpreter has loaded after importing the CLI, or after running a command, is the figure that
decides start-up time, and it does not depend on how busy the machine is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from builders import InspectionBuilder
from sampling.test_sample_sheet_checks import drawn, grievances

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "sample_data" / "pine-hollow-usms" / "inspection.xlsx"
HEAVY = ("weasyprint", "fastapi", "starlette", "uvicorn", "openpyxl", "jinja2", "holidays", "hypothesis")

# Runs in a fresh interpreter: `import auditor.cli`, or the `auditor` command line itself (main(),
# as the installed script calls it), then prints which of the modules asked about are loaded.
PROBE = """
import json, sys
import auditor.cli
asked = sys.argv[1].split(",")
if sys.argv[2:]:
    sys.argv = ["auditor", *sys.argv[2:]]
    try:
        auditor.cli.main()
    except SystemExit:
        pass
print(json.dumps({m: sys.modules.get(m) is not None for m in asked}), file=sys.stderr)
"""


def loaded_after(*command: str, modules: tuple[str, ...] = HEAVY) -> dict[str, bool]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(modules), *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library() -> None:
    loaded = loaded_after(modules=(*HEAVY, "pandas", "pandera", "numpy", "auditor.core"))
    assert not any(loaded.values()), loaded


def test_help_loads_no_heavy_library() -> None:
    loaded = loaded_after("--help", modules=(*HEAVY, "pandas", "pandera"))
    assert not any(loaded.values()), loaded


def test_validate_loads_what_validation_uses_and_nothing_else() -> None:
    # the control: pandas and pandera are loaded, so the probe sees what a command imports
    loaded = loaded_after("validate", str(SMALL), modules=(*HEAVY, "pandas", "pandera"))
    assert loaded.pop("pandas") and loaded.pop("pandera")
    assert not any(loaded.values()), loaded


def test_validate_annotate_loads_openpyxl_only_when_asked(tmp_path: Path) -> None:
    loaded = loaded_after("validate", str(SMALL), "--annotate", str(tmp_path / "copy.xlsx"))
    assert loaded["openpyxl"]
    assert (tmp_path / "copy.xlsx").stat().st_size > 0


def test_audit_loads_scipy_only_for_a_sample(tmp_path: Path) -> None:
    # scipy.stats takes half a second to import: only the Sample sheet's interval needs it
    plain = loaded_after(
        "audit", str(SMALL), "-f", "json", "-o", str(tmp_path / "plain.json"), modules=("scipy",)
    )
    assert plain == {"scipy": False}
    sampled = InspectionBuilder().sheet(
        "Sample", drawn({"sheet_row": 2}, {"sheet_row": 4, "compliant": False})
    )
    workbook = sampled.sheet("Grievances", grievances()).xlsx(tmp_path / "sampled.xlsx")
    out = tmp_path / "sampled.json"
    assert loaded_after("audit", str(workbook), "-f", "json", "-o", str(out), modules=("scipy",)) == {
        "scipy": True
    }
    assert json.loads(out.read_text())["samples"][0]["not_compliant"] == 1
