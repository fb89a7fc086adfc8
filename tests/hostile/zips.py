"""Zip containers written by hand: parts already deflated, headers saying what a test wants them to
say (a size that lies, a CRC that does not match), bombs deflated cheaply; minimal .xlsx and .ods."""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MiB = 1 << 20

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Part:
    """A zip member already deflated: `data` inflates to `size` bytes whose CRC-32 is `crc`."""

    name: str
    data: bytes
    size: int
    crc: int
    declared: int | None = None  # the size the headers claim, when it lies


def part(name: str, content: str | bytes) -> Part:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return Part(name, deflate(raw), len(raw), zlib.crc32(raw))


def repeated_part(name: str, head: bytes, unit: bytes, count: int, tail: bytes) -> Part:
    """head + unit×count + tail, deflated cheaply: a block of units compressed once after a full
    flush (which resets the history) deflates to the same bytes every time, so it is repeated as is."""
    per_block = max(1, (4 * MiB) // len(unit))
    blocks, rest = divmod(count, per_block)
    block = unit * per_block
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    again = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    last = squeeze.compress(unit * rest + tail) + squeeze.flush()
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(unit * rest + tail, crc)
    size = len(head) + len(block) * blocks + len(unit) * rest + len(tail)
    return Part(name, first + again * blocks + last, size, crc)


def write_zip(path: Path, parts: list[Part]) -> Path:
    """A zip (no zip64: every size under 4 GiB) of already-deflated parts, headers as they declare."""
    out, central = bytearray(), bytearray()
    for p in parts:
        name = p.name.encode("utf-8")
        size = p.size if p.declared is None else p.declared
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, p.crc, len(p.data), size, len(name), 0
        )
        out += name + p.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, 8, 0, 0x21, p.crc, len(p.data), size, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def deflate(raw: bytes) -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    return squeeze.compress(raw) + squeeze.flush()


def xlsx_parts(sheets: dict[str, str], shared_strings: str | None = None) -> list[Part]:
    """The parts of a minimal .xlsx: each sheet's whole worksheet XML as given."""
    names = list(sheets)
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{SHEET_NS}" xmlns:r="{REL_NS}"><sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
        + "</sheets></workbook>"
    )
    relations = [(f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(names) + 1)] + (
        [("rIdS", "sharedStrings", "sharedStrings.xml")] if shared_strings is not None else []
    )
    rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_NS}">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{REL_NS}/{kind}" Target="{target}"/>'
            for rid, kind, target in relations
        )
        + "</Relationships>"
    )
    root = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" '
        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>'
    )
    parts = [
        part("[Content_Types].xml", types),
        part("_rels/.rels", root),
        part("xl/workbook.xml", workbook),
        part("xl/_rels/workbook.xml.rels", rels),
    ]
    parts += [part(f"xl/worksheets/sheet{i}.xml", sheets[n]) for i, n in enumerate(names, 1)]
    if shared_strings is not None:
        parts.append(part("xl/sharedStrings.xml", shared_strings))
    return parts


def worksheet(rows: str, head: str = "", dimension: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<worksheet xmlns="{SHEET_NS}">{dimension}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def text_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


FACILITY_HEADER = f'<row r="1">{text_cell("A1", "field")}{text_cell("B1", "value")}</row>'


def laughs(levels: int = 10) -> str:
    """A DTD whose entity lol{levels} expands to 10**levels copies of "lol" ("billion laughs")."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, levels + 1)
    ]
    return "<!DOCTYPE worksheet [" + "".join(entities) + "]>"


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_cell(value: str, repeat: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{repeat}><text:p>{value}</text:p></table:table-cell>'


def ods(path: Path, tables: dict[str, str], head: str = "") -> Path:
    body = "".join(f'<table:table table:name="{n}">{rows}</table:table>' for n, rows in tables.items())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<office:document-content {ODS_NS} office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    mimetype = b"application/vnd.oasis.opendocument.spreadsheet"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_dated("mimetype"), mimetype, zipfile.ZIP_STORED)
        archive.writestr(_dated("META-INF/manifest.xml"), manifest, zipfile.ZIP_DEFLATED)
        archive.writestr(_dated("content.xml"), content, zipfile.ZIP_DEFLATED)
    return path


ODS_HEADER = f"<table:table-row>{ods_cell('field')}{ods_cell('value')}</table:table-row>"


def _dated(name: str) -> zipfile.ZipInfo:
    """A fixed date: the same corpus gives the same bytes on every run."""
    return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
