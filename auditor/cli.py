"""The command line: thin typer commands over the same core functions the web app calls.

Only this module prints or chooses exit codes: 0 done (valid), 1 the input has errors,
2 usage errors, 3 an audit met --fail-on.
"""

from __future__ import annotations

import gc
import json
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from auditor import __version__
from auditor.cli_support import OneLineErrors, output_argument, output_folder, output_path, stem_of
from auditor.errors import AuditorError

app = typer.Typer(
    name="auditor",
    help="Check detention-facility inspections against ICE detention standards.",
    no_args_is_help=True,
    cls=OneLineErrors,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 160)

TEXT_LIMIT = 1000


class Format(StrEnum):
    text = "text"
    json = "json"


DataDir = Annotated[
    Path,
    typer.Option(
        "--data",
        envvar="AUDITOR_DATA",
        file_okay=False,
        help="The web app's data folder: database, uploaded files, results and reports.",
    ),
]


@contextmanager
def reported():
    """Turn the auditor's own errors, and the system's (a file that vanished, a full disk), into one
    line and their exit code — never a traceback."""
    try:
        yield
    except AuditorError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}", 1)


def fail(message: str, code: int) -> NoReturn:
    """Print one `error:` line (the message is data, never markup) and exit with `code`."""
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)
    raise typer.Exit(code) from None


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
    Path,
    typer.Argument(
        exists=True, help="An inspection workbook (.xlsx, .xlsm, .xls, .ods) or a folder of CSVs."
    ),
]


@app.command()
def validate(
    path: ExistingPath,
    format: Annotated[Format, typer.Option("--format", "-f", help="text (a table) or json.")] = Format.text,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            parser=output_argument,
            help="Write a copy with every bad cell highlighted and commented (a file or a folder).",
        ),
    ] = None,
) -> None:
    """Check an inspection workbook against the workbook contract; list every problem by cell."""
    from auditor.core import validate_inspection, validation_json

    with reported():
        if annotate is not None:
            annotate = output_path(annotate, f"{stem_of(path)}-annotated.xlsx")
        loaded = validate_inspection(path)
        if annotate is not None:
            from auditor.workbook.annotate import annotate as write_annotated  # openpyxl: 0.1 s

            write_annotated(loaded.raw, loaded.problems, annotate)
    problems = loaded.problems
    if format is Format.json:
        sys.stdout.write(json.dumps(validation_json(path, loaded), indent=2, ensure_ascii=False) + "\n")
    else:
        print_problems(path, problems)
        if annotate is not None:
            console.print(f"Annotated copy: {annotate}")
    raise typer.Exit(1 if problems.has_errors else 0)


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
        # the cells' text is data, never markup: '[/x]' typed in a cell must not end the command
        expected = f" [dim](expected {escape(rec['expected'])})[/]" if rec["expected"] else ""
        problem = escape(rec["message"]) + expected
        table.add_row(mark, escape(ref), escape(rec["column"] or ""), escape(value), problem)
    console.print(table)
    if len(problems) > TEXT_LIMIT:
        console.print(f"… and {len(problems) - TEXT_LIMIT} more: --format json or --annotate lists them all.")
    verdict = "[red]not valid[/]" if problems.has_errors else "[green]valid[/]"
    console.print(f"{path}: {verdict} — {problems.errors} error(s), {problems.warnings} warning(s).")


# ---------------------------------------------------------------------------- template


def _facility_id(value: str | None) -> str | None:
    """--facility names a file and a registry row: the id rule of every entry point, or exit 2."""
    from auditor.workbook.ids import facility_id_problem

    if value is not None and (why := facility_id_problem(value)):
        raise typer.BadParameter(why)
    return value


@app.command()
def template(
    out: Annotated[
        Path, typer.Argument(parser=output_argument, help="Where to write the workbook (.xlsx, or a folder).")
    ],
    facility: Annotated[
        str | None,
        typer.Option(
            "--facility",
            help="Pre-fill the Facility sheet from this registry facility (ids: `auditor facilities list`).",
            callback=_facility_id,
        ),
    ] = None,
    data: DataDir = Path("auditor-data"),
) -> None:
    """Write the blank inspection workbook, generated from the sheet declarations; with --facility,
    its Facility sheet pre-filled from the facility registry of --data."""
    from auditor.workbook.template import write_template

    with reported():
        out = output_path(out, f"{facility or 'inspection-template'}.xlsx")
        if facility is None:
            write_template(out)
        else:
            from auditor.registry import open_registry, prefilled_workbook

            prefilled_workbook(open_registry(_database(data)), facility, out)
    if facility is None:
        console.print(f"Blank inspection workbook: {out}")
    else:
        console.print(f"Inspection workbook for {facility}, Facility sheet pre-filled: {out}", markup=False)


def _database(data: Path) -> Path:
    """The database file of a data folder (the workspace the web app serves), never created here."""
    from auditor.service.workspace import DATABASE

    return data.resolve() / DATABASE


def _workspace(data: Path):
    """The workspace of a data folder, created if need be (nothing is processed in the background)."""
    from auditor.service.workspace import Workspace

    return Workspace.open(data.resolve())


# ---------------------------------------------------------------------------- audit


class FailOn(StrEnum):
    deficient = "deficient"
    priority = "priority"


Tailoring = Annotated[
    Path | None,
    typer.Option(
        "--tailoring", exists=True, dir_okay=False, help="Thresholds tailored for this facility (YAML)."
    ),
]
Waivers = Annotated[
    Path | None,
    typer.Option(
        "--waivers", exists=True, dir_okay=False, help="Waivers with justification and expiry (YAML or CSV)."
    ),
]
Previous = Annotated[
    Path | None,
    typer.Option(
        "--previous",
        exists=True,
        dir_okay=False,
        help="Results JSON of the previous inspection, for repeat deficiencies.",
    ),
]


@app.command()
def audit(
    path: ExistingPath,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="text (a summary) or json (the results contract).")
    ] = Format.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", parser=output_argument, help="Write to this file (or folder), not the terminal."
        ),
    ] = None,
    tailoring: Tailoring = None,
    waivers: Waivers = None,
    previous: Previous = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Exit 3 when any requirement (or any priority one) is deficient."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            file_okay=False,
            help="Record the file and its results in this data folder, as an upload is (needs --as).",
        ),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--as", help="With --data: the account the inspection is recorded for.")
    ] = None,
) -> None:
    """Validate, then evaluate every requirement of the facility's edition."""
    from auditor.core import audit_inspection, validation_json

    with reported():
        if output is not None:
            suffix = "-results.json" if format is Format.json else "-audit.txt"
            output = output_path(output, stem_of(path) + suffix)
        if data is not None:
            done = _audit_into(data, path, user, tailoring or waivers or previous)
        else:
            done = audit_inspection(path, tailoring=tailoring, waivers=waivers, previous=previous)
    if done.results is None:
        if format is Format.json:
            _emit(json.dumps(validation_json(path, done.loaded), indent=2, ensure_ascii=False) + "\n", output)
        else:
            print_problems(path, done.loaded.problems)
            err.print(
                "Nothing was evaluated: fix the errors above "
                "(auditor validate --annotate marks them in a copy)."
            )
        raise typer.Exit(1)
    results = done.results
    del done  # the typed sheets, not needed to write the results (840 MB at a million admissions)
    if format is Format.json:
        _emit(results.to_json() + "\n", output)
    elif output is not None:
        with reported(), output.open("w", encoding="utf-8") as handle:
            print_summary(results, Console(file=handle, width=120, highlight=False))
    else:
        print_summary(results, console)
    raise typer.Exit(_exit_for(results, fail_on))


def _audit_into(data: Path, path: Path, name: str | None, own_config: Path | None):
    """`audit --data`: the file recorded and checked in the workspace, as an upload is."""
    from auditor.core import Audit
    from auditor.errors import ConfigError, WorkbookError
    from auditor.service.accounts import user_named
    from auditor.service.audits import audit_file

    if own_config is not None:
        raise ConfigError(
            "with --data the workspace's waivers and the facility's previous results apply: "
            "--tailoring, --waivers and --previous are for an audit without --data"
        )
    ws = _workspace(data)
    if name is None:
        raise ConfigError("--data records the inspection for an account: add --as NAME (auditor users list)")
    account = user_named(ws.db, name)
    if account is None:
        raise ConfigError(f"--as {name!r}: there is no such account in {ws.data_dir} (auditor users list)")
    recorded = audit_file(ws, path, account)
    upload = recorded.upload
    err.print(f"Recorded as upload {upload['id']} in {ws.data_dir}: {upload['status']}.", markup=False)
    if recorded.loaded is None:
        raise WorkbookError(f"{path}: {upload['message']}")
    return Audit(recorded.loaded, recorded.results)


def _exit_for(results, fail_on: FailOn | None) -> int:
    summary = results.summary
    if fail_on is FailOn.deficient and summary.deficient:
        return 3
    if fail_on is FailOn.priority and summary.priority_deficiencies:
        return 3
    return 0


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        with reported():
            output.write_text(text, encoding="utf-8")


def print_summary(results, out: Console) -> None:
    """ODO's headline first (deficiencies, priority, repeat, decided of in scope), our rating beside it,
    then the deficient requirements and, apart, the indeterminate ones (never shown as compliant)."""
    from auditor.report.view import headline, record_counts

    f, i, s, head = results.facility, results.inspection, results.summary, headline(results)
    out.print(f"[bold]{f['facility_name']}[/] ({f['facility_id']}) — {f['facility_type']}, AOR {f['aor']}")
    out.print(
        f"Inspection {i['inspection_id']}, {i['inspection_start']} to {i['inspection_end']}; review period "
        f"{i['review_period_start']} to {i['review_period_end']}; standards {results.standards['edition']} "
        f"(catalogue {results.standards['catalogue_version']})"
    )
    out.print(f"[bold]Found {head.deficiencies_text}; {head.decided_text}.[/]")
    colour = {"Meets Standards": "green", "Incomplete": "yellow"}.get(s.rating, "red")
    policy = "this project's policy, not an ICE rating"
    out.print(f"Rating: [bold {colour}]{s.rating}[/] ({policy}) — {s.rating_reason}")
    out.print(f"[dim]{results.rating_policy.get('statement', '')} {head.coverage_rule}[/]")
    out.print(
        f"{s.total_requirements} requirements: {s.compliant} compliant, {s.deficient} deficient "
        f"({s.priority_deficiencies} priority, {s.repeat_deficiencies} repeat), "
        f"{s.indeterminate} indeterminate, {s.waived} waived, "
        f"{s.not_applicable} not applicable, {s.not_assessed} not assessed"
        + (f", {s.error} could not be evaluated" if s.error else "")
    )
    deficient = [r for r in results.results if r.status in ("deficient", "waived")]
    if deficient:
        table = Table(box=None, header_style="bold", pad_edge=False)
        for name in ("", "requirement", "title", "records", "threshold"):
            table.add_column(name, overflow="fold")
        for r in deficient:
            flags = "P" * r.priority + "R" * r.repeat + "W" * (r.status == "waived")
            threshold = r.threshold.text + (" [yellow](unverified)[/]" if r.threshold.unverified else "")
            table.add_row(flags, r.requirement_id, r.title, _records(r, record_counts), threshold)
        out.print(table)
        out.print("[dim]P priority component · R repeat deficiency · W waived[/]")
    undecided = [r for r in results.results if r.status == "indeterminate"]
    if undecided:
        out.print(
            f"[bold]Indeterminate ({len(undecided)})[/]: no violation proven, some records undecided — "
            "not compliant; evidence needed"
        )
        table = Table(box=None, header_style="bold", pad_edge=False)
        for name in ("requirement", "title", "records", "absent columns"):
            table.add_column(name, overflow="fold")
        for r in undecided:
            table.add_row(r.requirement_id, r.title, _records(r, record_counts), ", ".join(r.absent_columns))
        out.print(table)


def _records(result, record_counts) -> str:
    """The three counts of a data requirement; an observation has none."""
    return record_counts(result) if result.type == "data" and result.population else ""


# ---------------------------------------------------------------------------- standards

standards_app = typer.Typer(help="Read, list and lint the machine-readable standards.", no_args_is_help=True)
app.add_typer(standards_app, name="standards")


@standards_app.command("lint")
def standards_lint(
    root: Annotated[
        Path | None,
        typer.Option(
            "--root", exists=True, file_okay=False, help="A standards folder (default: the packaged one)."
        ),
    ] = None,
) -> None:
    """Check every standards file; print the file and line of each problem."""
    from auditor.standards.lint import lint

    issues = lint(root.resolve() if root else None)
    for issue in issues:
        console.print(str(issue), markup=False, soft_wrap=True)  # one file:line issue per line
    if issues:
        err.print(f"{len(issues)} problem(s).")
        raise typer.Exit(1)
    console.print("[green]✓[/] standards are valid.")


@standards_app.command("list")
def standards_list(
    edition: Annotated[
        str | None, typer.Option("--edition", "-e", help="One edition (default: all).")
    ] = None,
) -> None:
    """List the requirements of an edition (or of every edition)."""
    from auditor.engine.kinds import KINDS
    from auditor.standards.load import available_editions, load_edition

    with reported():
        names = [edition] if edition else available_editions()
        for name in names:
            ed = load_edition(name)
            table = Table(
                title=f"{ed.name}: {ed.title} — {len(ed.requirements)} requirements "
                f"(catalogue {ed.catalogue_version})",
                box=None,
                header_style="bold",
                title_justify="left",
            )
            for column in ("id", "area", "standard", "P", "kind", "threshold", "conf"):
                table.add_column(column, overflow="fold")
            for r in ed.requirements.values():
                table.add_row(
                    r.id,
                    r.area,
                    f"{r.standard_number} {r.standard_name}",
                    "P" if r.priority else "",
                    r.kind,
                    KINDS[r.kind].describe(r.check),
                    r.confidence,
                )
            console.print(table)


@standards_app.command("show")
def standards_show(
    requirement_id: Annotated[str, typer.Argument(help="A requirement id, e.g. HR-CHECKS.")],
    edition: Annotated[
        str | None, typer.Option("--edition", "-e", help="One edition (default: every edition defining it).")
    ] = None,
) -> None:
    """Show one requirement: citation, rationale, rule and threshold, the data it needs."""
    from auditor.engine.kinds import KINDS, population_label
    from auditor.errors import StandardsError
    from auditor.standards.load import available_editions, load_edition
    from auditor.standards.model import check_columns

    with reported():
        names = [edition] if edition else available_editions()
        found = [
            load_edition(n).requirements[requirement_id]
            for n in names
            if requirement_id in load_edition(n).requirements
        ]
        if not found:
            raise StandardsError(f"no requirement {requirement_id!r} in {', '.join(names)}")
        for r in found:
            console.print(f"[bold]{r.id}[/] — {r.title}  [dim]({r.edition})[/]")
            rows = [
                ("citation", r.citation),
                *([("citation note", r.citation_note)] if r.citation_note else []),
                ("area", r.area),
                ("priority", "yes" if r.priority else "no"),
                ("confidence", f"{r.confidence} — {r.confidence_source}"),
                ("description", r.description),
                ("rationale", r.rationale),
                (
                    "rule",
                    f"{r.kind}: {KINDS[r.kind].describe(r.check)}"
                    + ("  [unverified threshold]" if r.unverified_threshold else ""),
                ),
                ("population", population_label(r.check)),
                ("parameters", json.dumps({k: v for k, v in r.check.items() if k != "kind"})),
                (
                    "needs",
                    "; ".join(f"{s}: {', '.join(sorted(c))}" for s, c in check_columns(r.check).items()),
                ),
                ("corrective action", r.corrective_action),
                ("file", str(r.file)),
            ]
            table = Table(box=None, show_header=False, pad_edge=False)
            table.add_column(style="bold", no_wrap=True)
            table.add_column(overflow="fold")
            for key, value in rows:
                table.add_row(key, Text(value))  # data, not markup: "[unverified threshold]" stays
            console.print(table)
            console.print()


# ---------------------------------------------------------------------------- reports

InspectionOrResults = Annotated[
    Path, typer.Argument(exists=True, help="An inspection (workbook or CSV folder) or a results JSON.")
]


def _results_or_exit(path: Path, tailoring: Path | None, waivers: Path | None, previous: Path | None):
    from auditor.core import results_of

    with reported():
        done = results_of(path, tailoring=tailoring, waivers=waivers, previous=previous)
    if done.results is None:
        print_problems(path, done.loaded.problems)
        err.print("No report was written: fix the errors above.")
        raise typer.Exit(1)
    return done.results


@app.command()
def report(
    path: InspectionOrResults,
    output: Annotated[
        Path, typer.Option("--output", "-o", parser=output_argument, help="The PDF to write (or a folder).")
    ],
    tailoring: Tailoring = None,
    waivers: Waivers = None,
    previous: Previous = None,
    pdf_a: Annotated[
        bool, typer.Option("--pdf-a", help="Write PDF/A-3b with the results JSON embedded (for archives).")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", parser=output_argument, help="Also write the HTML preview here (or a folder)."
        ),
    ] = None,
) -> None:
    """Write the facility compliance report (PDF) for administrators."""
    from auditor.contracts.results import Results
    from auditor.report.facility import facility_html, facility_pdf
    from auditor.report.trend import results_trend
    from auditor.report.view import headline

    with reported():
        output = output_path(output, f"{stem_of(path)}-report.pdf")
        html = output_path(html, f"{stem_of(path)}-report.html") if html is not None else None
    results = _results_or_exit(path, tailoring, waivers, previous)
    with reported():
        trend = results_trend(results, [Results.read(previous)] if previous else [])
        facility_pdf(results, output, pdf_a=pdf_a, trend=trend)
        if html is not None:
            html.write_text(facility_html(results, preview=True, trend=trend), encoding="utf-8")
    head = headline(results)
    console.print(
        f"Report: {output} — {results.facility['facility_name']}: {head.rating} (our policy); "
        f"{head.deficiencies_text}; {head.decided_text}; {head.indeterminate} indeterminate"
    )


ODO_TOTALS = ("deficient", "priority_deficiencies", "repeat_deficiencies", "indeterminate")


@app.command()
def portfolio(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", parser=output_argument, help="The portfolio PDF to write (or a folder)."
        ),
    ],
    results: Annotated[
        list[Path] | None,
        typer.Argument(exists=True, help="Results JSON files (or folders of them)."),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            exists=True,
            help="Start from ICE's roster: a Detention Statistics workbook or `facilities import` JSON.",
        ),
    ] = None,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--data", file_okay=False, help="Start from the facility registry of this data folder instead."
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date overdue inspections are judged at (default: today).")
    ] = None,
    overdue_months: Annotated[
        int, typer.Option("--overdue-months", min=1, help="Overdue when no inspection ended within this.")
    ] = 12,
    reports: Annotated[
        Path | None,
        typer.Option(
            "--reports",
            parser=output_argument,
            help="Also write the report of every facility's latest inspection into this folder.",
        ),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Processes for the facility reports.")
    ] = None,
) -> None:
    """Write the portfolio report across facilities: one row per facility, its latest inspection
    (earlier ones as its history); the same inspection given twice counts once."""
    from auditor.contracts.results import Results
    from auditor.imports.roster import load_roster
    from auditor.report.portfolio import facility_reports, latest_inspections, portfolio_pdf, report_links
    from auditor.report.roster import roster_summary

    if roster is not None and registry is not None:
        fail("start from --roster or from the registry (--data), not both", 2)
    if not results and roster is None and registry is None:
        fail("give results files or folders, or --roster or --data (or both)", 2)
    with reported():
        output = output_path(output, "portfolio.pdf")
        if reports is not None:
            output_folder(reports)
        files = _results_files(results or [])
        if results and not files:
            fail(f"no results files (*.json) in {', '.join(map(str, results))}: nothing to report", 1)
        loaded = {path: Results.read(path) for path in files}
        latest = latest_inspections(loaded.values())
        extra = {}
        if roster is not None or registry is not None:
            ice = load_roster(roster) if roster is not None else _registry_roster(registry)
            extra = {"roster": ice, "as_of": _day(as_of), "overdue_months": overdue_months}
        chosen = [path for path, r in loaded.items() if any(r is kept for kept in latest)]
        # the portfolio links each facility to its report, written below
        links = report_links([(p, loaded[p]) for p in chosen], reports, output) if reports else None
        portfolio_pdf(list(loaded.values()), output, report_links=links, **extra)  # earlier ones as history
        written = facility_reports(chosen, reports, jobs=jobs) if reports else []
    inspections = f" (their latest of {len(loaded)} results files)" if len(loaded) > len(latest) else ""
    counted = (
        roster_summary(list(loaded.values()), **extra) + inspections
        if extra
        else f"{len(latest)} facilities{inspections}"
    )
    totals = [sum(getattr(r.summary, k) for r in latest) for k in ODO_TOTALS]
    console.print(
        f"Portfolio: {output} — {counted}; {totals[0]} deficiencies ({totals[1]} priority, "
        f"{totals[2]} repeat), {totals[3]} requirements indeterminate"
    )
    if written:
        console.print(f"Facility reports: {len(written)} in {reports}")


def _results_files(paths: list[Path]) -> list[Path]:
    """The results files named, folders read for their *.json; a file named twice is read once."""
    found: dict[Path, Path] = {}
    for path in paths:
        for file in sorted(path.glob("*.json")) if path.is_dir() else [path]:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def _registry_roster(data: Path):
    from auditor.errors import RegistryError
    from auditor.registry import open_registry, registry_roster

    found = registry_roster(open_registry(_database(data)))
    if found is None:
        raise RegistryError(f"the facility registry in {data} is empty: import a roster first")
    return found


def _day(text: str | None):
    import datetime as dt

    from auditor.errors import ConfigError

    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--as-of {text!r}: give a date as YYYY-MM-DD") from None


@app.command()
def ucap(
    path: InspectionOrResults,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", parser=output_argument, help="The workbook to write (.xlsx, or a folder)."
        ),
    ],
    tailoring: Tailoring = None,
    waivers: Waivers = None,
    previous: Previous = None,
) -> None:
    """Write the corrective-action plan and the full evidence annex as a workbook."""
    from auditor.report.ucap import write_ucap

    with reported():
        output = output_path(output, f"{stem_of(path)}-ucap.xlsx")
    results = _results_or_exit(path, tailoring, waivers, previous)
    with reported():
        write_ucap(results, output)
    s = results.summary
    console.print(
        f"Corrective-action plan: {output} — {s.deficient} deficiencies"
        + (f"; {s.indeterminate} indeterminate (evidence needed)" if s.indeterminate else "")
    )


# ---------------------------------------------------------------------------- corrective actions


def _data_folder(data: Path):
    """The workspace of an existing data folder: a mistyped --data is an error, not a new folder."""
    from auditor.errors import ConfigError

    if not _database(data).is_file():
        raise ConfigError(f"{data}: not an auditor data folder (it has no {_database(data).name})")
    return _workspace(data)


cap_app = typer.Typer(
    help="Corrective-action items: a returned plan taken back, the items listed.", no_args_is_help=True
)
app.add_typer(cap_app, name="cap")


@cap_app.command("import")
def cap_import(
    path: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help="The plan (.xlsx from `auditor ucap`), filled in."),
    ],
    data: DataDir = Path("auditor-data"),
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            parser=output_argument,
            help="Write a copy with every bad cell marked (a file or folder).",
        ),
    ] = None,
    user: Annotated[str | None, typer.Option("--as", help="Who answered, for the action log.")] = None,
) -> None:
    """Take a returned corrective-action plan back: every cell checked, then each response recorded."""
    from auditor.service.cap import import_plan

    with reported():
        if annotate is not None:
            annotate = output_path(annotate, f"{stem_of(path)}-annotated.xlsx")
        done = import_plan(_data_folder(data), path, by=user, annotate_to=annotate)
    if len(done.problems):
        print_problems(path, done.problems)
    if done.annotated is not None:
        err.print(f"Annotated copy: {done.annotated}", markup=False)
    if not done.accepted:
        err.print("Nothing was recorded: fix the errors above and import the plan again.")
        raise typer.Exit(1)
    console.print(
        f"Recorded {done.recorded} response(s) to inspection {done.inspection_id} at {done.facility_id}.",
        markup=False,
    )


@cap_app.command("list")
def cap_list(
    data: DataDir = Path("auditor-data"),
    facility: Annotated[
        str | None, typer.Option("--facility", callback=_facility_id, help="Only this facility's items.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """List corrective-action items: status, target date, overdue, and the inspection that closed each."""
    from auditor.service.cap import list_items

    with reported():
        items = list_items(_data_folder(data).db, facility_id=facility)
    if fmt is Format.json:
        sys.stdout.write(json.dumps({"items": items}, indent=2, ensure_ascii=False) + "\n")
        return
    overdue = sum(item["overdue"] for item in items)
    console.print(f"{len(items)} corrective-action item(s) in {data}; {overdue} overdue", markup=False)
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("facility", "requirement", "inspection", "status", "target", "closed by"):
        table.add_column(column)
    for item in items:
        status = item["status"] + (" (overdue)" if item["overdue"] else "")
        closed = f"verified by inspection {item['closed_by']}" if item["closed_by"] else ""
        row = (
            item["facility_id"],
            item["requirement_id"],
            item["inspection"],
            status,
            item["target_date"],
            closed,
        )
        table.add_row(*(Text(value or "") for value in row))
    console.print(table)


# ---------------------------------------------------------------------------- sample


@app.command()
def sample(
    path: ExistingPath,
    sheet: Annotated[str, typer.Option("--sheet", help="The sheet whose records are sampled, e.g. Intake.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            parser=output_argument,
            help="The copy with its Sample sheet (.xlsx, or a folder).",
        ),
    ],
    confidence: Annotated[
        float, typer.Option(help="Confidence the sample is sized for (0.5 to 0.999).")
    ] = 0.95,
    margin: Annotated[
        float, typer.Option(help="Tolerable minus expected deviation rate (0.01 to 0.5).")
    ] = 0.05,
    expected_rate: Annotated[float, typer.Option(help="Deviation rate expected in the population.")] = 0.0,
    seed: Annotated[
        int | None, typer.Option(min=0, max=2**53 - 1, help="Seed of the random draw (default: a fresh one).")
    ] = None,
) -> None:
    """Draw a reproducible random sample of a sheet's records for file review (docs/sampling.md)."""
    from auditor.sampling.service import draw_sample
    from auditor.sampling.size import Design

    with reported():
        output = output_path(output, f"{stem_of(path)}-sample.xlsx")
        drawn = draw_sample(path, sheet, Design(confidence, margin, expected_rate), output, seed)
    census = " (every record: a census)" if drawn.size.census else ""
    console.print(
        f"Sample: {drawn.size.records} of {drawn.population} {drawn.sheet} records{census}, seed {drawn.seed}"
        f" — {output}, sheet Sample"
    )
    console.print(f"Method: {drawn.method}", soft_wrap=True)


# ---------------------------------------------------------------------------- demo and generate


@app.command()
def demo(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", parser=output_argument, help="Folder for the reports, plans and results."
        ),
    ] = Path("out"),
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Processes rendering the facility reports.")
    ] = 2,
) -> None:
    """Audit the four fictional sample facilities and write their reports, plans and the portfolio."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from auditor.demo import run_demo, samples

    steps = 2 * len(samples()) + 2
    with reported():
        output_folder(out)
    with (
        reported(),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as progress,
    ):
        task = progress.add_task("Starting", total=steps)
        started: list[str] = []

        def step(description: str) -> None:  # each step completes the one before it
            progress.update(task, description=description, advance=1 if started else 0)
            started.append(description)

        facilities, portfolio_path = run_demo(out, jobs=jobs, step=step)
        progress.update(task, description="Done", completed=steps)
    for facility in facilities:
        console.print(f"[bold]{facility.slug}[/]")
        console.print(f"  report   {facility.report_path}")
        console.print(f"  plan     {facility.ucap_path}")
        console.print(f"  results  {facility.results_path}")
        console.print(f"  {facility.verdict}")
    console.print(f"[bold]Portfolio[/] {portfolio_path}")


@app.command()
def generate(
    out: Annotated[
        Path, typer.Argument(parser=output_argument, help="Folder to write the inspections into.")
    ],
    facilities: Annotated[int, typer.Option("--facilities", "-n", min=1, help="How many facilities.")] = 1,
    admissions: Annotated[
        int, typer.Option("--admissions", "-a", min=10, help="Admissions per facility.")
    ] = 500,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same inspections.")] = 1,
    deficiency_rate: Annotated[
        float,
        typer.Option("--deficiency-rate", min=0.0, max=1.0, help="Share of each population made deficient."),
    ] = 0.02,
    csv: Annotated[bool, typer.Option("--csv", help="Write CSV folders instead of .xlsx workbooks.")] = False,
) -> None:
    """Write deterministic synthetic inspections (valid, with controlled deficiency rates)."""
    from auditor.generate.synthetic import write_synthetic

    with reported():
        output_folder(out)
        written = write_synthetic(
            out, facilities, admissions, seed=seed, deficiency_rate=deficiency_rate, csv=csv
        )
    for path in written:
        console.print(str(path))


# ---------------------------------------------------------------------------- imports

facilities_app = typer.Typer(help="ICE's facility roster: import it, list it.", no_args_is_help=True)
app.add_typer(facilities_app, name="facilities")


@facilities_app.command("import")
def facilities_import(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="An ICE Detention Statistics workbook (FY19 onwards)."
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            parser=output_argument,
            help="Write here (a file or a folder), not to the screen.",
        ),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            file_okay=False,
            help="Also save the facilities into the registry of this data folder (the web app's).",
        ),
    ] = None,
) -> None:
    """Read the Facilities sheet: one record per facility, with ICE's last inspection and rating."""
    from auditor.imports.roster import import_roster

    with reported():
        if output is not None:
            output = output_path(output, f"{path.stem}-roster.{'json' if fmt is Format.json else 'txt'}")
        roster = import_roster(path)
        saved = _save_roster(roster, data) if data is not None else None
    if fmt is Format.json:
        _emit(json.dumps(roster.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    elif output is not None:
        with reported(), output.open("w", encoding="utf-8") as handle:
            print_roster(roster, Console(file=handle, width=200, highlight=False))
    else:
        print_roster(roster, console)
    if saved is not None:  # on stderr beside JSON, which stays the only thing on stdout
        (err if fmt is Format.json and output is None else console).print(
            f"Registry of {data}: {saved['added']} added, {saved['updated']} updated, "
            f"{saved['unchanged']} unchanged, {saved['older']} not overwritten "
            "(the registry's record is from a later roster).",
            markup=False,
        )


def _save_roster(roster, data: Path) -> dict:
    from auditor.registry import save_roster

    return save_roster(_workspace(data).db, roster)


@facilities_app.command("list")
def facilities_list(
    data: DataDir = Path("auditor-data"),
    aor: Annotated[str | None, typer.Option("--aor", help="Only this area of responsibility.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """List the facility registry of a data folder (filled by `auditor facilities import --data`)."""
    from auditor.registry import list_registry, newest_roster_import, open_registry

    with reported():
        db = open_registry(_database(data))
        rows = list_registry(db, aor)
        newest = newest_roster_import(db)
    if fmt is Format.json:
        sys.stdout.write(json.dumps({"facilities": rows}, indent=2, ensure_ascii=False) + "\n")
        return
    source = f" (newest roster: {newest['file']}, data of {newest['data_date']})" if newest else ""
    current = sum(r["listed"] for r in rows)
    history = f"; {len(rows) - current} more no longer listed, kept as history" if len(rows) > current else ""
    console.print(f"{current} facilities in the registry of {data}{source}{history}", markup=False)
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "facility", "state", "AOR", "type", "standard", "ICE's last inspection", "rating"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            *(
                Text(value or "")
                for value in (
                    r["facility_id"],
                    r["name"] + ("" if r["listed"] else " (no longer listed)"),
                    r["state"],
                    r["aor"],
                    r["facility_type_label"],
                    r["detention_standard"] or r["detention_standard_label"],
                    r["last_inspection_end"] or r["last_inspection_status"],
                    r["final_rating"],
                )
            )
        )
    console.print(table)


def print_roster(roster, out: Console) -> None:
    source = roster.source
    out.print(
        f"[bold]{source['file']}[/] — sheet {source['sheet']!r}, header row {source['header_row']}, "
        f"rows {source['first_row']}–{source['last_row']}: {source['facilities']} facilities"
        + (f" (data of {source['data_date']})" if source.get("data_date") else "")
    )
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("row", "facility", "state", "ZIP", "AOR", "type", "standard", "last inspection", "rating"):
        table.add_column(column)
    for f in roster.facilities:
        when = f.last_inspection_end or f.last_inspection_status
        kind = f.last_inspection_type_label or ""
        standard = f.detention_standard or f.detention_standard_label or ""
        table.add_row(
            str(f.row),
            f.name,
            f.state or "",
            f.zip or "",
            f.aor or "",
            f.facility_type_label or "",
            standard,
            f"{kind} {when}".strip(),
            f.final_rating or "",
        )
    out.print(table)
    print_unrecognised(roster.unrecognised, out)


def print_unrecognised(unrecognised, out: Console) -> None:
    """Values an import profile does not know: kept as found, each with its cell."""
    if unrecognised:
        out.print(f"[yellow]{len(unrecognised)} value(s) the profile does not know, kept as found:[/]")
        for item in unrecognised:
            out.print(f"  {item.ref} {item.field}: {item.value!r} (expected {item.expected})", markup=False)


import_app = typer.Typer(
    help="Map other systems' exports onto the inspection workbook.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@import_app.command("srms")
def import_srms_command(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="ICE's Segregation Review Management System export."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            parser=output_argument,
            help="The folder to write: a CSV folder and a results JSON per facility.",
        ),
    ],
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            exists=True,
            dir_okay=False,
            help="ICE's roster (a Detention Statistics workbook or `facilities import` JSON): "
            "facility type, state and standard by facility name.",
        ),
    ] = None,
) -> None:
    """One placement per SRMS report, split by facility; the two field-office notices evaluated."""
    from auditor.imports.roster import load_roster
    from auditor.imports.srms import import_srms

    with reported():
        output_folder(output)
        facilities = load_roster(roster) if roster is not None else None
        done = import_srms(path, output, roster=facilities)
    print_srms(done, console)


def print_srms(done, out: Console) -> None:
    source = done.source
    out.print(
        f"[bold]{source['file']}[/] — sheet {source['sheet']!r}, header row {source['header_row']}: "
        f"{done.rows_in:,} rows in"
    )
    out.print(
        f"  {done.report_rows:,} report rows (rows {source['first_report_row']}–"
        f"{source['last_report_row']}) → {done.placements_out:,} placements in "
        f"{len(done.facilities)} facility folders under {done.out_dir}"
    )
    out.print(f"  {done.blank_rows:,} blank rows, not imported")
    if done.orphan_rows:
        shown = ", ".join(done.orphan_refs[:3]) + (", …" if len(done.orphan_refs) > 3 else "")
        rows = done.orphan_row_numbers
        out.print(
            f"  [yellow]{done.orphan_rows} rows with values but no facility, not imported[/] "
            f"(rows {rows[0]}–{rows[-1]}: {shown})",
            soft_wrap=True,
        )
    for requirement, total in done.totals().items():
        share = f" ({100 * total['late'] / total['population']:.1f} %)" if total["population"] else ""
        out.print(
            f"  {requirement}: {total['late']:,} late of {total['population']:,}{share}, "
            f"{total['indeterminate']:,} undecided; {total['deficient_facilities']} facilities deficient, "
            f"{total['compliant_facilities']} compliant, {total['indeterminate_facilities']} undecided"
        )
    out.print(
        f"  per facility: {done.out_dir / 'import-summary.csv'}; every cell reported: "
        f"{done.out_dir / 'import-issues.csv'}"
    )
    for note in done.notes:
        refs = f" ({', '.join(note.refs[:3])}{', …' if len(note.refs) > 3 else ''})" if note.refs else ""
        out.print(f"  note: {note.message}{refs}", markup=False, soft_wrap=True)
    print_unrecognised(done.unrecognised, out)


# ---------------------------------------------------------------------------- web: serve and users


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    data: DataDir = Path("auditor-data"),
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", min=0.001, help="Largest upload accepted, in MB.")
    ] = 50,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies",
            help="Cookies without the Secure flag, for plain http on this machine (a loopback --host only).",
        ),
    ] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Uploads checked at once.")] = 2,
    session_idle: Annotated[
        float, typer.Option("--session-idle-minutes", min=1, help="A session unused this long ends.")
    ] = 30,
    account_failures: Annotated[
        int, typer.Option("--signin-account-failures", min=1, help="Failed sign-ins refusing an account.")
    ] = 5,
    address_failures: Annotated[
        int, typer.Option("--signin-address-failures", min=1, help="Failed sign-ins refusing an address.")
    ] = 20,
    window: Annotated[
        float, typer.Option("--signin-window-minutes", min=1, help="How long a failed sign-in counts.")
    ] = 15,
    signing_key: Annotated[
        Path | None,
        typer.Option(
            "--signing-key",
            envvar="AUDITOR_SIGNING_KEY",
            exists=True,
            dir_okay=False,
            help="Sign sign-offs with this key: PKCS#12, or PEM with --signing-cert (docs/signoff.md).",
        ),
    ] = None,
    signing_cert: Annotated[
        Path | None,
        typer.Option(
            "--signing-cert",
            envvar="AUDITOR_SIGNING_CERT",
            exists=True,
            dir_okay=False,
            help="The certificate of a PEM --signing-key.",
        ),
    ] = None,
) -> None:
    """Run the web app: inspectors upload workbooks, administrators see every facility."""
    from auditor.web import Settings, create_app
    from auditor.web.server import is_loopback, server
    from auditor.web.settings import MB

    if insecure_cookies and not is_loopback(host):
        raise typer.BadParameter(
            "only with a loopback --host (127.0.0.1): serve others over HTTPS",
            param_hint="--insecure-cookies",
        )
    settings = Settings(
        data_dir=data.resolve(),
        max_upload_bytes=int(max_upload_mb * MB),
        secure_cookies=not insecure_cookies,
        workers=workers,
        session_idle_minutes=session_idle,
        signin_account_failures=account_failures,
        signin_address_failures=address_failures,
        signin_window_minutes=window,
    )
    with reported():  # a --data that cannot be created is one line, not a traceback
        has_users = _has_users(settings)
    if not has_users:
        err.print(
            f"No account yet: create one with `auditor users add NAME --role administrator --data {data}`."
        )
    with reported():  # a key that cannot sign is refused now, not at the first sign-off
        _signing_key(settings.data_dir, signing_key, signing_cert)
    console.print(f"auditor web app on http://{host}:{port}/ — data in {settings.data_dir}")
    if settings.secure_cookies:
        err.print("Cookies are Secure: serve behind HTTPS, or add --insecure-cookies for plain http here.")
    server(create_app(settings), settings, host, port).run()


def _signing_key(data: Path, key: Path | None, cert: Path | None) -> None:
    """`serve --signing-key [--signing-cert]`: the key this server's sign-offs use, set as the
    environment variables set it (its password only ever in AUDITOR_SIGNING_PASSWORD), and opened now."""
    import os

    from auditor.errors import ConfigError
    from auditor.service import signing

    if key is None:
        if cert is not None:
            raise ConfigError(f"--signing-cert {cert}: the certificate of a --signing-key; give both")
        return
    before = {name: os.environ.get(name) for name in ("AUDITOR_SIGNING_KEY", "AUDITOR_SIGNING_CERT")}
    os.environ["AUDITOR_SIGNING_KEY"] = str(key.resolve())
    if cert is not None:
        os.environ["AUDITOR_SIGNING_CERT"] = str(cert.resolve())
    else:
        os.environ.pop("AUDITOR_SIGNING_CERT", None)
    try:
        who = signing.identity(data, create=False)
    except BaseException:  # a key refused is not left configured for whatever runs next in this process
        for name, value in before.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
        raise
    assert who is not None  # a configured key is never None
    err.print(f"Sign-offs are signed as {who.subject} (certificate SHA-256 {who.fingerprint[:16]}…).")


def _has_users(settings) -> bool:
    from auditor.service.accounts import list_users

    return bool(list_users(_workspace(settings.data_dir).db))


users_app = typer.Typer(help="Accounts of the web app.", no_args_is_help=True)
app.add_typer(users_app, name="users")


class Role(StrEnum):
    inspector = "inspector"
    reviewer = "reviewer"
    administrator = "administrator"


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user name to sign in with.")],
    role: Annotated[
        Role, typer.Option("--role", help="inspector, reviewer (reads only) or administrator.")
    ],
    data: DataDir = Path("auditor-data"),
) -> None:
    """Create an account; the password is asked twice and never shown."""
    from auditor.service.accounts import AccountError, add_user

    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with reported():
        ws = _workspace(data)
        try:
            add_user(ws.db, name, role.value, password)
        except AccountError as exc:
            fail(str(exc), 1)
    console.print(f"Added {role.value} {name!r} to {ws.data_dir}.", markup=False)


@users_app.command("list")
def users_list(data: DataDir = Path("auditor-data")) -> None:
    """List the accounts (names, roles, creation dates)."""
    from auditor.service.accounts import list_users

    if not _database(data).exists():
        fail(f"no web app data in {data.resolve()} (no account yet)", 1)
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("name", "role", "created"):
        table.add_column(column)
    with reported():
        users = list_users(_workspace(data).db)
    for user in users:
        table.add_row(user["name"], user["role"], user["created_at"])
    console.print(table)


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Argument(help="The account whose password changes.")],
    data: DataDir = Path("auditor-data"),
) -> None:
    """Give an account a new password (asked twice, never shown); every session it has ends."""
    from auditor.service.accounts import AccountError, set_password

    if not _database(data).exists():
        fail(f"no web app data in {data.resolve()} (no account yet)", 1)
    password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with reported():
        try:
            ended = set_password(_workspace(data).db, name, password, by=None)
        except AccountError as exc:
            fail(str(exc), 1)
    sessions = f"{ended} session{'s' * (ended != 1)}"
    console.print(f"Changed the password of {name!r}; {sessions} ended.", markup=False)


@app.command("log")
def log_command(
    data: DataDir = Path("auditor-data"),
    facility: Annotated[
        str | None, typer.Option("--facility", help="Only this facility's entries (and waivers for *).")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only this account's entries.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this UTC day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="To this UTC day, included.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="At most this many.")] = 500,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """The action log of a data folder, newest first, filtered by facility, user and days.

    Who did what, when, to which facility and inspection, from which address: sign-ins, uploads,
    audits, waivers, accounts, downloads of reports."""
    from auditor.db import Database
    from auditor.service import action_log

    if not _database(data).exists():
        fail(f"no web app data in {data.resolve()}", 1)
    with reported():
        wanted = action_log.filters(facility, user, since, until, limit)
        found = action_log.entries(Database(_database(data)), wanted)
    if fmt is Format.json:
        sys.stdout.write(json.dumps({"entries": found}, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("when (UTC)", "who", "what", "target", "facility", "inspection", "from", "detail"):
        table.add_column(column)
    for e in found:
        cells = (e["at"].replace("T", " ").rstrip("Z"), e["user_name"] or "system", e["what"], e["target"])
        more = (e["facility_id"], e["inspection_id"], e["address"], e["detail"])
        table.add_row(*(Text(value or "") for value in (*cells, *more)))
    count = f"{len(found)} entr{'y' if len(found) == 1 else 'ies'}"
    console.print(f"{count} of the action log of {data}", markup=False)
    console.print(table)


# ---------------------------------------------------------------------------- sign-off and verify


@app.command()
def signoff(
    inspection: Annotated[
        str, typer.Argument(help="The inspection: its number in the web app (/inspections/N) or its id.")
    ],
    user: Annotated[str, typer.Option("--as", help="The administrator who signs it off.")],
    data: DataDir = Path("auditor-data"),
    facility: Annotated[
        str | None, typer.Option("--facility", help="The facility's id, when two facilities use that id.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", parser=output_argument, help="Also copy the signed PDF here (or a folder)."
        ),
    ] = None,
) -> None:
    """Sign off an inspection's latest audited version: its final report, signed (PAdES), is stored once."""
    import shutil

    from auditor.service.accounts import user_named
    from auditor.service.signoff import find_inspection, sign_off

    with reported():  # where the copy goes is settled first: a bad --output signs nothing
        output = output_path(output, f"{inspection}-signed.pdf") if output is not None else None
    if not _database(data).exists():
        fail(f"no web app data in {data.resolve()} (nothing to sign off)", 1)
    with reported():
        ws = _workspace(data)
        account = user_named(ws.db, user)
        if account is None:
            fail(f"--as {user!r}: there is no such account in {ws.data_dir} (auditor users list)", 1)
        done = sign_off(ws, find_inspection(ws.db, inspection, facility), account)
        if output is not None:
            shutil.copyfile(done.path, output)
    note = " with the data folder's self-signed certificate" if done.self_signed else ""
    console.print(
        f"Signed off version {done.version} of inspection {inspection} as {done.signer_name} "
        f"({done.signer_role}){note}: {output or done.path}",
        markup=False,
    )


@app.command()
def verify(
    report: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A signed report (PDF).")],
    trust: Annotated[
        Path | None,
        typer.Option("--trust", exists=True, dir_okay=False, help="Trust this certificate (PEM or DER)."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="AUDITOR_DATA",
            file_okay=False,
            help="Trust this data folder's signing certificate.",
        ),
    ] = None,
) -> None:
    """Check a signed report: one PAdES signature over the whole file by a trusted certificate, and the
    SHA-256 of its embedded results. Exit 0 valid, 1 invalid."""
    from auditor.service import signing

    with reported():
        if trust is not None:
            roots = signing.trusted_certificates(trust)
        elif data is not None:
            who = signing.identity(data.resolve(), create=False)
            if who is None:
                fail(f"{data}: this data folder has no signing certificate (nothing was signed off there)", 2)
            roots = [who.certificate]
        else:
            roots = []  # intact or not is still told; trusted needs --trust or --data
        verdict = signing.verify_pdf(report, roots)
    hint = "" if verdict.valid or roots else " (give --trust CERT or --data DIR)"
    word = "valid" if verdict.valid else "invalid"
    console.print(f"{word}: {verdict.line}{hint}", markup=False, soft_wrap=True)
    raise typer.Exit(0 if verdict.valid else 1)


FacilityIds = Annotated[
    list[str] | None, typer.Argument(help="Facility ids (auditor facilities list), one or more.")
]
EveryFacility = Annotated[
    bool, typer.Option("--all", help="Every facility (reviewers only), instead of facility ids.")
]


@users_app.command("assign")
def users_assign(
    name: Annotated[str, typer.Argument(help="The inspector's or reviewer's user name.")],
    facility_ids: FacilityIds = None,
    every: EveryFacility = False,
    data: DataDir = Path("auditor-data"),
) -> None:
    """Assign facilities to an inspector (who then uploads for and reads them) or a reviewer."""
    from auditor.service.assignments import assign

    with reported():
        added = assign(_workspace(data).db, None, name, facility_ids or [], every=every)
    console.print(f"Assigned to {name}: {', '.join(added) or 'nothing new'}.", markup=False)


@users_app.command("unassign")
def users_unassign(
    name: Annotated[str, typer.Argument(help="The inspector's or reviewer's user name.")],
    facility_ids: FacilityIds = None,
    every: EveryFacility = False,
    data: DataDir = Path("auditor-data"),
) -> None:
    """Take facilities away from an inspector or reviewer (their uploads for them too)."""
    from auditor.service.assignments import unassign

    with reported():
        removed = unassign(_workspace(data).db, None, name, facility_ids or [], every=every)
    console.print(f"Taken from {name}: {', '.join(removed) or 'nothing (not assigned)'}.", markup=False)


def main() -> None:
    # pandera imports hypothesis, when installed (the tests' extra), only to offer data strategies,
    # which no command uses: 0.13 s of every validate and audit. None here reads as not installed.
    sys.modules.setdefault("hypothesis", None)  # type: ignore[assignment]
    try:
        app(prog_name="auditor")  # the same name in messages when run as `python -m auditor`
    finally:
        # The process ends here: the interpreter's last collections would walk every object still
        # alive (the inspection's frames, the libraries' modules) only to free what the exit frees
        # anyway, 0.25 s of a 10,000-admission audit's 2.2 s. Files and databases are closed by then.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
