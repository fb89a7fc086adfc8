"""The mutation fuzz of test_fuzz_readers.py, on the two other paths into the reader libraries:
a roster or SRMS export read by imports/table.open_table (calamine), and the annotated copy of an
inspection (openpyxl for an .xlsx, fastexcel again for an .ods or .xls). Every outcome is a result
or one WorkbookError line; never "the reader failed" for an error a library raised (a Rust panic
excepted: the bounded reader reports those), never a reader dying on a file of a few KB.

HOSTILE_FUZZ_EXAMPLES=500 runs more examples with fresh random seeds, as for the other fuzz.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mutate import mutate, mutate_inside, write_seeds
from rosters import NORTH, SOUTH, write_roster
from test_fuzz_readers import FUZZ, LIMITS, MUTATIONS, PANIC

from auditor.errors import ReadLimitError, WorkbookError
from auditor.imports.table import open_table
from auditor.workbook.annotate import annotate
from auditor.workbook.inspection import load


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The fuzz's seed inspections (.xlsx, .ods, .xls) and a roster as ICE writes it, as .xlsx
    and with the same rows as .ods; the bounded reader held to the fuzz's limits meanwhile."""
    saved = {name: os.environ.get(name) for name in LIMITS}
    os.environ.update(LIMITS)  # module-wide: hypothesis cannot use monkeypatch per example
    folder = tmp_path_factory.mktemp("inputs")
    ods = folder / "roster.ods"
    with pd.ExcelWriter(ods, engine="odf") as writer:
        pd.DataFrame([["ICE Facilities Data"]]).to_excel(writer, sheet_name="Header", index=False)
        pd.DataFrame([NORTH, SOUTH]).astype(str).to_excel(writer, sheet_name="Facilities FY27", index=False)
    seeds = write_seeds(folder / "seeds")
    yield {**seeds, "roster-xlsx": write_roster(folder / "roster.xlsx", [NORTH, SOUTH]), "roster-ods": ods}
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _one_line_or_panic(error: WorkbookError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message, message
    assert message.startswith(str(path)), message
    if isinstance(error, ReadLimitError):
        assert "the reader failed" not in message or PANIC.search(message), f"a library raised: {message}"
        assert "the reader stopped" not in message, f"a reader died on a small file: {message}"
        assert "needs more than" not in message, f"a small file needed over 1 GiB: {message}"


def _scratch(near: Path, suffix: str) -> Path:
    return Path(tempfile.mkdtemp(dir=near.parent)) / f"mutated{suffix}"


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
@FUZZ
@given(member=st.integers(0, 40), inside=st.booleans(), mutations=MUTATIONS)
def test_a_mutated_roster_is_read_or_refused_in_one_line(
    inputs, kind: str, member, inside, mutations
) -> None:
    source = inputs[f"roster-{kind}"].read_bytes()
    path = _scratch(inputs[f"roster-{kind}"], f".{kind}")
    path.write_bytes(mutate_inside(source, member, mutations) if inside else mutate(source, mutations))
    try:
        table = open_table(path, "Facilities")
    except WorkbookError as exc:
        _one_line_or_panic(exc, path)
        return
    assert table.sheet.startswith("Facilities")


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
@FUZZ
@given(member=st.integers(0, 40), mutations=MUTATIONS)
def test_the_annotated_copy_of_a_mutated_inspection_is_written_or_refused(
    inputs, kind: str, member, mutations
):
    source = inputs[kind].read_bytes()
    path = _scratch(inputs[kind], f".{kind}")
    path.write_bytes(mutate(source, mutations) if kind == "xls" else mutate_inside(source, member, mutations))
    out = path.with_name("annotated.xlsx")
    try:
        loaded = load(path)
        written = annotate(loaded.raw, loaded.problems, out)
    except WorkbookError as exc:
        _one_line_or_panic(exc, path)
        return
    assert written == out and out.stat().st_size > 0
