"""Decode an untrusted text file (a CSV) into UTF-8 with one kind of line end.

Excel, LibreOffice and older Windows and Mac tools save "CSV" in several encodings: UTF-8 with
or without a byte-order mark, UTF-16 or UTF-32 with one ("Unicode text"), or Windows-1252
("CSV (Comma delimited)"). A byte-order mark names the encoding exactly, so it wins and the rest
must decode strictly in it. Without one, the text must be UTF-8; if it is not, Windows-1252 is
Excel's default and is accepted with a warning (accents may be wrong); bytes that are neither are
an error, never replaced silently. Line ends may be CR (classic Mac), LF or CRLF; the text comes
back with LF or CRLF only, so that line n of the file stays record n for every CSV parser.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import PurePath

from auditor.errors import WorkbookError

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
SAVE_AS = "save it as 'CSV UTF-8 (Comma delimited)'"


@dataclass(frozen=True)
class DecodedText:
    data: bytes  # the text as UTF-8 (for Arrow's parser), line ends LF or CRLF, without a byte-order mark
    encoding: str  # what it was decoded from: utf-8, utf-16-le, …, cp1252
    warning: str | None = None  # set when the encoding was a guess (cp1252)
    decoded: str | None = field(default=None, repr=False)  # the text, when it was decoded to be checked

    @property
    def text(self) -> str:
        """The decoded text (decoded now when it did not need to be to be checked: ASCII)."""
        return self.decoded if self.decoded is not None else self.data.decode("utf-8")


def decode_text(raw: bytes, name: str) -> DecodedText:
    """Decode the bytes of the file `name` (a path); WorkbookError, one line, if they are not text."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            payload = raw[len(bom) :]
            text = _strict(payload, encoding, name, offset=len(bom), what=f"not valid {encoding.upper()}")
            return _normalised(text, payload if encoding == "utf-8" else None, encoding, None)
    if b"\0" in raw:  # valid UTF-8 or cp1252 in theory, never in a CSV: UTF-16/32 without a mark
        at = raw.index(b"\0")
        raise WorkbookError(
            f"{name}: NUL byte at line {_line(raw, at)}: not a text CSV (UTF-16 or UTF-32 without a "
            f"byte-order mark?); {SAVE_AS}"
        )
    if raw.isascii() and (b"\r" not in raw or raw.count(b"\r") == raw.count(b"\r\n")):
        # ASCII is UTF-8 as it is, its line ends already LF or CRLF: nothing to decode to know it (the
        # text of a 1M-admission Checks file would be 560 MB more, and a second of decoding)
        return DecodedText(raw, "utf-8")
    try:
        return _normalised(raw.decode("utf-8"), raw, "utf-8", None)
    except UnicodeDecodeError:
        pass
    text = _strict(raw, "cp1252", name, offset=0, what="neither UTF-8 nor Windows-1252")
    warning = (
        f"{PurePath(name).name} is not UTF-8 text; it was read as Windows-1252 (Excel's CSV default): check "
        f"accented names, or {SAVE_AS}"
    )
    return _normalised(text, None, "cp1252", warning)


def _strict(raw: bytes, encoding: str, name: str, offset: int, what: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        byte = raw[exc.start : exc.start + 1].hex().upper()
        raise WorkbookError(
            f"{name}: line {_line(raw, exc.start, encoding)}, byte {exc.start + offset} (0x{byte}) is "
            f"{what} text; {SAVE_AS}"
        ) from None


def _line(raw: bytes, at: int, encoding: str = "utf-8") -> int:
    """The line of byte `at`, counting LF, CRLF and lone CR as line ends."""
    head = raw[:at].decode(encoding, errors="replace")
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def _normalised(text: str, utf8: bytes | None, encoding: str, warning: str | None) -> DecodedText:
    """Turn lone CRs into LF; `utf8` is the text's UTF-8 bytes when the caller already has them."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        utf8 = None
    return DecodedText(utf8 if utf8 is not None else text.encode("utf-8"), encoding, warning, text)
