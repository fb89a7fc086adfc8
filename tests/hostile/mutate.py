"""Byte mutations of small valid inspections, shared by the hypothesis fuzz and the atheris harness.

A mutation is (operation, position, byte, length): flip the bits of a byte, insert or delete a run,
overwrite a run with one byte, or copy a run elsewhere. Mutating a zip's compressed bytes mostly
breaks its checksums, so zip formats are also mutated inside: one part inflated, mutated and
zipped again with a correct CRC, so that the reader's XML and cell paths are reached.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
from builders import InspectionBuilder
from hostile_workbooks import valid_xls

OPERATIONS = ("flip", "insert", "delete", "fill", "copy")
Mutation = tuple[str, int, int, int]


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    out = bytearray(data)
    for operation, position, byte, length in mutations:
        at = position % (len(out) + 1)
        if operation == "flip" and out:
            at %= len(out)
            out[at] ^= byte or 0xFF
        elif operation == "insert":
            out[at:at] = bytes([byte]) * length
        elif operation == "delete":
            del out[at : at + length]
        elif operation == "fill":
            out[at : at + length] = bytes([byte]) * min(length, len(out) - at)
        elif operation == "copy" and out:
            start = (position * 7919 + byte) % len(out)
            out[at:at] = out[start : start + length]
    return bytes(out)


def mutate_inside(data: bytes, member: int, mutations: list[Mutation]) -> bytes:
    """The zip `data` with its `member`-th part (modulo their number) mutated, CRCs made right."""
    source = zipfile.ZipFile(io.BytesIO(data))
    infos = source.infolist()
    chosen = infos[member % len(infos)].filename
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in infos:
            content = source.read(info.filename)
            if info.filename == chosen:
                content = mutate(content, mutations)
            archive.writestr(info, content, compress_type=info.compress_type)
    return target.getvalue()


def small_builder() -> InspectionBuilder:
    """A valid inspection of three sheets: small, so that each example reads fast."""
    return InspectionBuilder().with_valid_sheets("Intake", "Housing", "Checks")


def write_seeds(folder: Path) -> dict[str, Path]:
    """A small valid inspection as .xlsx, .ods, .xls and a CSV folder."""
    builder = small_builder()
    folder.mkdir(parents=True, exist_ok=True)
    ods = folder / "seed.ods"
    with pd.ExcelWriter(ods, engine="odf") as writer:
        facility = pd.DataFrame({"field": list(builder.fields), "value": list(builder.fields.values())})
        facility.astype(object).to_excel(writer, sheet_name="Facility", index=False)
        for name, frame in builder.sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return {
        "xlsx": builder.xlsx(folder / "seed.xlsx"),
        "ods": ods,
        "xls": valid_xls(folder / "seed.xls"),
        "csv": builder.csv(folder / "seed-csv"),
    }
