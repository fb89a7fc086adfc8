"""Files on disk: uploaded originals stored by SHA-256, written durably before anything reads them.

An upload is streamed into `uploads/.incoming/<random>`, hashed and counted as it arrives,
fsynced, then renamed to `uploads/<sha256>` (and the folder fsynced). The name on disk never
comes from the uploader: the original file name is kept only as display text in the database.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Stored:
    """A file kept in Blobs: the sender's name (display text only), its size and SHA-256."""

    name: str
    size: int
    sha256: str


class TooLarge(Exception):
    """Raised when an upload passes the size limit while it is being received."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file is larger than the limit of {describe_size(limit)}")
        self.limit = limit


def describe_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} bytes"


class Incoming:
    """One upload being received: bytes go to a temporary file, hashed and counted as they come."""

    def __init__(self, folder: Path, limit: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / secrets.token_hex(16)
        self.limit = limit
        self.size = 0
        self._digest = hashlib.sha256()
        self._handle = self.path.open("xb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise TooLarge(self.limit)
        self._digest.update(chunk)
        self._handle.write(chunk)

    def finish(self) -> str:
        """Flush and fsync the bytes; returns their SHA-256."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        return self._digest.hexdigest()

    def discard(self) -> None:
        """Remove the partial file; closing may fail again on a full disk (its buffer cannot be
        flushed), which must not keep the partial file on disk."""
        try:
            if not self._handle.closed:
                self._handle.close()
        except OSError:
            pass
        finally:
            self.path.unlink(missing_ok=True)


class Blobs:
    """Original uploads, one file per distinct content, named by its SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def incoming(self, limit: int) -> Incoming:
        return Incoming(self.root / ".incoming", limit)

    def keep(self, incoming: Incoming) -> tuple[str, int]:
        """Move a received upload to its permanent name; returns (sha256, size). If its bytes cannot
        be made durable (a full disk fails the flush or the fsync), the partial file is removed."""
        try:
            sha = incoming.finish()
        except BaseException:
            incoming.discard()
            raise
        target = self.path(sha)
        if target.exists():  # the same bytes were uploaded before: they are on disk already
            incoming.path.unlink()
        else:
            os.replace(incoming.path, target)
            fsync_dir(self.root)
        return sha, incoming.size

    def path(self, sha: str) -> Path:
        if not SHA256.match(sha):
            raise ValueError(f"not a SHA-256: {sha!r}")
        return self.root / sha

    def clean_incoming(self) -> None:
        """Remove partial uploads left by a crash (they were never recorded, nor acknowledged)."""
        folder = self.root / ".incoming"
        if folder.is_dir():
            for leftover in folder.iterdir():
                leftover.unlink(missing_ok=True)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes) -> Path:
    """Write a whole file so that readers see the old one or the new one, never half of it (on a
    full disk the partial file is removed and the error raised)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        with partial.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def download_name(original: str, suffix: str, fallback: str = "inspection") -> str:
    """A safe file name for Content-Disposition, derived from (never equal to) the original name."""
    stem = original.rsplit(".", 1)[0] if "." in original else original
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:80] or fallback
    return stem + suffix


def is_disk_full(exc: BaseException) -> bool:
    """True when `exc` says the disk (or the database file) cannot grow: ENOSPC, EDQUOT, SQLITE_FULL."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(exc, sqlite3.Error):
        # SQLITE_IOERR_SHMSIZE: the shared-memory file could not grow (services.keep_wal_open)
        code = getattr(exc, "sqlite_errorcode", None)
        return code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR_SHMSIZE) or "disk is full" in str(exc)
    return False
