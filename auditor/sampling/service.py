"""The use case `auditor sample` runs (and the web app can): draw a sample of one sheet's records into
a copy of the workbook, for the inspector to fill in."""

from __future__ import annotations

from pathlib import Path

from auditor.errors import WorkbookError
from auditor.sampling.draw import Draw, draw
from auditor.sampling.sheet import write_sample
from auditor.sampling.size import Design, DesignError
from auditor.workbook import declarations as decl


def draw_sample(
    path: str | Path, sheet: str, design: Design, out: str | Path, seed: int | None = None
) -> Draw:
    """Validate the workbook, draw a sample of `sheet`'s records sized for `design`, and write the
    copy with its Sample sheet to `out`. Raises WorkbookError when there is nothing sound to draw from."""
    from auditor.core import validate_inspection

    name = _population_sheet(sheet)
    loaded = validate_inspection(path)
    if not loaded.valid:
        raise WorkbookError(
            f"{path} has {loaded.problems.errors} errors: a sample is drawn from a valid workbook "
            f"(see `auditor validate {path}`)"
        )
    if decl.SAMPLE.name in loaded.raw.sources:
        raise WorkbookError(
            f"{path} already has a Sample sheet: drawing again would replace the inspector's findings; "
            "draw into a copy without it"
        )
    frame = loaded.inspection.sheets.get(name)
    if frame is None or frame.empty:
        raise WorkbookError(f"{path} has no {name} records to sample")
    drawn = draw(name, frame.index, design, seed)
    write_sample(loaded.raw, drawn, Path(out))
    return drawn


def _population_sheet(sheet: str) -> str:
    """The declared sheet `sheet` names (matched as sheet names are: case, spaces, `_`, `-` ignored)."""
    wanted = decl.normalise_name(sheet)
    for name in decl.POPULATION_SHEETS:
        if decl.normalise_name(name) == wanted:
            return name
    raise DesignError(
        f"--sheet {sheet!r}: records are sampled from one of {', '.join(decl.POPULATION_SHEETS)}"
    )
