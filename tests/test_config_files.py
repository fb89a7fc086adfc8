"""Config files are hostile input too: tailoring, waivers, profiles and the standards.

Every file here is written by its test. Each refusal must name the file, the line and the field,
be one line (no traceback) and, in the CLI, exit 2 (a usage error); bombs must fail fast.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from auditor.config_yaml import MAX_BYTES, load_yaml
from auditor.configs.tailoring import load_tailoring
from auditor.errors import ConfigError
from auditor.imports.profile import read_profile
from auditor.standards.load import load_edition

REPO = Path(__file__).resolve().parents[1]
RED_MESA = REPO / "sample_data" / "red-mesa-cdf" / "inspection.xlsx"  # FIC-CDF-0002, PBNDS-2011
PBNDS = load_edition("PBNDS-2011")

TAILORING = """\
facility_id: FIC-CDF-0002
approved_by: A. Delgado
reason: Contract terms.
overrides:
  MC-INTAKE-SCREEN:
    limit:
      hours: {hours}
"""

WAIVERS = """\
waivers:
  - requirement_id: {rid}
    facility_id: FIC-CDF-0002
    justification: Steam table on order.
    approved_by: A. Delgado
    expires: {expires}
"""


def bomb(levels: int = 9) -> str:
    """A "billion laughs": `levels` anchors of 9 aliases each expand to 9**levels strings.

    PyYAML builds aliases as shared objects, so yaml.safe_load returns at once; whatever walks the
    data afterwards (a schema check, str()) then has 9**9 = 387,420,489 values to visit.
    """
    names = "abcdefghijk"
    lines = [f"{names[0]}: &{names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [" + ", ".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(cli, *args: object) -> str:
    """Run the CLI, expect exit 2 and a one-line error; return that line, spaces collapsed."""
    done = cli(*args)
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    return " ".join(done.stderr.split())


# ---------------------------------------------------------------- the README's example


def test_the_readme_tailoring_example_runs_as_written(cli, tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("- `--tailoring FILE`"))
    example = re.search(r"`(\{facility_id:.*?\}\})`", line)
    assert example is not None, line
    tailoring = write(tmp_path, "tailoring.yml", example.group(1) + "\n")
    done = cli("audit", RED_MESA, "--format", "json", "--tailoring", tailoring)
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["tailoring"]["facility_id"] == "FIC-CDF-0002"
    assert data["tailoring"]["overrides"]["MC-INTAKE-SCREEN"]["tailored"] == (
        "medical_screening within 8 hours of arrival"
    )
    screen = next(r for r in data["results"] if r["requirement_id"] == "MC-INTAKE-SCREEN")
    assert screen["threshold"]["tailored"] is True


# ---------------------------------------------------------------- tailoring


def test_a_tailoring_alias_bomb_fails_fast_at_its_line(cli, tmp_path: Path) -> None:
    plain = yaml.safe_load(bomb())  # PyYAML alone loads it at once, as shared lists: the danger comes later
    assert plain["i"][0] is plain["i"][8] is plain["h"]
    text = "bomb:\n" + "".join(f"  {x}\n" for x in bomb().splitlines()) + TAILORING.format(hours="*i")
    path = write(tmp_path, "tailoring.yml", text)
    started = time.perf_counter()
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "FIC-CDF-0002")
    assert time.perf_counter() - started < 1.0
    # 9**6 = 531,441 values under `f` (line 7) pass the limit of 100,000 first
    assert (
        str(caught.value) == f"{path}:7: bomb.f: expands to more than 100,000 values through aliases (*name)"
    )
    assert refused(cli, "audit", RED_MESA, "--tailoring", path) == (
        f"error: {path}:7: bomb.f: expands to more than 100,000 values through aliases (*name)"
    )


@pytest.mark.parametrize("hours", [".nan", ".inf", "-.inf", ".NaN"])
def test_tailoring_with_a_number_that_is_not_finite_exits_2(cli, tmp_path: Path, hours: str) -> None:
    # before: hours .nan was accepted, and every comparison with NaN false made a deficiency not_assessed
    path = write(tmp_path, "tailoring.yml", TAILORING.format(hours=hours))
    assert refused(cli, "audit", RED_MESA, "--tailoring", path) == (
        f"error: {path}:7: overrides.MC-INTAKE-SCREEN.limit.hours: {hours} is not a finite number"
    )


def test_tailoring_an_unknown_requirement_exits_2_naming_file_and_line(cli, tmp_path: Path) -> None:
    path = write(
        tmp_path, "tailoring.yml", TAILORING.format(hours=8).replace("MC-INTAKE-SCREEN", "MC-INTAKE")
    )
    assert refused(cli, "audit", RED_MESA, "--tailoring", path) == (
        f"error: {path}:5: overrides: MC-INTAKE is not a requirement of PBNDS-2011"
    )


def test_a_tailoring_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "tailoring.yml"
    with path.open("wb") as handle:  # sparse: 4 GB of nothing, on disk in no time
        handle.truncate(4 * 1024**3)
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "FIC-CDF-0002")
    assert str(caught.value) == (
        f"{path}: the tailoring file is larger than {MAX_BYTES:,} bytes; such a file is far smaller"
    )


def test_a_fifo_given_as_tailoring_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    path = tmp_path / "tailoring.yml"
    os.mkfifo(path)
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "FIC-CDF-0002")
    assert str(caught.value) == f"{path}: cannot read the tailoring file: not a regular file"


# ---------------------------------------------------------------- waivers


@pytest.mark.parametrize(
    ("expires", "problem"),
    [
        ("2026-13-45", "waivers[0].expires: '2026-13-45' cannot be read (month must be in 1..12)"),
        ("soon", "waiver 1 (FS-HOT-HOLD): expires 'soon' is not a YYYY-MM-DD date"),
    ],
)
def test_a_waiver_with_an_impossible_expiry_exits_2(cli, tmp_path: Path, expires: str, problem: str) -> None:
    path = write(tmp_path, "waivers.yml", WAIVERS.format(rid="FS-HOT-HOLD", expires=expires))
    assert refused(cli, "audit", RED_MESA, "--waivers", path) == f"error: {path}:6: {problem}"


def test_a_misspelt_waiver_exits_2_instead_of_being_not_needed(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "waivers.yml", WAIVERS.format(rid="FS-HOT-HOLDS", expires="2026-09-30"))
    assert refused(cli, "audit", RED_MESA, "--waivers", path) == (
        f"error: {path}:2: waiver 1: requirement_id: there is no requirement 'FS-HOT-HOLDS' in any edition "
        "(did you mean FS-HOT-HOLD?)"
    )


def test_the_same_field_twice_in_a_waiver_is_refused(cli, tmp_path: Path) -> None:
    text = WAIVERS.format(rid="FS-HOT-HOLD", expires="2026-09-30") + "    expires: 2099-12-31\n"
    path = write(tmp_path, "waivers.yml", text)
    assert refused(cli, "audit", RED_MESA, "--waivers", path) == (
        f"error: {path}:7: waivers[0].expires: this key appears twice in its mapping"
    )


def test_a_waivers_csv_with_an_unknown_column_exits_2(cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "waivers.csv",
        "requirement_id,facility,justification,approved_by,expires\n"
        "FS-HOT-HOLD,*,On order.,A. Delgado,2026-09-30\n",
    )
    assert refused(cli, "audit", RED_MESA, "--waivers", path) == (
        f"error: {path}:1: facility: unknown or repeated column (a waivers CSV has the columns "
        "requirement_id, facility_id, justification, approved_by, expires)"
    )


# ---------------------------------------------------------------- import profiles


@pytest.mark.parametrize(
    ("values", "line", "problem"),
    [
        ("  rating:\n    pass: Pass\n", 4, "values.rating: expected `canonical: [spelling, …]` entries"),
        (
            "  rating:\n    pass: [Pass]\n    fail: [pass]\n",
            4,
            "value table rating: 'pass' maps to two values",
        ),
        (
            "  end_patterns:\n    - {matches: '(unclosed', status: x}\n",
            5,
            "matches: not a valid pattern (missing ), unterminated subpattern at position 0)",
        ),
    ],
)
def test_a_broken_profile_names_file_and_line(tmp_path: Path, values: str, line: int, problem: str) -> None:
    path = write(tmp_path, "profile.yml", "id: p\ntitle: A profile\nvalues:\n" + values)
    with pytest.raises(ConfigError) as caught:
        read_profile(path)
    assert str(caught.value) == f"{path}:{line}: {problem}"


def test_a_profile_bomb_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "profile.yml", "id: p\ntitle: A profile\n" + bomb())
    with pytest.raises(ConfigError, match=r"profile\.yml:8: f: expands to more than 100,000 values"):
        read_profile(path)


# ---------------------------------------------------------------- the standards


def test_standards_lint_on_a_missing_folder_exits_2(cli, tmp_path: Path) -> None:
    done = cli("standards", "lint", "--root", tmp_path / "nonexistent")
    assert done.exit_code == 2
    assert "nonexistent" in done.stderr and "does not exist" in " ".join(done.stderr.split())


def test_standards_lint_on_a_folder_without_editions_fails(cli, tmp_path: Path) -> None:
    done = cli("standards", "lint", "--root", tmp_path)
    assert done.exit_code == 1
    assert f"{tmp_path}:0: no edition here: expected editions/<EDITION>.yml files" in done.stdout


@pytest.fixture
def standards_copy(tmp_path: Path) -> Path:
    root = tmp_path / "standards"
    shutil.copytree(REPO / "standards", root)
    return root


def test_a_bomb_or_nan_in_a_standards_file_is_linted_at_its_line(cli, standards_copy: Path) -> None:
    screen = standards_copy / "requirements" / "MC-INTAKE-SCREEN.yml"
    text = screen.read_text(encoding="utf-8")
    screen.write_text(text.replace("limit: {hours: 12}", "limit: {hours: .nan}"), encoding="utf-8")
    limit_line = text.splitlines().index("  limit: {hours: 12}") + 1
    cook = standards_copy / "requirements" / "FS-HOT-HOLD.yml"
    cook_lines = cook.read_text(encoding="utf-8").count("\n")
    cook.write_text(cook.read_text(encoding="utf-8") + bomb(), encoding="utf-8")
    started = time.perf_counter()
    done = cli("standards", "lint", "--root", standards_copy)
    assert time.perf_counter() - started < 20
    assert done.exit_code == 1
    assert f"{screen}:{limit_line}: check.limit.hours: .nan is not a finite number" in done.stdout
    assert f"{cook}:{cook_lines + 6}: f: expands to more than 100,000 values" in done.stdout
    with pytest.raises(Exception, match="not valid"):
        load_edition("PBNDS-2011", standards_copy)


def test_the_loader_reads_every_file_the_project_ships() -> None:
    files = [*sorted((REPO / "standards").rglob("*.yml")), *sorted((REPO / "auditor").rglob("*.yml"))]
    assert len(files) > 70
    for file in files:
        assert load_yaml(file).data == yaml.safe_load(file.read_text(encoding="utf-8")), file


SINGLE = "expected a single document in the stream, but found another document"
PYTHON_TAG = "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a\n  b: *a\n", "1: a.b: an alias refers to the node that contains it"),
        ("x: &x 1\nl: [" + ", ".join(["*x"] * 101) + "]\n", "1: l[100]: more than 100 aliases (*name)"),
        ("a: 1\n---\nb: 2\n", f"2: not valid YAML: {SINGLE}"),
        ("a: 1\nb: !!python/object:os.system echo\n", f"2: b: not valid YAML: {PYTHON_TAG}"),
        ("a: 1\nb: \x07\n", "2: not valid YAML: the character #x0007 is not allowed"),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "1: a" + "[0]" * 50 + ": nested more than 50 levels deep"),
        ("a: 1\nl: [" + "1," * 100_001 + "]\n", "2: l: holds more than 100,000 values"),
    ],
)
def test_the_loader_refuses_with_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "config.yml", text)
    with pytest.raises(ConfigError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"{path}:{message}"


def test_text_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "tailoring.yml"
    path.write_bytes(b"facility_id: '*'\napproved_by: J. Ram\xeerez\n")
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, PBNDS, "FIC-CDF-0002")
    assert str(caught.value) == f"{path}:2: not UTF-8 text (byte 0xee); save the file as UTF-8"
