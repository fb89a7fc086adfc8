"""Check an .xls file's compound-file structure (MS-CFB) before a reader follows it.

An .xls file is a small file system: a 512-byte header, a FAT saying which sector follows which,
a directory, and streams (the Workbook stream holds the sheets). A reader that follows a FAT
chain that loops reads for ever or allocates without end (a looping chain took one reader past
6 GB). Here every chain a reader follows (the directory, the mini-stream, the mini FAT and every
stream) is walked once: a sector outside the file, a sector reached twice (a loop, or two
streams sharing it), or a stream declaring more bytes than its chain holds is a WorkbookError.
Each sector is visited at most once, so the check is linear in the file's size.
"""

from __future__ import annotations

import io
import struct
import sys
from array import array
from pathlib import Path
from typing import BinaryIO

from auditor.errors import WorkbookError

END_OF_CHAIN = 0xFFFFFFFE
FREE = 0xFFFFFFFF
MINI_SECTOR = 64
MINI_CUTOFF = 4096
HEADER_DIFAT = 109  # FAT sector numbers held in the header itself
ROOT, STREAM = 5, 2


class _Damaged(Exception):
    """What is wrong, in words for the inspector; turned into one WorkbookError line."""


def check_ole(path: Path, data: bytes | None = None) -> bytes:
    """The Workbook stream (or BIFF5's Book); WorkbookError if the compound file's chains loop,
    overlap or leave the file, or it holds no workbook. `data`: the file's bytes, if already read."""
    try:
        if data is not None:
            return _check(io.BytesIO(data), len(data))
        with path.open("rb") as handle:
            return _check(handle, path.stat().st_size)
    except _Damaged as exc:
        raise WorkbookError(
            f"{path}: the .xls file is damaged: {exc}; open it in Excel and save it again "
            "(as 'Excel Workbook (.xlsx)')"
        ) from None


def _check(handle: BinaryIO, size: int) -> bytes:
    header = handle.read(512)
    if len(header) < 512:
        raise _Damaged("its header is cut short")
    shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise _Damaged(f"its sector size (2^{shift}) is not 512 or 4,096 bytes")
    sector = 1 << shift
    count = max(0, (size - sector + sector - 1) // sector)  # sectors after the header
    n_fat, first_dir, _, cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
        "<8I", header, 0x2C
    )
    if cutoff != MINI_CUTOFF:
        raise _Damaged(f"its mini-stream cutoff is {cutoff:,} bytes, not {MINI_CUTOFF:,}")
    if n_fat > count or n_difat > count or n_minifat > count:
        raise _Damaged(f"its header declares more sectors than the file's {count:,}")
    fat = _read_fat(handle, header, sector, count, n_fat, first_difat, n_difat)
    seen = bytearray(count)
    directory = _read_chain(handle, fat, seen, first_dir, sector, "the directory")
    minifat = array("I", _read_chain(handle, fat, seen, first_minifat, sector, "the mini FAT"))
    if sys.byteorder == "big":
        minifat.byteswap()
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    root = next((e for e in entries if e[0x42] == ROOT), None)
    if root is None:
        raise _Damaged("it has no root directory entry")
    mini_sectors = 0
    if _size(root, shift) > 0:
        held = len(_walk(fat, seen, _start(root), "the mini-stream")) * sector
        if _size(root, shift) > held:
            raise _Damaged("the mini-stream declares more bytes than its sectors hold")
        mini_sectors = held // MINI_SECTOR
    mini_seen = bytearray(mini_sectors)
    streams: dict[str, tuple[list[int], int]] = {}
    for entry in entries:
        if entry[0x42] != STREAM:
            continue
        name = _name(entry)
        declared = _size(entry, shift)
        if declared == 0:
            continue
        if declared < MINI_CUTOFF:
            chain = _walk(minifat, mini_seen, _start(entry), f"the stream {name!r}")
            held = len(chain) * MINI_SECTOR
        else:
            chain = _walk(fat, seen, _start(entry), f"the stream {name!r}")
            held = len(chain) * sector
        if declared > held:
            raise _Damaged(f"the stream {name!r} declares {declared:,} bytes but its sectors hold {held:,}")
        streams.setdefault(name, (chain, declared))
    name = next((n for n in ("Workbook", "Book") if n in streams), None)
    if name is None:
        raise _Damaged("it holds no Workbook stream")
    chain, declared = streams[name]
    if declared >= MINI_CUTOFF:
        return b"".join(_sector(handle, n, sector) for n in chain)[:declared]
    mini = b"".join(_sector(handle, n, sector) for n in _chain(fat, _start(root)))
    return b"".join(mini[n * MINI_SECTOR : (n + 1) * MINI_SECTOR] for n in chain)[:declared]


def _read_fat(
    handle: BinaryIO, header: bytes, sector: int, count: int, n_fat: int, first_difat: int, n_difat: int
) -> array[int]:
    """The FAT: for each sector, the next one in its chain."""
    ids = list(struct.unpack_from(f"<{HEADER_DIFAT}I", header, 0x4C))
    per_sector = sector // 4 - 1
    visited: set[int] = set()
    current = first_difat
    for _ in range(n_difat):
        if current >= count:
            raise _Damaged("its DIFAT chain points outside the file")
        if current in visited:
            raise _Damaged("its DIFAT chain loops")
        visited.add(current)
        block = _sector(handle, current, sector)
        values = struct.unpack(f"<{per_sector + 1}I", block)
        ids.extend(values[:per_sector])
        current = values[per_sector]
    fat = array("I")
    for number in ids[:n_fat]:
        if number >= count:
            raise _Damaged(f"its FAT sector {number:,} is outside the file ({count:,} sectors)")
        fat.frombytes(_sector(handle, number, sector))
    if sys.byteorder == "big":
        fat.byteswap()
    return fat


def _sector(handle: BinaryIO, number: int, sector: int) -> bytes:
    handle.seek((number + 1) * sector)
    data = handle.read(sector)
    return data + bytes(sector - len(data))  # the last sector may be short


def _walk(table: array[int], seen: bytearray, start: int, what: str) -> list[int]:
    """The sectors of a chain; each sector may belong to one chain, once."""
    chain = []
    current = start
    while current != END_OF_CHAIN:
        if current >= len(seen) or current >= len(table):
            if current == FREE and not chain:
                break  # an empty stream
            raise _Damaged(f"the chain of {what} points outside the file (sector {current:,})")
        if seen[current]:
            raise _Damaged(f"the chain of {what} loops or overlaps another (sector {current:,})")
        seen[current] = 1
        chain.append(current)
        current = table[current]
    return chain


def _chain(fat: array[int], start: int) -> list[int]:
    """A chain already walked once (so finite and inside the file)."""
    chain = []
    while start != END_OF_CHAIN and start < len(fat) and len(chain) < len(fat):
        chain.append(start)
        start = fat[start]
    return chain


def _read_chain(
    handle: BinaryIO, fat: array[int], seen: bytearray, start: int, sector: int, what: str
) -> bytes:
    return b"".join(_sector(handle, n, sector) for n in _walk(fat, seen, start, what))


def _start(entry: bytes) -> int:
    return struct.unpack_from("<I", entry, 0x74)[0]


def _size(entry: bytes, shift: int) -> int:
    size = struct.unpack_from("<Q", entry, 0x78)[0]
    return size & 0xFFFFFFFF if shift == 9 else size  # version 3 files: only the low 32 bits count


def _name(entry: bytes) -> str:
    length = min(struct.unpack_from("<H", entry, 0x40)[0], 64)
    return entry[: max(0, length - 2)].decode("utf-16-le", errors="replace")
