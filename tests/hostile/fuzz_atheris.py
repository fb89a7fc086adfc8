"""A longer, coverage-guided fuzz of the readers with atheris (not collected by pytest).

    .venv/bin/pip install atheris
    .venv/bin/python tests/hostile/fuzz_atheris.py xlsx -max_total_time=3600 -rss_limit_mb=4096 -max_len=65536

The first argument is the format (xlsx, ods, xls, csv); the rest go to libFuzzer. Each input is
a small valid inspection mutated by libFuzzer (for zip formats, one part mutated inside and zipped
again) and loaded through auditor.workbook.inspection.load. Unlike production, the file is read
in this process, not in the bounded child: libFuzzer then sees the readers' coverage, and a reader
that aborts or exceeds -rss_limit_mb is a crash it saves. Anything but a Loaded, a one-line
WorkbookError or a Rust panic (which production catches at the child's boundary) is a finding.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import atheris  # noqa: E402

with atheris.instrument_imports(include=["auditor"]):  # the project's code, not pandas and the rest
    from auditor import untrusted
    from auditor.errors import WorkbookError
    from auditor.workbook.inspection import load

untrusted._in_child = True  # read here, as a bounded child does: coverage and crashes reach libFuzzer

from mutate import write_seeds  # noqa: E402

SCRATCH = Path(tempfile.mkdtemp(prefix="auditor-atheris-"))
SEEDS = write_seeds(SCRATCH / "seeds")
ZIPPED = ("xlsx", "ods")


class Finding(Exception):
    """An outcome the readers must never give."""


def one_input(kind: str, data: bytes) -> None:
    path = SCRATCH / f"input.{kind}" if kind != "csv" else SCRATCH / "input-csv"
    if kind == "csv":
        path.mkdir(exist_ok=True)
        for file in SEEDS["csv"].glob("*.csv"):
            (path / file.name).write_bytes(file.read_bytes())
        (path / "Facility.csv").write_bytes(data)
    elif kind in ZIPPED and data[:1] == b"\0" and len(data) > 1:  # 0, part number, the part's bytes
        path.write_bytes(_inside(SEEDS[kind].read_bytes(), data))
    else:
        path.write_bytes(data)
    try:
        _check(path)
    except BaseException:
        _keep(path)
        raise


def _check(path: Path) -> None:
    try:
        load(path)
    except WorkbookError as exc:
        if "\n" in str(exc):
            raise Finding(f"a message of several lines: {exc!r}") from None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # production turns a panic into a one-line error
            raise


def _keep(path: Path) -> None:
    """Copy the input that was read to ./finding-<sha1>[.suffix]: `auditor validate` reproduces it."""
    digest = hashlib.sha1(
        path.read_bytes() if path.is_file() else b"".join(f.read_bytes() for f in sorted(path.glob("*.csv")))
    ).hexdigest()
    target = Path.cwd() / f"finding-{digest}{path.suffix}"
    if path.is_dir():
        shutil.copytree(path, target, dirs_exist_ok=True)
    else:
        shutil.copyfile(path, target)


def _inside(seed: bytes, data: bytes) -> bytes:
    """The seed zip with one part replaced by data[2:] (libFuzzer explores the part's bytes)."""
    source = zipfile.ZipFile(io.BytesIO(seed))
    infos = source.infolist()
    chosen = infos[data[1] % len(infos)].filename
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in infos:
            archive.writestr(
                info.filename, data[2:] if info.filename == chosen else source.read(info.filename)
            )
    return target.getvalue()


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "xlsx"
    corpus = SCRATCH / f"corpus-{kind}"
    corpus.mkdir()
    seed = SEEDS[kind]
    (corpus / "seed").write_bytes(
        (seed / "Facility.csv").read_bytes() if kind == "csv" else seed.read_bytes()
    )
    if kind in ZIPPED:  # each part of the seed, as an "inside" input
        with zipfile.ZipFile(seed) as archive:
            for number, info in enumerate(archive.infolist()):
                (corpus / f"part-{number}").write_bytes(b"\0" + bytes([number]) + archive.read(info.filename))
    options = [a for a in sys.argv[1:] if a.startswith("-")]
    atheris.Setup([sys.argv[0], *options, str(corpus)], lambda data: one_input(kind, data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
