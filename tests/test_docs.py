"""The reference pages are generated from their sources and must not drift from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import docs

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", ["workbook.md", "catalogue.md", "cli.md", "imports.md"])
def test_generated_page_matches_its_source(name: str) -> None:
    expected = docs.PAGES[name]().rstrip() + "\n"
    assert (DOCS / name).read_text(encoding="utf-8") == expected, f"run `python -m auditor.docs` ({name})"


def test_the_cli_page_documents_every_command() -> None:
    import typer

    from auditor.cli import app

    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    command = typer.main.get_command(app)
    for name, sub in command.commands.items():
        assert f"## `auditor {name}`" in page
        for option in getattr(sub, "params", []):
            for flag in option.opts:
                if flag.startswith("--"):
                    assert flag in page, f"{name} {flag}"


def test_the_workbook_page_lists_every_declared_column() -> None:
    from auditor.workbook.declarations import SHEETS

    page = (DOCS / "workbook.md").read_text(encoding="utf-8")
    for sheet in SHEETS:
        assert f"## {sheet.name}" in page
        for column in sheet.columns:
            assert f"| `{column.name}` |" in page
