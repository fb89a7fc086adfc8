"""A mutation fuzz of the readers, bounded for CI: small valid inspections (.xlsx, .ods, .xls, a CSV
folder) with bytes flipped, inserted, deleted, filled or copied, each loaded through the public
`auditor.workbook.inspection.load`. Every outcome must be a Loaded (valid or with its problems) or
one WorkbookError line. Anything else is a bug: another exception escaping, a multi-line message,
or the bounded reader reporting that our own code raised (a "reader failed" that is not a Rust
panic) or that a reader died on a file of a few KB.

HOSTILE_FUZZ_EXAMPLES=500 runs more examples with fresh random seeds (CI runs 12 per test,
derandomized so the run is the same each time); tests/hostile/README.md has the longer atheris run.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutate import OPERATIONS, mutate, mutate_inside, write_seeds

from auditor.errors import ReadLimitError, WorkbookError
from auditor.workbook.inspection import Loaded, load

EXAMPLES = int(os.environ.get("HOSTILE_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize="HOSTILE_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
)
MUTATIONS = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 1 << 20), st.integers(0, 255), st.integers(1, 64)),
    min_size=1,
    max_size=6,
)
# What the bounded reader may say of a mutated file: a limit met, or a Rust panic caught.
PANIC = re.compile(r"the reader failed: PanicException: ")
LIMITS = {"AUDITOR_READ_SECONDS": "30", "AUDITOR_READ_MEMORY": "1GiB"}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    saved = {name: os.environ.get(name) for name in LIMITS}
    os.environ.update(LIMITS)  # a module-wide setting: hypothesis cannot use monkeypatch per example
    yield write_seeds(tmp_path_factory.mktemp("seeds"))
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def loads_or_refuses(path: Path) -> None:
    """Load `path`; pass on a Loaded or a one-line WorkbookError, fail on anything else."""
    try:
        loaded = load(path)
    except ReadLimitError as exc:
        message = str(exc)
        assert "\n" not in message, message
        assert "the reader failed" not in message or PANIC.search(message), f"our code raised: {message}"
        assert "the reader stopped" not in message, f"a reader died on a small file: {message}"
        assert "needs more than" not in message, f"a small file needed over 1 GiB: {message}"
        return
    except WorkbookError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path)), str(exc)
        return
    assert isinstance(loaded, Loaded)
    assert isinstance(loaded.valid, bool)
    assert set(loaded.problems.frame.columns) >= {"sheet", "cell", "message"}


def _scratch(seeds: dict[str, Path], suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(dir=seeds["xlsx"].parent))
    return folder / f"mutated{suffix}"


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
@FUZZ
@given(mutations=MUTATIONS)
def test_a_workbook_with_bytes_mutated_loads_or_is_refused(seeds, kind: str, mutations) -> None:
    path = _scratch(seeds, f".{kind}")
    path.write_bytes(mutate(seeds[kind].read_bytes(), mutations))
    loads_or_refuses(path)


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
@FUZZ
@given(member=st.integers(0, 40), mutations=MUTATIONS)
def test_a_workbook_with_a_part_mutated_inside_loads_or_is_refused(
    seeds, kind: str, member, mutations
) -> None:
    path = _scratch(seeds, f".{kind}")
    path.write_bytes(mutate_inside(seeds[kind].read_bytes(), member, mutations))
    loads_or_refuses(path)


@FUZZ
@given(member=st.integers(0, 40), mutations=MUTATIONS)
def test_a_csv_folder_with_a_file_mutated_loads_or_is_refused(seeds, member, mutations) -> None:
    source = seeds["csv"]
    files = sorted(source.glob("*.csv"))
    chosen = files[member % len(files)]
    folder = _scratch(seeds, "")
    folder.mkdir()
    for file in files:
        data = file.read_bytes()
        (folder / file.name).write_bytes(mutate(data, mutations) if file == chosen else data)
    loads_or_refuses(folder)


def test_the_seeds_are_valid_inspections(seeds) -> None:
    """Mutations start from files that load as valid: the fuzz explores near real inspections."""
    for kind, path in seeds.items():
        assert load(path).valid, kind


def test_an_ods_whose_manifest_is_not_utf8_is_refused_in_one_line(seeds) -> None:
    """Found by this fuzz: fastexcel never reads the manifest, calamine (asked where each sheet
    starts) did, and its XmlError reached the bounded reader as "the reader failed". Read from
    the file's bytes (no extension to go by), calamine says only that it cannot tell the format:
    the file is an .ods by its bytes, so it is refused as damaged."""
    path = _scratch(seeds, ".ods")
    manifest = 4  # mimetype, styles.xml, content.xml, meta.xml, META-INF/manifest.xml
    path.write_bytes(mutate_inside(seeds["ods"].read_bytes(), manifest, [("flip", 0, 0, 1)]))
    with pytest.raises(WorkbookError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}: the workbook is damaged: it is an .ods file, but a part the reader needs cannot be "
        "read; open it in Excel or LibreOffice and save it again"
    )
