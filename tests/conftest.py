"""Shared fixtures: a fresh builder, a valid inspection on disk, the CLI, the real-data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from builders import InspectionBuilder
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
REALDATA = (REPO / ".." / "shared" / "realdata").resolve()


@pytest.fixture
def builder() -> InspectionBuilder:
    """A valid Facility sheet and no other sheet, ready for a test's own rows."""
    return InspectionBuilder()


@pytest.fixture
def valid_builder() -> InspectionBuilder:
    """A few valid rows in every sheet, ready to be spoiled by a test."""
    return InspectionBuilder().with_valid_sheets()


@pytest.fixture
def valid_inspection(tmp_path: Path, valid_builder: InspectionBuilder) -> Path:
    """A valid inspection workbook (.xlsx) with a few rows in every sheet."""
    return valid_builder.xlsx(tmp_path / "valid.xlsx")


@pytest.fixture
def valid_csv_inspection(tmp_path: Path, valid_builder: InspectionBuilder) -> Path:
    """The same valid inspection as a folder of CSV files."""
    return valid_builder.csv(tmp_path / "valid-csv")


@pytest.fixture
def cli() -> Callable[..., object]:
    """Run `auditor ARGS…` in-process; returns click's Result (exit_code, stdout, stderr)."""
    from auditor.cli import app

    runner = CliRunner()

    def run(*args: str | Path):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=True)

    return run


@pytest.fixture(scope="session")
def realdata() -> Path:
    """../shared/realdata beside the repository; the test is skipped, visibly, without it."""
    if not REALDATA.is_dir():
        pytest.skip(f"real data not available: {REALDATA} is absent")
    return REALDATA
