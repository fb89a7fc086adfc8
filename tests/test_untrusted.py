"""The bounded child process that reads untrusted files: every way a reader can fail becomes a
clear error for that file, and the calling process goes on."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from auditor import untrusted
from auditor.errors import ConfigError, ReadLimitError, WorkbookError
from auditor.untrusted import GiB, Limits, MiB

SMALL = Limits(memory=256 * MiB, seconds=5, output=16 * MiB)


# Readers run in the child; module-level so that a fork server's child can import them too.
def _answer(value):
    return value


def _allocate(size):
    return len(bytearray(size))  # MemoryError in Python


def _spin(_):
    while True:
        pass


def _sleep(seconds):
    time.sleep(seconds)
    return "woke"


def _abort(_):
    os.abort()


def _raise_config_error(text):
    raise ConfigError(text)


class _Panic(BaseException):  # what pyo3 raises for a Rust panic: no Exception
    pass


def _panic(_):
    raise _Panic("called `Option::unwrap()` on a `None` value")


def _huge_answer(size):
    return b"x" * size


def _pid(_):
    return os.getpid()


def test_the_answer_comes_back_from_another_process() -> None:
    assert untrusted.run(_answer, {"a": [1, 2]}, what="f", limits=SMALL) == {"a": [1, 2]}
    assert untrusted.run(_pid, None, what="f", limits=SMALL) != os.getpid()


def test_a_reader_that_needs_too_much_memory_is_a_clear_error() -> None:
    with pytest.raises(ReadLimitError) as caught:
        untrusted.run(_allocate, 1 * GiB, what="big.xlsx", limits=SMALL)
    assert str(caught.value) == (
        "big.xlsx: reading this file needs more than 256 MiB of memory; a normal inspection workbook "
        "needs far less (is it damaged, or not what it seems?)"
    )


def test_a_reader_that_spins_is_stopped_at_the_time_limit() -> None:
    started = time.monotonic()
    with pytest.raises(ReadLimitError, match=r"spin\.xlsx: reading this file takes longer than 1 s"):
        untrusted.run(_spin, None, what="spin.xlsx", limits=Limits(seconds=1))
    assert time.monotonic() - started < 10


def test_a_reader_that_waits_is_stopped_at_the_wall_clock_limit() -> None:
    # sleeping uses no CPU: only the parent's wall clock stops it
    with pytest.raises(ReadLimitError, match=r"takes longer than 1 s"):
        untrusted.run(_sleep, 60, what="slow.xlsx", limits=Limits(seconds=1))


def test_a_reader_that_aborts_the_process_is_a_clear_error() -> None:
    with pytest.raises(ReadLimitError) as caught:
        untrusted.run(_abort, None, what="crash.xls", limits=SMALL)
    assert str(caught.value) == (
        "crash.xls: the reader stopped on this file (killed by SIGABRT): the file is damaged, or reading "
        "it needs more than 256 MiB of memory; a normal inspection workbook needs far less (is it "
        "damaged, or not what it seems?)"
    )


def test_a_panic_that_is_no_exception_is_caught_at_the_boundary() -> None:
    with pytest.raises(ReadLimitError) as caught:
        untrusted.run(_panic, None, what="odd.ods", limits=SMALL)
    assert str(caught.value) == (
        "odd.ods: the file cannot be read (the reader failed: _Panic: called `Option::unwrap()` on a "
        "`None` value)"
    )


def test_the_readers_own_errors_pass_through_as_they_were() -> None:
    with pytest.raises(ConfigError, match=r"^waivers\.yml: line 3$"):
        untrusted.run(_raise_config_error, "waivers.yml: line 3", what="w", limits=SMALL)


def test_an_answer_larger_than_the_output_limit_is_refused() -> None:
    with pytest.raises(ReadLimitError, match=r"gives more than 16 MiB of data \(3\d MiB\)"):
        untrusted.run(_huge_answer, 32 * MiB, what="wide.xlsx", limits=SMALL)


def test_inside_a_child_the_reader_runs_directly() -> None:
    inner, outer = untrusted.run(_nested_pair, None, what="f", limits=SMALL)
    assert inner == outer


def _nested_pair(_):
    return untrusted.run(_pid, None, what="inner"), os.getpid()


def test_limits_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("AUDITOR_READ_MEMORY", "512MiB")
    monkeypatch.setenv("AUDITOR_READ_SECONDS", "30")
    monkeypatch.setenv("AUDITOR_READ_OUTPUT", "1.5GiB")
    assert Limits.from_env() == Limits(memory=512 * MiB, seconds=30, output=int(1.5 * GiB))
    monkeypatch.setenv("AUDITOR_READ_SECONDS", "nan")
    with pytest.raises(Exception, match="AUDITOR_READ_SECONDS='nan': give a number of seconds above 0"):
        Limits.from_env()
    monkeypatch.setenv("AUDITOR_READ_SECONDS", "5")
    monkeypatch.setenv("AUDITOR_READ_MEMORY", "lots")
    with pytest.raises(Exception, match="AUDITOR_READ_MEMORY='lots': give a size such as 2GiB"):
        Limits.from_env()


def _sleep_after_saying(path):
    Path(path).write_text(str(os.getpid()))
    time.sleep(60)


def test_no_child_is_left_behind(tmp_path: Path) -> None:
    said = tmp_path / "pid"
    with pytest.raises(ReadLimitError):
        untrusted.run(_sleep_after_saying, str(said), what="slow.xlsx", limits=Limits(seconds=1))
    with pytest.raises(ProcessLookupError):
        os.kill(int(said.read_text()), 0)  # killed and reaped


def test_the_critical_file_ends_its_child_not_the_caller(tmp_path: Path) -> None:
    """One cell at XFD1048576: the Rust reader would allocate about 512 GiB and abort the process."""
    from openpyxl import Workbook

    from auditor.workbook.read import read

    book = Workbook()
    sheet = book.active
    sheet.title = "Facility"
    sheet["A1"], sheet["B1"] = "field", "value"
    sheet["XFD1048576"] = "x"
    path = tmp_path / "xfd.xlsx"
    book.save(path)
    with pytest.raises(WorkbookError, match=re.escape(str(path)) + ": "):
        read(path)  # refused by the container check, or ended by the memory limit
    assert signal.SIGABRT  # the test process is still here to say so


def test_from_the_warm_fork_server_too() -> None:
    """The web app (threads) takes warm children from a pool: the same limits, the same messages."""
    untrusted.start_pool(2)
    assert untrusted._pool is not None and untrusted._pool.context.get_start_method() == "forkserver"
    assert untrusted.run(_answer, [1], what="f", limits=SMALL) == [1]
    with pytest.raises(ReadLimitError, match=r"big\.xlsx: reading this file needs more than 256 MiB"):
        untrusted.run(_allocate, 1 * GiB, what="big.xlsx", limits=SMALL)
    with pytest.raises(ReadLimitError, match=r"killed by SIGABRT"):
        untrusted.run(_abort, None, what="crash.xls", limits=SMALL)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply to be a JSON file this tool wrote"),
        (b'{"rating": NaN}', "not valid JSON (NaN is not a number JSON allows)"),
        (b'{"a": 1e999999}', "not valid JSON (1e999999 is too large a number)"),
        (b"\xff\xfe{}", "not UTF-8 text, so not a JSON file"),
        (b'{"a": ', "not valid JSON (Expecting value: line 1 column 7 (char 6))"),
    ],
)
def test_untrusted_json_is_parsed_within_bounds(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "results.json"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        untrusted.load_json(path, what="results.json")
    assert str(caught.value) == f"results.json: {message}"


def test_an_oversized_json_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(300 * MiB)  # sparse: costs no disk
    with pytest.raises(ConfigError, match=r"^big\.json: 300 MiB, more than the 256 MiB a JSON file may be$"):
        untrusted.load_json(path, what="big.json")


def test_a_results_file_that_is_not_ours_is_a_config_error(tmp_path: Path) -> None:
    from auditor.contracts.results import Results

    path = tmp_path / "r.json"
    path.write_text('{"schema_version": "1", "results": 5}')
    with pytest.raises(ConfigError, match="not a results file from `auditor audit --format json`"):
        Results.read(path)


def test_each_file_gets_a_fresh_child_from_the_pool() -> None:
    untrusted.start_pool(2)
    pids = {untrusted.run(_pid, None, what="f", limits=SMALL) for _ in range(4)}
    assert len(pids) == 4 and os.getpid() not in pids


def test_several_readers_run_at_once_each_in_its_own_child() -> None:
    pids = untrusted.run_each(_pid, [(None,), (None,), (None,)], what="three", limits=SMALL)
    assert len(set(pids)) == 3 and os.getpid() not in pids
    with pytest.raises(ReadLimitError, match=r"^three: the reader stopped on this file \(killed by SIGABRT"):
        untrusted.run_each(_abort, [(None,), (None,)], what="three", limits=SMALL)


def _typed_frame():
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    ids = pa.chunked_array([["A1", None, "A3"], ["A4"]])  # two chunks, as a read sheet's may be
    return pd.DataFrame(
        {
            "detainee_id": pd.arrays.ArrowStringArray(ids),
            "note": pd.array(["x", None, "z", "w"], dtype="string"),
            "arrival": pd.to_datetime(["2026-01-01 08:00", None, "2026-01-03 00:00", "2026-01-04 09:30"]),
            "held": pd.array([True, None, False, True], dtype="boolean"),
            "beds": pd.array([1, None, 3, 4], dtype="Int64"),
            "unit": pd.Categorical(["A", "B", "A", None]),
            "score": np.array([1.5, np.nan, 2.0, 0.0]),
        },
        index=pd.Index([2, 3, 5, 9]),
    )


def test_a_typed_frame_crosses_unchanged_and_its_text_uncopied() -> None:
    import pickle

    import pandas as pd

    frame = _typed_frame()
    data, buffers = untrusted.pickled(frame)
    back = pickle.loads(data, buffers=buffers)  # the sender's memory, as handed
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    assert list(back.dtypes) == list(frame.dtypes)

    def text_at(table: pd.DataFrame) -> list[int]:
        return [chunk.buffers()[2].address for chunk in table["detainee_id"].array._pa_array.chunks]

    assert text_at(back) == text_at(frame)  # pandas' own pickling sends one combined copy
    crossed = untrusted.run(_typed_frame, what="a typed frame")  # through a real child
    pd.testing.assert_frame_equal(crossed, frame, check_exact=True)
