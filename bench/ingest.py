"""Ingest benchmark: how fast an inspection workbook is read, parsed and validated.

1. A 200,000-row Intake workbook (every Intake column, realistic values; generated once and
   cached under bench/.cache/): bare `pandas.read_excel(engine="calamine")` of the Intake sheet
   against our `load()` (read + parse + validate, every sheet).
2. Validation alone at 1,000,000 rows, in memory: our parse + validate path on a RawSheet of
   text against hand-written vectorised pandas checks of the same conditions that also give the
   failing (row, column) pairs; on valid data and with 1 % of the cells bad.

Run: `make bench` or `.venv/bin/python bench/ingest.py [--reps N] [--rows N] [--valid-rows N]`.
Medians of several repetitions; goals: load ≤ 0.5× read_excel, validation ≤ 1.5× (valid) and
≤ 2.5× (1 % bad) the hand-written checks.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readme import medians, write_section  # noqa: E402

from auditor.contracts.problems import Problems  # noqa: E402
from auditor.workbook import declarations as decl  # noqa: E402
from auditor.workbook.cells import column_letter  # noqa: E402
from auditor.workbook.inspection import load  # noqa: E402
from auditor.workbook.parse import parse_sheet  # noqa: E402
from auditor.workbook.read import RawSheet  # noqa: E402
from auditor.workbook.validate import conditional_required, row_order, validate_sheet  # noqa: E402
from auditor.workbook.write import write_inspection  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
GENERATOR_VERSION = 3  # bump when the generated data changes, so the cached workbook is rebuilt
REVIEW_START = np.datetime64("2026-01-01T00:00")
MINUTES_IN_REVIEW = 90 * 24 * 60
REVIEW_END = REVIEW_START + np.timedelta64(MINUTES_IN_REVIEW, "m")  # 2026-04-01 00:00, local
HOUR = np.timedelta64(1, "h")
UNITS = ["A-1", "A-2", "B-1", "B-2", "C-1", "MED", "SMU", "INT"]
FACILITY = {
    "facility_id": "BENCH-SPC-001",
    "facility_name": "Benchmark Service Processing Center (fictional)",
    "facility_type": "SPC",
    "aor": "PHO",
    "state": "AZ",  # no daylight saving: random local times never fall in a skipped or repeated hour
    "detention_standard": "PBNDS-2011",
    "rated_capacity": 2000,
    "inspection_id": "BENCH-2026-001",
    "inspection_type": "full",
    "inspection_start": "2026-04-06",
    "inspection_end": "2026-04-09",
    "review_period_start": "2026-01-01",
    "review_period_end": "2026-03-31",
    "lead_inspector": "Benchmark Inspector",
}


# ---------------------------------------------------------------------------- data


def intake_frame(n: int, seed: int = 2026) -> pd.DataFrame:
    """A typed Intake sheet of n admissions: every column, plausible times, some left empty."""
    rng = np.random.default_rng(seed)
    minutes = np.timedelta64(1, "m")
    arrival = REVIEW_START + rng.integers(0, MINUTES_IN_REVIEW, n) * minutes

    def after(base: np.ndarray, low_h: float, high_h: float, share: float = 1.0) -> np.ndarray:
        stamps = base + (rng.uniform(low_h, high_h, n) * 60).astype("int64") * minutes
        return np.where(rng.random(n) < share, stamps, np.datetime64("NaT"))

    sex = rng.choice(np.array(["M", "F", "X"]), n, p=[0.85, 0.14, 0.01])
    classified = after(arrival, 2, 20)
    referral = after(arrival, 24, 120, share=0.1)
    acute = rng.random(n) < 0.05
    frame = pd.DataFrame(
        {
            "detainee_id": [f"A{x:09d}" for x in rng.permutation(n) + 200_000_000],
            "arrival": arrival,
            "sex": sex,
            "date_of_birth": np.datetime64("1960-01-01") + rng.integers(0, 17_000, n).astype(
                "timedelta64[D]"
            ),
            "housing_unit": rng.choice(np.array(UNITS), n),
            "classification_level": rng.integers(1, 4, n),
            "classified": classified,
            "reclassified": after(classified, 60 * 24, 90 * 24, share=0.3),
            "general_population": after(arrival, 12, 72, share=0.9),
            "medical_screening": after(arrival, 1, 12),
            "mental_health_screening": after(arrival, 1, 12),
            "tb_screening": after(arrival, 1, 12),
            "health_assessment": after(arrival, 24, 14 * 24, share=0.95),
            "dental_screening": after(arrival, 24, 14 * 24, share=0.9),
            "pregnancy_test": np.where(sex == "F", after(arrival, 1, 24), np.datetime64("NaT")),
            "acute_condition": acute,
            "acute_evaluation": np.where(acute, after(arrival, 1, 48), np.datetime64("NaT")),
            "mental_health_referral": referral,
            "mental_health_evaluation": np.where(
                pd.isna(referral), np.datetime64("NaT"), after(referral, 24, 72)
            ),
            "handbook_issued": after(arrival, 0, 24),
            "release": after(arrival, 24, 80 * 24, share=0.6),
        }
    )
    for name in frame.columns:
        if decl.INTAKE.column(name).kind in (decl.Kind.DATETIME, decl.Kind.DATE):
            frame[name] = frame[name].astype("datetime64[us]")
    return _as_recorded(frame)


def _as_recorded(frame: pd.DataFrame) -> pd.DataFrame:
    """As a facility's records read at the review period's end: no event after it, and no stay
    released before its own last event (the reader warns of both: a clean workbook has neither)."""
    events = [
        name
        for name in frame.columns
        if decl.INTAKE.column(name).kind is decl.Kind.DATETIME and name not in ("arrival", "release")
    ]
    for name in events:
        frame[name] = frame[name].where(frame[name] < REVIEW_END)
    latest = frame[events].max(axis=1)
    release = frame["release"]
    frame["release"] = release.where(release.isna() | latest.isna() | (release > latest), latest + HOUR)
    return frame


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The typed frame as the text cells the reader gives (pandas `str` columns, blanks missing)."""
    arrays = {}
    for name in frame.columns:
        kind = decl.INTAKE.column(name).kind
        column = frame[name]
        if kind in (decl.Kind.DATETIME, decl.Kind.DATE):  # ISO text, cut to minutes or days
            iso = pc.cast(pa.array(column), pa.string())
            arrays[name] = pc.utf8_slice_codeunits(iso, 0, 16 if kind is decl.Kind.DATETIME else 10)
        elif kind is decl.Kind.BOOL:
            arrays[name] = pa.array(np.where(column.to_numpy(), "TRUE", "FALSE"))
        else:
            arrays[name] = pc.cast(pa.array(column), pa.string())
    return pa.table(arrays).to_pandas()


BAD_TEXT = {
    decl.Kind.DATETIME: ["03/04/2026", "2026-02-30 10:00", "soon", "07:30"],
    decl.Kind.DATE: ["12/31/1990", "1990-02-30", "unknown"],
    decl.Kind.ENUM: ["Q", "4", "male?"],
    decl.Kind.BOOL: ["maybe", "2"],
    decl.Kind.TEXT: [None],  # a required id left empty
}


def spoil(text: pd.DataFrame, share: float, seed: int = 7) -> pd.DataFrame:
    """Make `share` of the cells bad (bad date text, unknown codes, missing ids)."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for name in text.columns:
        column = decl.INTAKE.column(name)
        original = pa.array(text[name])
        if column.kind is decl.Kind.TEXT and not column.required:
            arrays[name] = original
            continue
        rows = rng.random(len(text)) < share
        bad = pa.array(rng.choice(np.array(BAD_TEXT[column.kind], dtype=object), len(text)), pa.string())
        arrays[name] = pc.if_else(pa.array(rows), bad, original)
    return pa.table(arrays).to_pandas()


def raw_sheet(text: pd.DataFrame) -> RawSheet:
    frame = text.copy()
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    letters = {name: column_letter(i) for i, name in enumerate(frame.columns)}
    return RawSheet(name="Intake", source="Intake", frame=frame, letters=letters)


def workbook(rows: int) -> Path:
    """The cached benchmark workbook (xlsxwriter is slow: written once)."""
    path = CACHE / f"intake-{rows}-v{GENERATOR_VERSION}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"generating {path.name} (once; xlsxwriter writes ~15 s per 100k rows × 10 columns)…")
        started = time.perf_counter()
        partial = path.with_suffix(".partial.xlsx")
        write_inspection(partial, FACILITY, {"Intake": intake_frame(rows)})
        partial.rename(path)
        print(f"  written in {time.perf_counter() - started:.0f} s")
    return path


# ---------------------------------------------------------------------------- baseline


def hand_written(text: pd.DataFrame) -> pd.DataFrame:
    """The same conditions as the contract, checked by hand with vectorised pandas.

    Returns the failing (row, column) pairs. This is the yardstick: what a careful engineer
    writes for this one sheet without a declaration layer, messages or a Problems table.
    """
    rows: list[np.ndarray] = []
    columns: list[str] = []
    index = text.index.to_numpy()
    typed: dict[str, pd.Series] = {}

    def fail(name: str, mask: pd.Series) -> None:
        hit = index[mask.to_numpy(dtype=bool, na_value=False)]
        rows.append(hit)
        columns.extend([name] * len(hit))

    for column in decl.INTAKE.columns:
        name, kind = column.name, column.kind
        values = text[name]
        present = values.notna()
        if kind in (decl.Kind.DATETIME, decl.Kind.DATE):
            parsed = pd.to_datetime(values, format="ISO8601", errors="coerce")
            bad = present & parsed.isna()
            if kind is decl.Kind.DATE:
                bad |= parsed.notna() & (parsed != parsed.dt.normalize())
            fail(name, bad)
            typed[name] = parsed.where(~bad)
        elif kind is decl.Kind.ENUM:
            fail(name, present & ~values.str.lower().isin([c.lower() for c in column.choices]))
        elif kind is decl.Kind.BOOL:
            fail(name, present & ~values.str.lower().isin(["true", "false", "yes", "no", "y", "n", "1", "0"]))
        if column.required:
            fail(name, ~present)
    key = text[list(decl.INTAKE.key)]
    fail("detainee_id", key.duplicated(keep=False) & key.notna().all(axis=1))
    for earlier, later, _ in decl.INTAKE.order:
        fail(later, typed[later] < typed[earlier])
    found = np.concatenate(rows) if rows else np.array([], dtype="int64")
    return pd.DataFrame({"row": found, "column": columns})


def ours(text_sheet: RawSheet) -> Problems:
    frame, parts = parse_sheet(text_sheet, decl.INTAKE)
    parts += validate_sheet(frame, text_sheet, decl.INTAKE)
    parts += conditional_required(frame, text_sheet, decl.INTAKE)
    parts += row_order(frame, text_sheet, decl.INTAKE)
    return Problems.collect(parts, [s.name for s in decl.SHEETS])


# ---------------------------------------------------------------------------- timing


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def pa_version() -> str:
    from importlib.metadata import version

    return version("pandera")


def fastexcel_version() -> str:
    from importlib.metadata import version

    return version("fastexcel")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the Intake workbook")
    parser.add_argument("--valid-rows", type=int, default=1_000_000, help="rows for validation alone")
    parser.add_argument("--readme", action="store_true", help="write the figures to bench/README.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]

    path = workbook(args.rows)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"pandas {pd.__version__}, pandera {pa_version()}, fastexcel {fastexcel_version()}")
    (read_s, read_cpu, frame), (load_s, load_cpu, loaded) = medians(
        [lambda: pd.read_excel(path, sheet_name="Intake", engine="calamine"), lambda: load(path)], args.reps
    )
    assert len(frame) == args.rows
    assert len(loaded.inspection.sheets["Intake"]) == args.rows, "the benchmark rows were not all read"
    assert not loaded.problems.has_errors, loaded.problems.frame.head()

    text = as_text(intake_frame(args.valid_rows, seed=11))
    results = []
    for label, data in (("valid", text), ("1 % bad", spoil(text, 0.01))):
        sheet = raw_sheet(data)
        (base_s, base_cpu, pairs), (our_s, our_cpu, problems) = medians(
            [lambda d=sheet.frame: hand_written(d), lambda s=sheet: ours(s)], args.reps
        )
        assert len(pairs) == len(problems), "the two ways found different cells"
        results.append((label, base_s, base_cpu, our_s, our_cpu, len(pairs), len(problems)))

    n = args.rows
    rows = [
        ("measure", "median s", "rows/s", "ratio", "CPU s", "CPU ratio", "goal"),
        (f"read_excel calamine, {n:,} rows", f"{read_s:.2f}", f"{n / read_s:,.0f}", "1.00",
         f"{read_cpu:.2f}", "1.00", ""),
        (f"load() read+parse+validate, {n:,} rows", f"{load_s:.2f}", f"{n / load_s:,.0f}",
         f"{load_s / read_s:.2f}", f"{load_cpu:.2f}", f"{load_cpu / read_cpu:.2f}", "≤ 0.5"),
    ]
    m = args.valid_rows
    for label, base_s, base_cpu, our_s, our_cpu, n_pairs, n_problems in results:
        rows.append((f"hand-written checks, {m:,} rows {label} ({n_pairs:,} cells)", f"{base_s:.2f}",
                     f"{m / base_s:,.0f}", "1.00", f"{base_cpu:.2f}", "1.00", ""))
        goal = "≤ 1.5" if label == "valid" else "≤ 2.5"
        rows.append((f"parse+validate, {m:,} rows {label} ({n_problems:,} problems)", f"{our_s:.2f}",
                     f"{m / our_s:,.0f}", f"{our_s / base_s:.2f}", f"{our_cpu:.2f}",
                     f"{our_cpu / base_cpu:.2f}", goal))
    print(table(rows))
    load_after = os.getloadavg()[0]
    print(f"load average (1 min) before / after: {load_before:.1f} / {load_after:.1f}")
    if args.readme:
        write_section(readme_section(rows, args.reps, (load_before, load_after)))


def readme_section(rows: list[tuple[str, ...]], reps: int, load: tuple[float, float]) -> str:
    header, *body = rows
    lines = [
        "## Ingest",
        "",
        "Reading, parsing and validating an inspection (`bench/ingest.py`, part of `make bench`). "
        "Reproduce with `.venv/bin/python bench/ingest.py --readme` (the 200,000-row workbook is "
        "written once into `bench/.cache/`, which takes about a minute).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, pandera {pa_version()}, fastexcel {fastexcel_version()}. Medians of "
        f"{reps} runs; the two functions compared take turns. Load average (1 min) before / after: "
        f"{load[0]:.1f} / {load[1]:.1f}: the machine is shared, so wall times move with it; CPU "
        "seconds (every thread of the process) move less. Goals are on the wall-time ratio.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in body),
        "",
        "- `read_excel`: `pandas.read_excel(path, sheet_name=\"Intake\", engine=\"calamine\")`, values only.",
        "- `load()`: the Facility and Intake sheets read by fastexcel while a thread streams the sheet "
        "XML for what fastexcel does not report (first row, merged cells, formulas without a result, "
        "error cells, numbers as text); every cell parsed and validated; every problem with its cell.",
        "- Validation alone: the Intake sheet as text in memory (the reader's output), parsed and "
        "validated by `parse_sheet` + `validate_sheet` + `conditional_required` + `row_order` + "
        "`Problems.collect`, against hand-written vectorised pandas checks of the same conditions "
        "that return the failing (row, column) pairs (both find the same number of cells). The bad "
        "data has 1 % of the cells spoiled: ambiguous and unreal dates, times without a date, "
        "unknown codes, bad booleans, missing ids.",
        "- What made it fast: dates go through Arrow's strict ISO 8601 cast (Feb 30 refused), "
        "falling back per cell only where the digits could be unreal; enum and boolean words "
        "lower-cased by Arrow rather than `casefold` (a Python loop); pandera validates in place; "
        "problem values and sort keys built without Python loops; unknown sheets are never loaded.",
        "- Before that work (same machine, one run each, quieter): `load()` 0.51× `read_excel`; "
        "parse+validate 3.6× the hand-written checks with 1 % bad cells (27.6 s against 7.7 s), "
        "most of it re-parsing bad date columns through pandas.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
