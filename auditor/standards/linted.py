"""Remember, across processes, that an edition of the packaged standards passed lint.

Linting an edition (JSON Schema over every requirement, and the imports that takes) is about 0.2 s
of every command that loads one, `auditor validate` included, while the files and the code that
lints them change only with an edit or a release. The record is an empty file named by a SHA-256
of all that lint reads or runs: the edition's name, every file of the standards folder (path and
bytes), the auditor's own source and data files, and the versions of jsonschema and PyYAML. Any
change to any of them is another name, so lint runs again. Only the packaged standards folder is
remembered (a folder given elsewhere, for a test or a review, is linted every time); nothing is
read from a record but its existence, and each edition keeps its latest few; a cache folder that
cannot be written is no cache.
"""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from auditor.paths import PACKAGE, standards_dir

SOURCES = (".py", ".yml", ".yaml", ".json")
LIBRARIES = ("jsonschema", "PyYAML")
KEEP = 8  # records kept per edition


def cache_dir() -> Path | None:
    """AUDITOR_CACHE_DIR, else the user's cache folder (XDG_CACHE_HOME or ~/.cache) /auditor/linted;
    a record is <cache_dir>/<edition>/<fingerprint>. None when there is no home to find (a container
    user with no HOME and no passwd entry)."""
    given = os.environ.get("AUDITOR_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "auditor" / "linted"


def fingerprint(name: str, root: Path) -> str:
    """The SHA-256 of everything linting edition `name` of the standards in `root` depends on."""
    digest = hashlib.sha256(name.encode() + b"\0")
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=?\0".encode())
    for folder in (root, PACKAGE):
        for file in sorted(folder.rglob("*")):
            if file.suffix in SOURCES and "__pycache__" not in file.parts and file.is_file():
                digest.update(str(file.relative_to(folder)).encode() + b"\0")
                digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def record(name: str, root: Path) -> Path | None:
    """Where the record that this edition, as its files and the code are now, passed lint is (or would
    be); None for standards that are not the packaged ones."""
    folder = cache_dir()
    if folder is None or root != standards_dir().resolve():
        return None
    try:
        return folder / name / fingerprint(name, root)
    except OSError:  # a file unreadable now is linted (and its problem reported) by lint itself
        return None


def remember(where: Path | None) -> None:
    """Record that the edition passed lint, keeping the edition's KEEP latest records (a developer's
    every edit is a new fingerprint; two checkouts on one machine must not evict each other);
    silently nothing where the cache cannot be written."""
    if where is None:
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        where.touch()
        records = sorted(
            (p for p in where.parent.iterdir() if p.is_file()), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in records[KEEP:]:
            if old != where:
                old.unlink(missing_ok=True)
    except OSError:
        pass
