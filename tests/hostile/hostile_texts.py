"""Hostile text inputs: CSV folders in odd encodings and line ends or with bytes that are not
text, and absurd config files (YAML bombs, impossible numbers and dates, huge files)."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from builders import InspectionBuilder

MiB = 1 << 20
GiB = 1 << 30


def _csv_folder(folder: Path, name: str, change: Callable[[str, bytes], bytes]) -> Path:
    """The valid inspection as CSVs, every file's bytes passed through `change(file name, bytes)`."""
    target = InspectionBuilder().with_valid_sheets().csv(folder / name)
    for file in sorted(target.glob("*.csv")):
        file.write_bytes(change(file.name, file.read_bytes()))
    return target


def _reencode(encoding: str, bom: bytes) -> Callable[[str, bytes], bytes]:
    return lambda _, raw: bom + raw.decode("utf-8").encode(encoding)


def csv_cr_only(folder: Path) -> Path:
    return _csv_folder(folder, "cr-only", lambda _, raw: raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r"))


def csv_utf16(folder: Path) -> Path:
    return _csv_folder(folder, "utf-16", _reencode("utf-16-le", codecs.BOM_UTF16_LE))


def csv_utf32(folder: Path) -> Path:
    return _csv_folder(folder, "utf-32", _reencode("utf-32-be", codecs.BOM_UTF32_BE))


def csv_cp1252(folder: Path) -> Path:
    """Excel's "CSV (Comma delimited)": the facility's name with an é, as one byte 0xE9."""

    def accent(name: str, raw: bytes) -> bytes:
        text = raw.decode("utf-8")
        if name == "Facility.csv":
            text = text.replace("Fictional Service", "Fictional Sérvice")
        return text.encode("cp1252")

    return _csv_folder(folder, "cp1252", accent)


def _spoil_facility(spoil: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, raw: spoil(raw) if name == "Facility.csv" else raw


def csv_invalid_bytes(folder: Path) -> Path:
    """0x81 is neither UTF-8 nor Windows-1252 (one of its five undefined bytes)."""
    return _csv_folder(
        folder, "invalid-bytes", _spoil_facility(lambda raw: raw.replace(b"Fictional", b"Fic\x81tional"))
    )


def csv_nul_bytes(folder: Path) -> Path:
    return _csv_folder(
        folder, "nul-bytes", _spoil_facility(lambda raw: raw.replace(b"Fictional", b"Fic\0tional"))
    )


def csv_utf16_without_bom(folder: Path) -> Path:
    return _csv_folder(folder, "utf-16-no-bom", _reencode("utf-16-le", b""))


def csv_bad_utf16(folder: Path) -> Path:
    """A UTF-16 byte-order mark, then a lone surrogate (0xD800) the encoding cannot hold."""
    return _csv_folder(
        folder,
        "bad-utf-16",
        lambda _, raw: codecs.BOM_UTF16_LE + b"\x00\xd8" + raw.decode().encode("utf-16-le"),
    )


def csv_unclosed_quote(folder: Path) -> Path:
    return _csv_folder(
        folder, "unclosed-quote", _spoil_facility(lambda raw: raw.replace(b"Fictional", b'"Fictional', 1))
    )


def csv_sparse_gigabyte(folder: Path) -> Path:
    """A valid folder beside a 1 GiB Intake.csv of NULs (sparse: no disk)."""
    target = InspectionBuilder().with_valid_sheets().csv(folder / "sparse-1gb")
    with (target / "Intake.csv").open("r+b") as handle:
        handle.truncate(GiB)
    return target


def csv_no_files(folder: Path) -> Path:
    target = folder / "no-csv"
    target.mkdir()
    (target / "notes.txt").write_text("nothing here")
    return target


TAILORING = """\
facility_id: FIC-CDF-0002
approved_by: A. Delgado
reason: Contract terms.
overrides:
  MC-INTAKE-SCREEN:
    limit:
      hours: {hours}
"""  # hours on line 7
WAIVER = """\
waivers:
  - requirement_id: {rid}
    facility_id: FIC-CDF-0002
    justification: Steam table on order.
    approved_by: A. Delgado
    expires: {expires}
"""  # the id on line 2, the date on line 6


def yaml_bomb(levels: int = 9) -> str:
    """A YAML "billion laughs": 9 anchors of 9 aliases each, 9**9 strings once expanded."""
    names = "abcdefghij"
    lines = [f"{names[0]}: &{names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [
        f"{names[i]}: &{names[i]} [" + ", ".join([f"*{names[i - 1]}"] * 9) + "]" for i in range(1, levels)
    ]
    return "\n".join(lines) + "\n"


def text(name: str, content: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return make


def sparse(name: str, size: int, head: bytes = b"") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(head)
        with path.open("r+b") as handle:
            handle.truncate(size)
        return path

    return make


def huge_yaml(name: str) -> Callable[[Path], Path]:
    """20 MB of valid YAML: a list of 1.3 million short strings (the loader's cap is 1 MB)."""
    return text(name, "waivers:\n" + "  - lol lol lol\n" * 1_300_000)


def csv_huge_field(folder: Path) -> Path:
    """The facility's name is 300,000 characters (Python's csv stops at 131,072)."""
    return _csv_folder(
        folder, "huge-field", _spoil_facility(lambda raw: raw.replace(b"Fictional", b"F" * 300_000, 1))
    )


def csv_blank_lines(folder: Path) -> Path:
    """Five million empty lines after the Intake rows."""
    return _csv_folder(
        folder, "blank-lines", lambda name, raw: raw + b"\n" * 5_000_000 if name == "Intake.csv" else raw
    )
