"""Packaging: `python -m auditor` works; the runtime dependencies are complete and minimal; the lock
file pins every dependency within pyproject's ranges, at the versions these tests run with."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def declared(group: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, group)}


RUNTIME = declared(PROJECT["dependencies"])
TEST = declared(PROJECT["optional-dependencies"]["test"])


def locked() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9._-]+)==([^\s;#]+)", line)
        if found:
            pins[canonicalize_name(found[1])] = found[2]
    return pins


def imported_distributions() -> set[str]:
    """The installed distributions whose modules auditor/ imports (absolute imports, any depth)."""
    modules: set[str] = set()
    for file in (REPO / "auditor").rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    owners = metadata.packages_distributions()
    found = {canonicalize_name(d) for m in modules for d in owners.get(m, [])}
    return found - {"auditor"}


def test_python_dash_m_auditor_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "--help"], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: auditor [OPTIONS] COMMAND" in done.stdout
    assert "portfolio" in done.stdout and "--show-completion" in done.stdout
    version = subprocess.run(
        [sys.executable, "-m", "auditor", "--version"], capture_output=True, text=True, timeout=120
    )
    assert version.stdout.strip() == f"auditor {metadata.version('auditor')}"


def test_runtime_dependencies_are_exactly_what_the_code_imports():
    imported = imported_distributions()
    assert imported - set(RUNTIME) == set(), "imported but not declared in pyproject.toml"
    assert set(RUNTIME) - imported == set(), "declared in pyproject.toml but never imported"
    assert "itsdangerous" not in RUNTIME


def test_weasyprint_is_70_or_later_which_fixes_the_url_fetching_advisory():
    assert not RUNTIME["weasyprint"].specifier.contains("69.9")
    assert RUNTIME["weasyprint"].specifier.contains("70.0")


def test_the_lock_pins_every_dependency_within_its_range_at_the_version_installed():
    pins = locked()
    for name, requirement in {**RUNTIME, **TEST}.items():
        assert name in pins, f"{name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]}"
    drift = {
        name: (version, metadata.version(name))
        for name, version in pins.items()
        if metadata.version(name) != version
    }
    assert drift == {}, "installed versions differ from requirements.lock: run `make install`"


def test_make_installs_from_the_lock_and_never_rewrites_it():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    install = makefile.split("$(VENV)/.installed:", 1)[1].split("\n\n", 1)[0]
    assert "pip install --quiet -r requirements.lock" in install
    assert "--no-deps -e ." in install
    # only the explicit `make lock` target writes the lock file
    writers = [line for line in makefile.splitlines() if "--output-file requirements.lock" in line]
    assert len(writers) == 1 and "requirements.lock:" not in makefile
