"""Peers benchmark: validating the same 100,000-row Intake table with other tools, as whole processes.

One CSV inspection folder (Facility.csv and an Intake.csv of 100,000 admissions from bench/ingest.py's
generator, valid), generated once under bench/.cache/. Each tool runs as a fresh process, in turn,
after a warm-up round; start-up and imports are part of each figure:

    ours         `auditor validate FOLDER` (read, parse, validate both sheets, every problem by cell)
    pandera      a plain script: pandas.read_csv, then one pandera DataFrameSchema with the same
                 checks (types, required cells, closed lists, the unique key, each row's date order)
    frictionless `frictionless`'s validate() of Intake.csv against a Table Schema of the same types,
                 required cells, closed lists and primary key (not the date order: see the README)

frictionless is not a dependency of auditor: install it into .venv to run its row
(`.venv/bin/pip install frictionless`); without it the row is skipped with a note. The two peer
scripts are written beside the data, to be read and run on their own.

Run: `make bench` or `.venv/bin/python bench/peers.py [--reps N] [--rows N] [--readme]`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from ingest import FACILITY, intake_frame  # noqa: E402
from readme import load_average, machine, markdown_table, process_turns, ratio, write_section  # noqa: E402

from auditor.workbook import declarations as decl  # noqa: E402
from auditor.workbook.write import write_inspection  # noqa: E402

CACHE = HERE / ".cache"
VERSION = 4  # bump when the generated folder or the scripts change
YES_NO = ["TRUE", "FALSE", "true", "false", "Yes", "No", "yes", "no", "Y", "N", "1", "0"]


def folder(rows: int) -> Path:
    """The cached CSV inspection folder, with the two peer scripts and the Table Schema beside it.
    (Not named frictionless_*.py: frictionless imports every such module it can see as a plugin.)"""
    out = CACHE / f"peers-{rows}-v{VERSION}"
    if not (out / "Intake.csv").exists():
        print(f"generating {out.name} (once)…", flush=True)
        write_inspection(out / "inspection", FACILITY, {"Intake": intake_frame(rows)}, csv=True)
        (out / "Intake.csv").symlink_to(out / "inspection" / "Intake.csv")
    columns = (out / "Intake.csv").open(encoding="utf-8").readline().strip().split(",")
    (out / "intake.schema.json").write_text(json.dumps(table_schema(columns), indent=1), encoding="utf-8")
    (out / "with_pandera.py").write_text(pandera_script(columns), encoding="utf-8")
    (out / "with_frictionless.py").write_text(FRICTIONLESS, encoding="utf-8")
    return out


def table_schema(columns: list[str]) -> dict:
    """A Frictionless Table Schema of the Intake columns the CSV holds."""
    fields = []
    for name in columns:
        column = decl.INTAKE.column(name)
        field: dict = {"name": name, "type": "string"}
        if column.kind is decl.Kind.DATETIME:
            field.update(type="datetime", format="%Y-%m-%d %H:%M")
        elif column.kind is decl.Kind.DATE:
            field.update(type="date", format="%Y-%m-%d")
        elif column.kind is decl.Kind.BOOL:
            field.update(type="boolean", trueValues=YES_NO[0::2], falseValues=YES_NO[1::2])
        elif column.kind is decl.Kind.ENUM:
            field["constraints"] = {"enum": list(column.choices)}
        if column.required:
            field.setdefault("constraints", {})["required"] = True
        fields.append(field)
    return {"fields": fields, "primaryKey": list(decl.INTAKE.key)}


FRICTIONLESS = '''"""Validate Intake.csv against intake.schema.json with frictionless: every error counted."""
import os
import sys

from frictionless import Resource, Schema

os.chdir(sys.argv[1])  # frictionless reads relative paths only (an absolute one is "not safe")
resource = Resource(path="Intake.csv", schema=Schema.from_descriptor("intake.schema.json"))
stats = resource.validate(limit_errors=10**9).tasks[0].stats
print(stats["errors"], "errors in", stats.get("rows"), "rows")
sys.exit(0 if stats.get("rows") else 2)  # no rows read: the file was refused, nothing was validated
'''


def pandera_script(columns: list[str]) -> str:
    """A plain pandas + pandera script with the checks of the Intake declaration, written out."""
    lines = [
        '"""Validate Intake.csv with pandas and pandera: every failing cell counted."""',
        "import sys",
        "",
        "import pandas as pd",
        "import pandera.pandas as pa",
        "",
        "YES_NO = " + repr(YES_NO),
        "frame = pd.read_csv(sys.argv[1] + '/Intake.csv', dtype=str, keep_default_na=False, na_values=[''])",
        "text = frame.copy()",
        "for name in " + repr([c for c in columns if decl.INTAKE.column(c).kind is decl.Kind.DATETIME]) + ":",
        "    frame[name] = pd.to_datetime(frame[name], format='%Y-%m-%d %H:%M', errors='coerce')",
        "for name in " + repr([c for c in columns if decl.INTAKE.column(c).kind is decl.Kind.DATE]) + ":",
        "    frame[name] = pd.to_datetime(frame[name], format='%Y-%m-%d', errors='coerce')",
        "",
        "",
        "def parsed(name):  # a date cell that held text but did not parse",
        "    check = lambda s, name=name: s.notna() | text.loc[s.index, name].isna()  # noqa: E731",
        "    return pa.Check(check, name=f'{name} parses', ignore_na=False)",
        "",
        "",
        "columns = {",
    ]
    for name in columns:
        column = decl.INTAKE.column(name)
        nullable = not column.required
        if column.kind in (decl.Kind.DATETIME, decl.Kind.DATE):
            lines.append(f"    {name!r}: pa.Column('datetime64[ns]', parsed({name!r}), nullable=True),")
        elif column.kind is decl.Kind.ENUM:
            lines.append(
                f"    {name!r}: pa.Column(str, pa.Check.isin({list(column.choices)!r}), nullable={nullable}),"
            )
        elif column.kind is decl.Kind.BOOL:
            lines.append(f"    {name!r}: pa.Column(str, pa.Check.isin(YES_NO), nullable={nullable}),")
        else:
            lines.append(f"    {name!r}: pa.Column(str, nullable={nullable}),")
    order = [(a, b) for a, b, _ in decl.INTAKE.order if a in columns and b in columns]
    required = [
        c
        for c in columns
        if decl.INTAKE.column(c).required
        and decl.INTAKE.column(c).kind in (decl.Kind.DATETIME, decl.Kind.DATE)
    ]
    lines += [
        "}",
        "ORDER = " + repr(order),
        "checks = [",
        "    pa.Check(lambda df, a=a, b=b: ~(df[b] < df[a]), name=f'{b} not before {a}') for a, b in ORDER",
        "]",
        "checks += [pa.Check(lambda df, c=c: text[c].notna(), name=f'{c} required') for c in "
        + repr(required)
        + "]",
        "schema = pa.DataFrameSchema(columns, checks=checks, unique=" + repr(list(decl.INTAKE.key)) + ")",
        "try:",
        "    schema.validate(frame, lazy=True)",
        "    print(0, 'failures')",
        "except pa.errors.SchemaErrors as errors:",
        "    print(len(errors.failure_cases), 'failures')",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--readme", action="store_true", help="write the figures to bench/README.md")
    args = parser.parse_args()
    data = folder(args.rows)
    python, auditor = sys.executable, str(Path(sys.executable).with_name("auditor"))
    commands = {
        "ours": [auditor, "validate", str(data / "inspection")],
        "pandera": [python, str(data / "with_pandera.py"), str(data)],
    }
    note = ""
    if importlib.util.find_spec("frictionless") is not None:
        commands["frictionless"] = [python, str(data / "with_frictionless.py"), str(data)]
    else:
        note = "frictionless is not installed (`.venv/bin/pip install frictionless`): its row is skipped."
        print(note)
    before = load_average()
    timed = process_turns(commands, args.reps)
    after = load_average()
    ours = timed["ours"]
    rows: list[tuple[str, ...]] = [
        ("tool (whole process)", "median s (min)", "CPU s", "peak MB", "ours / it (min)")
    ]
    for name, timing in timed.items():
        rows.append(
            (
                name,
                f"{timing.median:.2f} ({timing.min:.2f})",
                f"{timing.cpu_median:.2f}",
                f"{timing.peak:.0f}",
                "" if name == "ours" else f"**{ratio(ours, timing)}**",
            )
        )
    print("\n".join(markdown_table(rows)))
    if args.readme:
        write_section(readme_section(rows, args.rows, args.reps, (before, after), note))


def readme_section(
    rows: list[tuple[str, ...]], n: int, reps: int, load: tuple[float, float], note: str
) -> str:
    lines = [
        "## Peers",
        "",
        f"The same {n:,}-admission Intake table (a CSV inspection folder, valid) validated by three tools, "
        "each as a whole process, start-up and imports included (`bench/peers.py`, part of `make bench`; "
        "the data and the two peer scripts are written once into `bench/.cache/peers-*`, where they can be "
        "read and run). Reproduce with `.venv/bin/python bench/peers.py --readme`.",
        "",
        f"Machine: {machine()}. One warm-up round, then {reps} rounds in which the tools take turns; "
        "medians (minimums); the ratio is ours over the tool on its row, of the medians (of the minimums "
        f"in brackets). Load average (1 min) before / after: {load[0]:.1f} / {load[1]:.1f}.",
        "",
        *markdown_table(rows),
        "",
        "- **ours**: `auditor validate FOLDER`: both sheets read, parsed and validated, every problem "
        "with its cell, value, expectation and message; the standards' lint cache and the bounded reader "
        "child included.",
        "- **pandera**: `pandas.read_csv` as text, the date columns parsed with their format, then one "
        "`DataFrameSchema` with the same checks: a date that does not parse, required cells, closed lists "
        "(exact spelling), the unique (detainee_id, arrival) key, and each row's date order (a later event "
        "not before its earlier one), all failures collected (`lazy=True`).",
        "- **frictionless** (not a dependency; installed into .venv only for this bench): "
        "`Resource.validate()` of Intake.csv against a Table Schema of the same types (date formats), "
        "required cells, closed lists and primary key, every error counted. Table Schema has no "
        "cross-column rule short of a `row-constraint` formula evaluated row by row in Python, so the "
        "date order is not checked there: that row does less work than the other two.",
    ]
    if note:
        lines.append(f"- {note}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
