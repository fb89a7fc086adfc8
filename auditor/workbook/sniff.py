"""What kind of file is this? Decided from its bytes, never from its name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from auditor.errors import WorkbookError
from auditor.workbook.text_files import BOMS

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, data: bytes | None = None) -> str:
    """Return 'xlsx', 'xls', 'ods' or 'csv-folder', or raise WorkbookError saying what the file is.
    `data`: the file's bytes, when the caller has read them (the file is then not opened)."""
    if data is None:
        if path.is_dir():
            return "csv-folder"
        if not path.exists():
            raise WorkbookError(f"{path}: no such file or folder")
        with path.open("rb") as handle:
            head = handle.read(2048)
    else:
        head = data[:2048]
    if not head:
        raise WorkbookError(f"{path}: the file is empty")
    if head.startswith(b"PK"):
        return _zip_kind(path, data)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path, data)
    if head.startswith(b"%PDF"):
        raise WorkbookError(f"{path}: this is a PDF document, not a workbook")
    if _looks_like_text(head):
        if path.suffix.lower() == ".csv":
            raise WorkbookError(
                f"{path}: a single CSV file; give the folder that holds one CSV per sheet "
                "(Facility.csv, Intake.csv, …)"
            )
        raise WorkbookError(
            f"{path}: this is a text (CSV) file, not an Excel workbook; save it from Excel as "
            "'Excel Workbook (.xlsx)' or put the CSVs in a folder named after the sheets"
        )
    raise WorkbookError(f"{path}: not a workbook this tool can read (.xlsx, .xlsm, .xls, .ods)")


def _zip_kind(path: Path, data: bytes | None) -> str:
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # ValueError: a name not UTF-8
        raise WorkbookError(f"{path}: the workbook is damaged or truncated ({exc})") from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    if "xl/workbook.bin" in names:
        raise WorkbookError(
            f"{path}: an Excel binary workbook (.xlsb); save it from Excel as 'Excel Workbook (.xlsx)'"
        )
    if "word/document.xml" in names:
        raise WorkbookError(f"{path}: this is a Word document, not a workbook")
    raise WorkbookError(f"{path}: a ZIP archive that is not an Excel or OpenDocument workbook")


def _ole_kind(path: Path, data: bytes | None) -> str:
    names = ("EncryptedPackage", "Workbook", "Book")
    found = _find(path, names) if data is None else {n for n in names if n.encode("utf-16-le") in data}
    if "EncryptedPackage" in found:
        raise WorkbookError(
            f"{path}: the workbook is password-protected (encrypted); save an unprotected copy "
            "(File › Info › Protect Workbook › Encrypt with Password, then clear the password)"
        )
    if "Workbook" in found or "Book" in found:
        return "xls"
    raise WorkbookError(f"{path}: an Office file that is not a workbook (a Word document?)")


def _find(path: Path, names: tuple[str, ...]) -> set[str]:
    """Which stream names (UTF-16, as an OLE directory holds them) occur in the file, read in chunks."""
    wanted = {name: name.encode("utf-16-le") for name in names}
    found: set[str] = set()
    tail = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            data = tail + block
            found |= {name for name, raw in wanted.items() if raw in data}
            tail = data[-64:]
    return found


def _looks_like_text(head: bytes) -> bool:
    if head.startswith(tuple(bom for bom, _ in BOMS)):  # UTF-16/32 text has NULs, and a mark
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True
