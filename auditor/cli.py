"""The command line: thin typer commands over the same core functions the web app calls.

Only this module prints or chooses exit codes: 0 done (valid), 1 the input has errors,
2 usage errors, 3 an audit met --fail-on.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from auditor import __version__
from auditor.errors import AuditorError

app = typer.Typer(
    name="auditor",
    help="Check detention-facility inspections against ICE detention standards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 160)

TEXT_LIMIT = 1000


class Format(StrEnum):
    text = "text"
    json = "json"


@contextmanager
def reported():
    """Turn the auditor's own errors into one line and exit code 1 — never a traceback."""
    try:
        yield
    except AuditorError as exc:
        err.print(f"[bold red]error:[/] {exc}", markup=True, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


def version_callback(value: bool) -> None:
    if value:
        console.print(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Check detention-facility inspections against ICE detention standards."""


# ---------------------------------------------------------------------------- validate


ExistingPath = Annotated[
    Path, typer.Argument(exists=True, help="An inspection workbook (.xlsx, .xlsm, .xls, .ods) or a folder of CSVs.")
]


@app.command()
def validate(
    path: ExistingPath,
    format: Annotated[Format, typer.Option("--format", "-f", help="text (a table) or json.")] = Format.text,
    annotate: Annotated[
        Path | None, typer.Option("--annotate", help="Write a copy with every bad cell highlighted and commented.")
    ] = None,
) -> None:
    """Check an inspection workbook against the workbook contract; list every problem by cell."""
    from auditor.core import validate_inspection
    from auditor.workbook.annotate import annotate as write_annotated

    with reported():
        loaded = validate_inspection(path)
        if annotate is not None:
            write_annotated(loaded.raw, loaded.problems, annotate)
    problems = loaded.problems
    if format is Format.json:
        sys.stdout.write(json.dumps(validation_json(path, loaded), indent=2, ensure_ascii=False) + "\n")
    else:
        print_problems(path, problems)
        if annotate is not None:
            console.print(f"Annotated copy: {annotate}")
    raise typer.Exit(1 if problems.has_errors else 0)


def validation_json(path: Path, loaded) -> dict:
    """The documented JSON form of `auditor validate --format json` (docs/validation-json.md)."""
    problems = loaded.problems
    records = problems.records()
    for rec in records:
        rec["ref"] = f"{rec['sheet']}!{rec['cell']}" if rec["cell"] else rec["sheet"]
    return {
        "schema_version": "1",
        "file": str(path),
        "valid": not problems.has_errors,
        "errors": problems.errors,
        "warnings": problems.warnings,
        "problems": records,
    }


def print_problems(path: Path, problems) -> None:
    if len(problems) == 0:
        console.print(f"[green]✓[/] {path}: valid — no problems found.")
        return
    table = Table(show_lines=False, header_style="bold", expand=False, box=None, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("cell", no_wrap=True)
    table.add_column("column", no_wrap=True)
    table.add_column("value", overflow="fold", max_width=24)
    table.add_column("problem", overflow="fold", ratio=1)
    for rec in problems.records()[:TEXT_LIMIT]:
        mark = "[red]error[/]" if rec["severity"] == "error" else "[yellow]warning[/]"
        ref = f"{rec['sheet']}!{rec['cell']}" if rec["cell"] else (rec["sheet"] or "")
        value = "" if rec["value"] is None else repr(str(rec["value"]))
        problem = rec["message"] + (f" [dim](expected {rec['expected']})[/]" if rec["expected"] else "")
        table.add_row(mark, ref, rec["column"] or "", value, problem)
    console.print(table)
    if len(problems) > TEXT_LIMIT:
        console.print(f"… and {len(problems) - TEXT_LIMIT} more: --format json or --annotate lists them all.")
    verdict = "[red]not valid[/]" if problems.has_errors else "[green]valid[/]"
    console.print(f"{path}: {verdict} — {problems.errors} error(s), {problems.warnings} warning(s).")


# ---------------------------------------------------------------------------- template


@app.command()
def template(out: Annotated[Path, typer.Argument(help="Where to write the blank workbook (.xlsx).")]) -> None:
    """Write the blank inspection workbook, generated from the sheet declarations."""
    from auditor.workbook.template import write_template

    with reported():
        write_template(out)
    console.print(f"Blank inspection workbook: {out}")


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
