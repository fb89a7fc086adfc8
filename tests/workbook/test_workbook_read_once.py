"""An upload is read once (issue 12, item 4): its bytes are opened once, hashed once, each sheet's XML
inflated once for the container check and the scan, and the annotated copy is made from the same
bytes. The opens are counted at the file itself (a named pipe serves each open), so the readers
written in Rust, whose opens no Python patch sees, are counted too."""

from __future__ import annotations

import ctypes
import hashlib
import os
import select
import struct
import threading
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import InspectionBuilder

from auditor import untrusted
from auditor.service import store
from auditor.service.accounts import add_user
from auditor.service.assignments import assign
from auditor.service.processing import annotated_workbook, process_upload
from auditor.service.workspace import Workspace
from auditor.workbook import container, read
from auditor.workbook.container import check_container

RED = "00F8B4B4"


def spoiled(builder: InspectionBuilder, path: Path) -> Path:
    """A valid inspection whose Housing sheet lacks a required value in merged cells B3:C3 (an error,
    and the merged-cells warning only the XML scan finds), written as Excel writes text: in shared
    strings (xl/sharedStrings.xml), which the scan reads for the headers."""
    import xlsxwriter

    source = builder.sheet(
        "Housing",
        [
            {"unit_id": "A-1", "rated_capacity": 40, "population": 31},
            {"unit_id": "B-1", "rated_capacity": 20, "population": None},
        ],
    ).xlsx(path.with_suffix(".plain.xlsx"))
    book = xlsxwriter.Workbook(str(path), {"default_date_format": "yyyy-mm-dd hh:mm"})
    for ws in openpyxl.load_workbook(source):
        out = book.add_worksheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out.write(cell.row - 1, cell.column - 1, cell.value)
        if ws.title == "Housing":
            out.merge_range("B3:C3", 20)
    book.close()
    return path


IN_ACCESS, IN_OPEN, IN_CLOSE_NOWRITE = 0x1, 0x20, 0x10


class Opens:
    """Counts the opens of one file (its inode: through any hard link, by any process) with inotify.
    inotify merges two identical events only when they come back to back and unread: a thread reads
    them as they come, and reads and closes between two opens make them differ."""

    def __init__(self, path: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_CLOEXEC)
        mask = IN_OPEN | IN_ACCESS | IN_CLOSE_NOWRITE
        assert self.fd >= 0 and libc.inotify_add_watch(self.fd, os.fsencode(path), mask) >= 0
        self.opens = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while True:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                if self.stop.is_set():
                    return
                continue
            events = os.read(self.fd, 1 << 16)
            at = 0
            while at < len(events):
                _, mask, _, length = struct.unpack_from("iIII", events, at)
                self.opens += bool(mask & IN_OPEN)
                at += 16 + length

    def close(self) -> int:
        """Stop counting (once every event is read); the number of opens."""
        self.stop.set()
        self.thread.join(timeout=10)
        os.close(self.fd)
        return self.opens


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Workspace, Any]:
    ws = Workspace.open(tmp_path / "data")
    ines = add_user(ws.db, "ines", "inspector", "correct horse battery")
    assign(ws.db, None, "ines", ["ATL-SPC-0001"])  # the builder's facility: her uploads are filed
    return ws, ines


def record(ws: Workspace, user: Any, data: bytes, name: str = "inspection.xlsx") -> tuple[int, str]:
    sha = hashlib.sha256(data).hexdigest()
    upload_id = store.record_upload(
        ws.db, sha256=sha, size=len(data), name=name, user=user, requested_inspection=None
    )
    return upload_id, sha


def test_an_upload_is_opened_once_from_its_check_to_its_annotated_copy(workspace, builder, tmp_path):
    ws, user = workspace
    data = spoiled(builder, tmp_path / "in.xlsx").read_bytes()
    upload_id, sha = record(ws, user, data)
    ws.blobs.path(sha).write_bytes(data)
    opens = Opens(ws.blobs.path(sha))
    try:
        status, loaded = process_upload(ws, upload_id)  # in a bounded child, as the web app does
        copy = annotated_workbook(ws, upload_id, loaded)
    finally:
        count = opens.close()
    assert status == "invalid", store.get_upload(ws.db, upload_id)
    assert count == 1
    assert copy is not None
    anchor = openpyxl.load_workbook(copy)["Housing"]["B3"]
    assert anchor.fill.fgColor.rgb == RED
    assert anchor.comment.text.splitlines() == [
        "C3: ERROR: a value is required here. Expected a whole number ≥ 0",
        "WARNING: merged cells B3:C3: only the first cell keeps its value; unmerge them and fill every cell",
    ]


def test_an_upload_is_hashed_once(workspace, builder, tmp_path, monkeypatch):
    """In this process (the bounded child's code, called directly), every SHA-256 finished is noted:
    the upload's is computed once, from the bytes read, for the check and the annotated copy."""
    ws, user = workspace
    data = spoiled(builder, tmp_path / "in.xlsx").read_bytes()
    upload_id, sha = record(ws, user, data)
    ws.blobs.path(sha).write_bytes(data)
    digests: list[str] = []
    real = hashlib.sha256

    class Noted:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.inner = real(*args, **kwargs)

        def update(self, chunk: Any) -> None:
            self.inner.update(chunk)

        def hexdigest(self) -> str:
            digests.append(self.inner.hexdigest())
            return digests[-1]

        def digest(self) -> bytes:
            digests.append(self.inner.hexdigest())
            return self.inner.digest()

    monkeypatch.setattr(untrusted, "_in_child", True)
    monkeypatch.setattr(hashlib, "sha256", Noted)
    status, loaded = process_upload(ws, upload_id)
    assert annotated_workbook(ws, upload_id, loaded) is not None
    assert status == "invalid"
    assert digests.count(sha) == 1
    assert loaded is not None and loaded.raw.sha256 == sha


def test_each_sheet_is_inflated_once_for_the_check_and_the_scan(builder, tmp_path, monkeypatch):
    path = spoiled(builder.with_valid_sheets("Intake"), tmp_path / "in.xlsx")
    inflated: Counter[str] = Counter()
    again: list[str] = []
    real_inflate, real_part = container._inflate, read.part_chunks

    def counted(path: Path, handle: Any, info: zipfile.ZipInfo) -> Any:
        inflated[info.filename] += 1
        return real_inflate(path, handle, info)

    def inflated_again(data: bytes, part: str) -> Any:
        again.append(part)
        return real_part(data, part)

    monkeypatch.setattr(container, "_inflate", counted)
    monkeypatch.setattr(read, "part_chunks", inflated_again)
    raw = read.read_here(path)
    sheets = [n for n in inflated if n.startswith("xl/worksheets/")]
    assert len(sheets) == 3  # Facility, Intake, Housing
    assert set(inflated.values()) == {1} and again == []
    codes = Counter(code for frame in raw.problems for code in frame["code"])
    assert codes["merged_cells"] == 1  # the scan ran, on the XML the check kept


def test_a_sheet_too_large_to_keep_is_inflated_again_and_scanned_the_same(builder, tmp_path, monkeypatch):
    path = spoiled(builder.with_valid_sheets("Intake"), tmp_path / "in.xlsx")
    kept = read.read_here(path)
    again: list[str] = []
    real_part = read.part_chunks

    def inflated_again(data: bytes, part: str) -> Any:
        again.append(part.lower())
        return real_part(data, part)

    monkeypatch.setattr(read, "KEEP_INFLATED", 0)
    monkeypatch.setattr(read, "part_chunks", inflated_again)
    not_kept = read.read_here(path)
    assert sorted(set(again)) == [
        "xl/sharedstrings.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet3.xml",
    ]
    records = [frame.to_dict("records") for frame in kept.problems]
    assert records == [frame.to_dict("records") for frame in not_kept.problems]
    assert any(r["code"] == "merged_cells" for frame in records for r in frame)


def test_the_check_keeps_the_loaded_sheets_whole_within_its_budget(builder, tmp_path):
    path = spoiled(builder.with_valid_sheets("Intake").sheet("Notes", [{"what": "x"}]), tmp_path / "in.xlsx")
    data = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename.lower(): archive.read(info) for info in archive.infolist()}
    kept = check_container(path, "xlsx", data=data, keep=1 << 30)
    intake = kept.sheets["Intake"]
    assert set(kept.sheets) == {"Facility", "Intake", "Housing", "Notes"}
    loaded = {kept.sheets[name] for name in ("Facility", "Intake", "Housing")}
    assert set(kept.parts) == loaded | {"xl/sharedstrings.xml"}  # not Notes, which is never read
    assert b"".join(kept.parts[intake]) == parts[intake]
    assert b"".join(kept.parts["xl/sharedstrings.xml"]) == parts["xl/sharedstrings.xml"]
    assert kept.chunks(intake) is not None and kept.chunks(intake) is None  # handed over once
    # a part is kept whole or not at all: after the Facility sheet (the first part), a budget one
    # byte short of the Intake sheet keeps no byte of it, and what it keeps is whole
    facility = kept.sheets["Facility"]
    budget = len(parts[facility]) + len(parts[intake]) - 1
    short = check_container(path, "xlsx", data=data, keep=budget)
    assert facility in short.parts and intake not in short.parts
    assert all(b"".join(chunks) == parts[part] for part, chunks in short.parts.items())
    assert sum(len(parts[part]) for part in short.parts) <= budget
    assert check_container(path, "xlsx", data=data, keep=0).parts == {}
    assert check_container(path, "xlsx").parts == {}  # nothing is kept unless asked


def test_the_security_page_gives_the_kept_xml_budget() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    row = next(
        line for line in page.splitlines() if line.startswith("| sheet XML kept for the reader's scan")
    )
    assert f"| {read.KEEP_INFLATED >> 20} MiB |" in row
    row = next(line for line in page.splitlines() if line.startswith("| a workbook file's size"))
    assert f"| {read.MAX_FILE_BYTES >> 20} MiB |" in row


def test_a_dtd_in_any_xml_part_is_refused_by_the_check_and_named(builder, tmp_path) -> None:
    """Read from bytes, calamine cannot say which part it choked on ("Cannot detect file format"):
    the check refuses a DTD in a part no sheet parser sees, such as the styles, and names it."""
    from auditor.errors import WorkbookError

    source = builder.xlsx(tmp_path / "in.xlsx")
    doctored = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(source) as inside, zipfile.ZipFile(doctored, "w") as out:
        for item in inside.infolist():
            data = inside.read(item)
            if item.filename == "xl/styles.xml":
                data = (
                    b'<?xml version="1.0"?>\n<!-- a note -->\n<!DOCTYPE x [<!ENTITY a "b">]>'
                    + data[data.find(b"<styleSheet") :]
                )
            out.writestr(item, data)
    with pytest.raises(WorkbookError) as caught:
        read.read_here(doctored)
    assert (
        str(caught.value)
        == f"{doctored}: part xl/styles.xml declares a DTD or XML entities; no spreadsheet does"
    )
    read.read_here(source)  # the same workbook without it reads
    # a DOCTYPE naming only an external DTD declares nothing (OpenOffice wrote one in its manifests)
    external = tmp_path / "external.xlsx"
    with zipfile.ZipFile(source) as inside, zipfile.ZipFile(external, "w") as out:
        for item in inside.infolist():
            data = inside.read(item)
            if item.filename == "xl/styles.xml":
                data = (
                    b'<!DOCTYPE styleSheet PUBLIC "-//x//DTD x//EN" "x.dtd">'
                    + data[data.find(b"<styleSheet") :]
                )
            out.writestr(item, data)
    check_container(external, "xlsx")


def test_a_device_a_pipe_or_a_file_too_large_to_hold_is_refused_before_it_is_read(
    builder, tmp_path, monkeypatch
) -> None:
    """The bytes are held whole: what could block, never end or not fit is refused first, in one line."""
    from auditor.errors import WorkbookError

    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)  # no one writes to it: opening it to read would wait for ever
    for path in (Path("/dev/zero"), pipe):
        with pytest.raises(WorkbookError) as caught:
            read.read_here(path)
        assert str(caught.value) == f"{path}: not a file (a device or a pipe); give the workbook file itself"
    source = builder.xlsx(tmp_path / "in.xlsx")
    size = source.stat().st_size
    monkeypatch.setattr(read, "MAX_FILE_BYTES", size - 1)
    with pytest.raises(WorkbookError) as caught:
        read.read_here(source)
    assert str(caught.value) == (
        f"{source}: the file is {size / (1 << 20):,.0f} MiB, more than the 0 MiB an inspection file may be"
    )
    monkeypatch.setattr(read, "MAX_FILE_BYTES", size)
    assert read.read_here(source).data == source.read_bytes()


def test_the_cli_refuses_a_device_in_one_line(cli) -> None:
    result = cli("validate", "/dev/zero")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        result.stderr.strip()
        == "error: /dev/zero: not a file (a device or a pipe); give the workbook file itself"
    )
